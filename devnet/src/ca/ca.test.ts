import { createPrivateKey, generateKeyPairSync, sign, webcrypto, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toPem, x509 } from '@govfabric/network-config';
import { certificateAttributes, checkRegistrarMayGive, withAutomaticAttributes } from './attributes';
import { generateCrl } from './crl';
import { issueCertificate } from './enrollment';
import type { IssuerKey } from './issuer';
import type { IdentityRecord } from './registry';
import { verifyToken } from './token';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function testIssuer(): Promise<IssuerKey> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=ca.test.local, O=test.local',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
  return { cert, certPem: toPem('CERTIFICATE', cert.rawData), key: keys.privateKey, ski };
}

function identity(overrides: Partial<IdentityRecord> = {}): IdentityRecord {
  const base = { id: 'officer1', type: 'client', affiliation: 'education.officers' };
  return {
    ...base,
    attrs: withAutomaticAttributes(base.id, base.type, base.affiliation, [
      { name: 'egov.officer', value: 'yes', ecert: true },
      { name: 'egov.clearance', value: 'restricted' },
    ]),
    maxEnrollments: -1,
    enrollments: 0,
    secretHash: '',
    revoked: false,
    ...overrides,
  };
}

async function csrFor(cn: string): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}`,
    keys,
    signingAlgorithm: ALG,
  });
  return csr.toString('pem');
}

describe('Fabric CA attributes', () => {
  it('puts ecert attributes by default and exactly the requested ones otherwise', () => {
    expect(certificateAttributes(identity(), undefined)).toEqual({
      'egov.officer': 'yes',
      'hf.EnrollmentID': 'officer1',
      'hf.Type': 'client',
      'hf.Affiliation': 'education.officers',
    });
    expect(certificateAttributes(identity(), [{ name: 'egov.clearance' }])).toEqual({
      'egov.clearance': 'restricted',
    });
    expect(certificateAttributes(identity(), [{ name: 'nope', optional: true }])).toBeUndefined();
    expect(() => certificateAttributes(identity(), [{ name: 'nope' }])).toThrow(/'nope' was requested/);
  });

  it('lets a registrar give only the attributes and roles it holds', () => {
    const registrar = identity({
      id: 'reg',
      attrs: [
        { name: 'hf.Registrar.Roles', value: 'client' },
        { name: 'hf.Registrar.Attributes', value: 'egov.*,hf.Registrar.Roles' },
      ],
    });
    expect(() => checkRegistrarMayGive(registrar, [{ name: 'egov.officer', value: 'x' }])).not.toThrow();
    expect(() => checkRegistrarMayGive(registrar, [{ name: 'other', value: 'x' }])).toThrow(
      /may not register attribute 'other'/,
    );
    expect(() =>
      checkRegistrarMayGive(registrar, [{ name: 'hf.Registrar.Roles', value: 'client,admin' }]),
    ).toThrow(/may not delegate roles 'client,admin'/);
    expect(() => checkRegistrarMayGive(registrar, [{ name: 'hf.Type', value: 'admin' }])).toThrow(
      /set by the CA/,
    );
  });
});

describe('enrollment certificates and CRLs', () => {
  it('issues a NodeOU-typed certificate with the attribute extension, chained to the CA', async () => {
    const issuer = await testIssuer();
    const issued = await issueCertificate(issuer, identity(), {
      csrPem: await csrFor('officer1'),
      attrs: { 'hf.EnrollmentID': 'officer1', 'egov.officer': 'yes' },
    });
    const cert = new x509.X509Certificate(issued.pem);
    expect(new X509Certificate(issued.pem).subject.split('\n')).toEqual([
      'OU=client',
      'OU=education',
      'OU=officers',
      'CN=officer1',
    ]);
    expect(await cert.verify({ publicKey: issuer.cert.publicKey })).toBe(true);
    const ext = cert.getExtension('1.2.3.4.5.6.7.8.1');
    expect(Buffer.from(ext!.value).toString()).toBe(
      '{"attrs":{"egov.officer":"yes","hf.EnrollmentID":"officer1"}}',
    );
  });

  it('refuses a CSR whose CN is not the enrollment id', async () => {
    const issuer = await testIssuer();
    await expect(
      issueCertificate(issuer, identity(), { csrPem: await csrFor('someone-else') }),
    ).rejects.toThrow('The CSR subject common name must equal the enrollment ID');
  });

  it('lists revoked certificates only in the signed CRL', async () => {
    const issuer = await testIssuer();
    const record = { aki: 'aa', id: 'x', pem: '', notAfter: new Date(Date.now() + 1e9).toISOString() };
    const pem = await generateCrl(issuer, [
      { ...record, serial: 'abc1', status: 'revoked', revokedAt: new Date().toISOString(), reason: 1 },
      { ...record, serial: 'abc2', status: 'good' },
    ]);
    const crl = new x509.X509Crl(pem);
    expect(await crl.verify({ publicKey: issuer.cert.publicKey })).toBe(true);
    expect(crl.entries.map((e) => e.serialNumber)).toEqual(['abc1']);
  });
});

describe('Fabric CA token', () => {
  it('verifies <b64 cert>.<b64 sig over method.b64(uri).b64(body).b64(cert)> and refuses a changed body', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catoken-'));
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.rmSync(dir, { recursive: true, force: true });
    return (async () => {
      const issuer = await testIssuer();
      const b64Cert = Buffer.from(issuer.certPem).toString('base64');
      const body = Buffer.from('{"id":"x"}');
      const signed = `POST.${Buffer.from('/api/v1/register').toString('base64')}.${body.toString('base64')}.${b64Cert}`;
      const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', issuer.key)).toString('base64');
      const key = createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
      const token = `${b64Cert}.${sign('sha256', Buffer.from(signed), key).toString('base64')}`;
      expect(verifyToken(token, 'POST', '/api/v1/register', body).subject).toContain('CN=ca.test.local');
      expect(() => verifyToken(token, 'POST', '/api/v1/register', Buffer.from('{}'))).toThrow(
        'Authentication failure',
      );
      expect(() =>
        verifyToken(
          `${b64Cert}.${sign('sha256', Buffer.from(signed), privateKey).toString('base64')}`,
          'POST',
          '/api/v1/register',
          body,
        ),
      ).toThrow('Authentication failure');
    })();
  });
});
