import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Gateway } from '@hyperledger/fabric-gateway';
import pino from 'pino';
import { selfSignedIdentity } from '../testing/testcrypto';
import { CaEnroller } from './enroller';
import { cnOf, fakeCa } from '../testing/fakeca';
import { IdentityPool } from './identities';
import { FileWallet, type WalletIdentity } from './wallet';

// scrypt and key generation are slow on a loaded machine: generous, not timing-dependent.
jest.setTimeout(60_000);

describe('IdentityPool', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'gateway-pool-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function poolWith(enroll: boolean) {
    const secretPath = path.join(dir, 'secret');
    writeFileSync(secretPath, 'bootstrap');
    const wallet = new FileWallet(path.join(dir, enroll ? 'w1' : 'w2'), 'a passphrase of length');
    const fake = fakeCa();
    const enroller = enroll
      ? new CaEnroller(
          { url: 'x', caName: 'c', tlsCaCertPath: 'x', registrar: { enrollmentId: 'admin', secretPath } },
          'EducationMSP',
          wallet,
          fake.ca,
        )
      : undefined;
    const connected: string[] = [];
    const pool = new IdentityPool<string>(
      wallet,
      enroller,
      (identity: WalletIdentity) => {
        connected.push(cnOf(identity.certificate));
        return { identity, close: () => undefined } as unknown as Gateway;
      },
      (gateway) => cnOf((gateway as unknown as { identity: WalletIdentity }).identity.certificate),
      pino({ level: 'silent' }),
    );
    return { pool, connected, calls: fake.calls, wallet };
  }

  it('enrolls a new principal once, even for concurrent first requests, and caches its Gateway', async () => {
    const { pool, connected, calls } = poolWith(true);
    const officer = { kind: 'officer' as const, enrollmentId: 'officer1' };
    const [a, b] = await Promise.all([pool.of(officer), pool.of(officer)]);
    expect([a, b]).toEqual(['officer1', 'officer1']);
    expect(await pool.of({ kind: 'officer', enrollmentId: 'officer2' })).toBe('officer2');
    await pool.of(officer);
    expect(connected).toEqual(['officer1', 'officer2']);
    expect(calls.filter((c) => c.startsWith('register'))).toEqual([
      'register officer1 by admin',
      'register officer2 by admin',
    ]);
    await pool.close();
  });

  it('uses wallet identities without a CA and refuses principals it cannot enroll', async () => {
    const { pool, wallet } = poolWith(false);
    const user1 = await selfSignedIdentity('User1');
    await wallet.put('User1', {
      mspId: 'EducationMSP',
      certificate: user1.certPem,
      privateKey: user1.keyPem,
    });
    expect(await pool.of({ kind: 'officer', enrollmentId: 'User1' })).toBe('User1');
    await expect(pool.of({ kind: 'officer', enrollmentId: 'stranger' })).rejects.toThrow(
      'no Fabric identity for officer stranger: it is not in the wallet and this gateway has no CA to enroll it from',
    );
  });
});
