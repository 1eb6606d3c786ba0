import { generateKeyPairSync } from 'node:crypto';
import { signECDSA, signECDSAAsync, toHighS, verifyECDSA } from './ecdsa';
import { isOwnSignature, rememberSignature } from './ownsignatures';

describe('own signatures', () => {
  const a = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const b = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const message = Buffer.from('proposal response payload and endorser');

  it('knows a signature this process made, for that key and message only', () => {
    const signature = signECDSA(a.privateKey, message);
    expect(isOwnSignature(a.publicKey, message, signature)).toBe(true);
    expect(isOwnSignature(b.publicKey, message, signature)).toBe(false);
    expect(isOwnSignature(a.publicKey, Buffer.from('another message'), signature)).toBe(false);
    expect(isOwnSignature(a.publicKey, message, Buffer.from(signature).reverse())).toBe(false);
  });

  it('verifies a remembered signature and still refuses one over other bytes', () => {
    const signature = signECDSA(a.privateKey, message);
    expect(verifyECDSA(a.publicKey, message, signature)).toBeUndefined();
    expect(verifyECDSA(b.publicKey, message, signature)).toBe('the signature is invalid');
    expect(verifyECDSA(a.publicKey, Buffer.from('tampered'), signature)).toBe('the signature is invalid');
  });

  it('does not take a remembered but forged entry for a valid signature of another key', () => {
    // Remembering happens only in signECDSA; an entry for key b cannot vouch for a signature checked against a.
    const signature = signECDSA(b.privateKey, message);
    rememberSignature(b.privateKey, message, signature);
    expect(verifyECDSA(a.publicKey, message, signature)).toBe('the signature is invalid');
  });

  it('signs on the thread pool as it does synchronously, and remembers the signature', async () => {
    const signature = await signECDSAAsync(a.privateKey, message);
    expect(isOwnSignature(a.publicKey, message, signature)).toBe(true);
    expect(verifyECDSA(a.publicKey, message, signature)).toBeUndefined();
    expect(verifyECDSA(b.publicKey, message, signature)).toBe('the signature is invalid');
    expect(verifyECDSA(a.publicKey, Buffer.from('tampered'), signature)).toBe('the signature is invalid');
    expect(verifyECDSA(a.publicKey, message, toHighS(a.publicKey, signature))).toBe(
      'invalid S, must be smaller than half the order',
    );
  });

  it("does not remember another process's signature it verified (only its own are known)", async () => {
    // Signed by OpenSSL directly, as by another process.
    const other = Buffer.from('other bytes');
    const c = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const { sign } = await import('node:crypto');
    const der = sign('sha256', other, c.privateKey);
    verifyECDSA(c.publicKey, other, der);
    expect(isOwnSignature(c.publicKey, other, der)).toBe(false);
  });
});
