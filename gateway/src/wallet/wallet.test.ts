import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileWallet } from './wallet';

// scrypt and key generation are slow on a loaded machine: generous, not timing-dependent.
jest.setTimeout(60_000);

describe('FileWallet', () => {
  let dir: string;
  const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const identity = { mspId: 'EducationMSP', certificate: '-----BEGIN CERTIFICATE-----\nx\n', privateKey };
  const passphrase = 'correct horse battery staple';

  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'gateway-wallet-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps identities encrypted at rest, owner-only, and reads them back with the passphrase', async () => {
    const wallet = new FileWallet(dir, passphrase);
    await wallet.put('officer1', identity);
    const file = path.join(dir, 'officer1.id');
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('PRIVATE KEY');
    expect(raw).not.toContain(privateKey.split('\n')[1]);
    expect(raw).not.toContain(passphrase);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(await wallet.get('officer1')).toEqual(identity);
    expect(await wallet.get('nobody')).toBeUndefined();
  });

  it('refuses a wrong passphrase, a file moved to another label and a label outside the folder', async () => {
    await new FileWallet(dir, passphrase).put('officer2', identity);
    await expect(new FileWallet(dir, 'another passphrase!').get('officer2')).rejects.toThrow(
      'wallet entry officer2 does not decrypt: wrong passphrase or altered file',
    );
    renameSync(path.join(dir, 'officer2.id'), path.join(dir, 'officer3.id'));
    await expect(new FileWallet(dir, passphrase).get('officer3')).rejects.toThrow('does not decrypt');
    await expect(new FileWallet(dir, passphrase).get('../x')).rejects.toThrow('invalid wallet label');
  });
});
