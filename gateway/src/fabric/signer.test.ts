import { createHash, generateKeyPairSync } from 'node:crypto';
import { p256 } from '@noble/curves/p256';
import { p384 } from '@noble/curves/p384';
import { messageSigner } from './signer';

/** The uncompressed public point of an EC key pair's public key. */
function publicPoint(publicKey: import('node:crypto').KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]);
}

describe('messageSigner', () => {
  it.each([
    ['P-256', 'prime256v1', p256],
    ['P-384', 'secp384r1', p384],
  ] as const)(
    'signs the SHA-256 of a %s message, DER with a low S, as a Fabric peer verifies it',
    async (_name, namedCurve, curve) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
      const sign = messageSigner(privateKey);
      const message = Buffer.from('a proposal, as fabric-gateway serializes it');
      const digest = createHash('sha256').update(message).digest();
      for (let i = 0; i < 30; i++) {
        const signature = await sign(message);
        expect(curve.Signature.fromDER(signature).hasHighS()).toBe(false);
        // noble verifies the digest as given and refuses a high S (lowS by default).
        expect(curve.verify(signature, digest, publicPoint(publicKey), { format: 'der' })).toBe(true);
      }
      expect(sign.hashesMessages).toBe(true);
    },
  );

  it("signs other keys with fabric-gateway's signer over the message's SHA-256", async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signature = await messageSigner(privateKey)(Buffer.from('message'));
    expect(signature.length).toBeGreaterThan(0);
  });
});
