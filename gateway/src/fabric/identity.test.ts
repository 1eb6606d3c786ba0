import { p256 } from '@noble/curves/p256';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../config';
import { generateTestCrypto, TestCrypto } from '../testing/testcrypto';
import { newIdentity, newSigner } from './identity';
import { ConnectionProfile } from './profile';

describe('identity and signer from the connection profile', () => {
  let crypto: TestCrypto;
  let profile: ConnectionProfile;
  beforeAll(async () => {
    crypto = await generateTestCrypto('peer0.test.local');
    profile = {
      mspId: 'ImmigrationMSP',
      channel: 'egov',
      chaincode: { name: 'egov' },
      peerEndpoint: '127.0.0.1:7051',
      peerHostAlias: 'peer0.test.local',
      tlsCaCertPath: crypto.tlsCaCertPath,
      certPath: crypto.certPath,
      keyPath: crypto.keyPath,
    };
  });
  afterAll(() => rmSync(crypto.dir, { recursive: true, force: true }));

  it('carries the MSP id and the PEM certificate', () => {
    const identity = newIdentity(profile);
    expect(identity.mspId).toBe('ImmigrationMSP');
    expect(Buffer.from(identity.credentials).toString()).toBe(readFileSync(crypto.certPath, 'utf8'));
  });

  it('signs messages (their SHA-256) with the key of the certificate, DER low-S as Fabric requires', async () => {
    const digest = createHash('sha256').update('proposal bytes').digest();
    const signatures = await Promise.all(
      Array.from({ length: 40 }, () => newSigner(profile)(Buffer.from('proposal bytes'))),
    );
    // OpenSSL's S is high half of the time: each one must have been brought low.
    for (const s of signatures) expect(p256.Signature.fromDER(s).hasHighS()).toBe(false);
    const signature = signatures[0];
    const jwk = createPublicKey(readFileSync(crypto.certPath)).export({ format: 'jwk' });
    const publicKey = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x!, 'base64url'),
      Buffer.from(jwk.y!, 'base64url'),
    ]);
    // noble verifies the digest as given (no prehash) and rejects high-S signatures by default.
    expect(p256.verify(signature, digest, publicKey, { format: 'der' })).toBe(true);
    expect(p256.verify(signature, Buffer.alloc(32, 1), publicKey, { format: 'der' })).toBe(false);
  });

  it('names unreadable and unusable files', () => {
    expect(() => newIdentity({ ...profile, certPath: '/none/cert.pem' })).toThrow(
      /cannot read certPath \/none\/cert\.pem/,
    );
    const notKey = path.join(crypto.dir, 'not-a-key');
    writeFileSync(notKey, 'hello');
    expect(() => newSigner({ ...profile, keyPath: notKey })).toThrow(ConfigError);
    expect(() => newIdentity({ ...profile, certPath: notKey })).toThrow(/is not a PEM certificate/);
  });
});
