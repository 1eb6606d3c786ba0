import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseMinistries } from '../ministries/load';
import { nodeLayout, orgLayout } from './layout';
import { generateOrdererOrg, generatePeerOrg } from './orgs';
import { x509 } from './provider';
import { issueTlsServerCert } from './tls';

const config = parseMinistries(`
ministries:
  - mspId: HealthMSP
    name: Health
    domain: health.egov.local
`);
const ministry = config.ministries[0];

let dir: string;
const read = (file: string): X509Certificate => new X509Certificate(fs.readFileSync(file));
const ext = <T extends x509.Extension>(file: string, type: new (raw: ArrayBuffer) => T): T | null =>
  new x509.X509Certificate(fs.readFileSync(file, 'utf8')).getExtension(
    type as unknown as typeof x509.Extension,
  ) as T | null;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cryptogen-'));
  await Promise.all([generatePeerOrg(dir, ministry), generateOrdererOrg(dir, config.orderer)]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('generatePeerOrg', () => {
  const org = () => orgLayout(dir, 'peer', 'health.egov.local');
  const peer = () => nodeLayout(org().nodesDir, 'peer0.health.egov.local', 'server');
  const user = () => nodeLayout(org().usersDir, 'User1@health.egov.local', 'client');
  const admin = () => nodeLayout(org().usersDir, 'Admin@health.egov.local', 'client');

  it("writes cryptogen's layout", () => {
    const rel = (p: string) => path.relative(dir, p);
    const files = [
      org().caCertPath,
      path.join(org().caDir, 'priv_sk'),
      org().tlsCaCertPath,
      path.join(org().tlsCaDir, 'priv_sk'),
      path.join(org().mspDir, 'cacerts', 'ca.health.egov.local-cert.pem'),
      path.join(org().mspDir, 'tlscacerts', 'tlsca.health.egov.local-cert.pem'),
      path.join(org().mspDir, 'config.yaml'),
      ...[peer(), user(), admin()].flatMap((n) => [
        n.certPath,
        n.keyPath,
        n.tlsCaCertPath,
        n.tlsCertPath,
        n.tlsKeyPath,
        path.join(n.mspDir, 'config.yaml'),
        path.join(n.mspDir, 'cacerts', 'ca.health.egov.local-cert.pem'),
        path.join(n.mspDir, 'tlscacerts', 'tlsca.health.egov.local-cert.pem'),
      ]),
    ];
    expect(files.filter((f) => !fs.existsSync(f)).map(rel)).toEqual([]);
    expect(rel(peer().tlsCertPath)).toBe(
      'peerOrganizations/health.egov.local/peers/peer0.health.egov.local/tls/server.crt',
    );
    expect(rel(user().tlsKeyPath)).toBe(
      'peerOrganizations/health.egov.local/users/User1@health.egov.local/tls/client.key',
    );
    expect(fs.existsSync(path.join(org().mspDir, 'keystore'))).toBe(false);
    expect(fs.statSync(peer().keyPath).mode & 0o777).toBe(0o600);
  });

  it('makes CA certificates like cryptogen (subject, basic constraints, key usage, SKI)', () => {
    for (const [file, cn] of [
      [org().caCertPath, 'ca.health.egov.local'],
      [org().tlsCaCertPath, 'tlsca.health.egov.local'],
    ]) {
      const ca = read(file);
      expect(ca.subject.split('\n')).toEqual([
        'C=US',
        'ST=California',
        'L=San Francisco',
        'O=health.egov.local',
        `CN=${cn}`,
      ]);
      expect(ca.ca).toBe(true);
      expect(ca.checkIssued(ca)).toBe(true);
      expect(ca.verify(ca.publicKey)).toBe(true);
      expect(ext(file, x509.KeyUsagesExtension)?.usages).toBe(
        x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyEncipherment |
          x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign,
      );
      expect(ext(file, x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{64}$/);
      expect(new Date(ca.validTo).getTime() - new Date(ca.validFrom).getTime()).toBe(3650 * 24 * 3600 * 1000);
    }
  });

  it('issues signing certificates that verify against the CA and carry the node OU', () => {
    const ca = read(org().caCertPath);
    const caSki = ext(org().caCertPath, x509.SubjectKeyIdentifierExtension)?.keyId;
    for (const [n, ou, cn] of [
      [peer(), 'peer', 'peer0.health.egov.local'],
      [user(), 'client', 'User1@health.egov.local'],
      [admin(), 'admin', 'Admin@health.egov.local'],
    ] as const) {
      const cert = read(n.certPath);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.ca).toBe(false);
      expect(cert.subject.split('\n')).toEqual([
        'C=US',
        'ST=California',
        'L=San Francisco',
        `OU=${ou}`,
        `CN=${cn}`,
      ]);
      expect(ext(n.certPath, x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
      expect(ext(n.certPath, x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(caSki);
      // priv_sk is the key of the certificate: a signature with it verifies with the certificate.
      const signature = sign('sha256', Buffer.from('hello'), createPrivateKey(fs.readFileSync(n.keyPath)));
      expect(verify('sha256', Buffer.from('hello'), cert.publicKey, signature)).toBe(true);
    }
    expect(read(peer().certPath).checkIssued(read(org().tlsCaCertPath))).toBe(false);
  });

  it('issues TLS certificates from the TLS CA with serverAuth+clientAuth and the node SANs', () => {
    const tlsCa = read(org().tlsCaCertPath);
    const server = read(peer().tlsCertPath);
    expect(server.checkIssued(tlsCa)).toBe(true);
    expect(server.verify(tlsCa.publicKey)).toBe(true);
    expect(server.subjectAltName).toBe(
      'DNS:peer0.health.egov.local, DNS:peer0, DNS:localhost, IP Address:127.0.0.1',
    );
    expect(server.checkHost('peer0.health.egov.local')).toBe('peer0.health.egov.local');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(ext(peer().tlsCertPath, x509.KeyUsagesExtension)?.usages).toBe(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    );
    expect(
      createPublicKey(createPrivateKey(fs.readFileSync(peer().tlsKeyPath))).equals(server.publicKey),
    ).toBe(true);
    expect(fs.readFileSync(peer().tlsCaCertPath, 'utf8')).toBe(fs.readFileSync(org().tlsCaCertPath, 'utf8'));
    const client = read(user().tlsCertPath);
    expect(client.checkIssued(tlsCa)).toBe(true);
    expect(client.subjectAltName).toBeUndefined();
  });

  it('stores keys as PKCS#8 PEM', () => {
    const pem = fs.readFileSync(peer().keyPath, 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(pem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it("writes cryptogen's NodeOUs config.yaml", () => {
    const expected = ['client', 'peer', 'admin', 'orderer'].map(
      (ou) =>
        `    Certificate: cacerts/ca.health.egov.local-cert.pem\n    OrganizationalUnitIdentifier: ${ou}\n`,
    );
    expect(fs.readFileSync(path.join(org().mspDir, 'config.yaml'), 'utf8')).toBe(
      `NodeOUs:\n  Enable: true\n  ClientOUIdentifier:\n${expected[0]}  PeerOUIdentifier:\n${expected[1]}` +
        `  AdminOUIdentifier:\n${expected[2]}  OrdererOUIdentifier:\n${expected[3]}`,
    );
  });
});

describe('generateOrdererOrg', () => {
  it('issues the orderer node an orderer-OU certificate and a TLS server certificate', () => {
    const org = orgLayout(dir, 'orderer', 'egov.local');
    const node = nodeLayout(org.nodesDir, 'orderer.egov.local', 'server');
    expect(path.relative(dir, node.certPath)).toBe(
      'ordererOrganizations/egov.local/orderers/orderer.egov.local/msp/signcerts/orderer.egov.local-cert.pem',
    );
    expect(read(node.certPath).subject).toContain('OU=orderer');
    expect(read(node.certPath).checkIssued(read(org.caCertPath))).toBe(true);
    expect(read(node.tlsCertPath).subjectAltName).toBe(
      'DNS:orderer.egov.local, DNS:orderer, DNS:localhost, IP Address:127.0.0.1',
    );
    expect(read(nodeLayout(org.usersDir, 'Admin@egov.local', 'client').certPath).subject).toContain(
      'OU=admin',
    );
  });
});

describe('issueTlsServerCert', () => {
  it("issues a server certificate from the ministry's TLS CA", async () => {
    const org = orgLayout(dir, 'peer', 'health.egov.local');
    const out = path.join(dir, 'ccaas');
    const files = await issueTlsServerCert(
      org.tlsCaDir,
      ['egov_peer0.health.egov.local', 'localhost', '127.0.0.1'],
      out,
    );
    expect(files).toEqual({
      caCertPath: path.join(out, 'ca.crt'),
      certPath: path.join(out, 'server.crt'),
      keyPath: path.join(out, 'server.key'),
    });
    const cert = read(files.certPath);
    expect(cert.checkIssued(read(org.tlsCaCertPath))).toBe(true);
    expect(cert.verify(read(org.tlsCaCertPath).publicKey)).toBe(true);
    expect(cert.subject).toContain('CN=egov_peer0.health.egov.local');
    expect(cert.subjectAltName).toBe('DNS:egov_peer0.health.egov.local, DNS:localhost, IP Address:127.0.0.1');
    expect(createPublicKey(createPrivateKey(fs.readFileSync(files.keyPath))).equals(cert.publicKey)).toBe(
      true,
    );
    expect(fs.readdirSync(out).sort()).toEqual(['ca.crt', 'server.crt', 'server.key']);
  });

  it('names the folder when it holds no TLS CA', async () => {
    await expect(issueTlsServerCert(path.join(dir, 'nowhere'), ['x'], path.join(dir, 'out'))).rejects.toThrow(
      `no CA certificate (*-cert.pem) in ${path.join(dir, 'nowhere')}`,
    );
  });
});
