import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cnOf, fakeCa } from '../testing/fakeca';
import { CaEnroller, REGISTRAR_LABEL } from './enroller';
import { FileWallet } from './wallet';

// scrypt and key generation are slow on a loaded machine: generous, not timing-dependent.
jest.setTimeout(60_000);

describe('CaEnroller', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'gateway-enroll-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('enrolls the registrar once (kept in the wallet), then registers and enrolls each principal', async () => {
    const secretPath = path.join(dir, 'registrar-secret');
    writeFileSync(secretPath, 'bootstrap-secret\n');
    const wallet = new FileWallet(path.join(dir, 'wallet'), 'a passphrase of length');
    const settings = {
      url: 'https://localhost:1',
      caName: 'ca-education',
      tlsCaCertPath: '/nonexistent',
      registrar: { enrollmentId: 'admin', secretPath },
    };
    const { ca, calls } = fakeCa();
    const enroller = new CaEnroller(settings, 'EducationMSP', wallet, ca);
    const one = await enroller.enroll('officer1');
    await enroller.enroll('officer2');
    expect(one.mspId).toBe('EducationMSP');
    expect(cnOf(one.certificate)).toBe('officer1');
    expect(calls).toEqual([
      'enroll admin with bootstrap-secret',
      'register officer1 by admin',
      'enroll officer1 with secret-of-officer1',
      'register officer2 by admin',
      'enroll officer2 with secret-of-officer2',
    ]);
    expect(cnOf((await wallet.get(REGISTRAR_LABEL))!.certificate)).toBe('admin');
    // a new gateway process reuses the stored registrar
    const again = fakeCa();
    await new CaEnroller(settings, 'EducationMSP', wallet, again.ca).enroll('officer3');
    expect(again.calls[0]).toBe('register officer3 by admin');
  });
});
