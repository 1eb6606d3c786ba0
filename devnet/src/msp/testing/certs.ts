/**
 * Test fixtures: ECDSA P-256 CAs and certificates made with @peculiar/x509, and FabricMSPConfigs
 * over them. Used only by unit tests (here and in other devnet modules).
 */
import 'reflect-metadata';
import { createPrivateKey, KeyObject, webcrypto } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as x509 from '@peculiar/x509';
import { msp as mspProto } from '@hyperledger/fabric-protos';
import { SigningIdentity } from '../signingidentity';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;
let serial = 1;

/** A certificate with its key. */
export interface TestCert {
  certPem: string;
  keyPem: string;
  privateKey: KeyObject;
  keys: webcrypto.CryptoKeyPair;
  subject: string;
}

/** Options for a certificate. */
export interface CertOptions {
  cn: string;
  ous?: string[];
  org?: string;
  isCA?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** DNS SANs (TLS server certificates); '127.0.0.1' style entries become IP SANs. */
  hosts?: string[];
}

function subjectOf(o: CertOptions): string {
  return [`C=US`, `O=${o.org ?? 'test'}`, ...(o.ous ?? []).map((ou) => `OU=${ou}`), `CN=${o.cn}`].join(', ');
}

async function finish(
  cert: x509.X509Certificate,
  keys: webcrypto.CryptoKeyPair,
  subject: string,
): Promise<TestCert> {
  const pkcs8 = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as webcrypto.CryptoKey),
  );
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem,
    privateKey: createPrivateKey(keyPem),
    keys,
    subject,
  };
}

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as unknown as webcrypto.CryptoKeyPair;
}

/** A self-signed root CA. */
export async function createRootCA(cn: string, org = 'test'): Promise<TestCert> {
  const keys = await newKeys();
  const subject = subjectOf({ cn, org });
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    name: subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return finish(cert, keys, subject);
}

/** A certificate issued by `issuer` (an intermediate CA when `isCA`). */
export async function issueCert(issuer: TestCert, o: CertOptions): Promise<TestCert> {
  const keys = await newKeys();
  const subject = subjectOf(o);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    subject,
    issuer: issuer.subject,
    notBefore: o.notBefore ?? new Date(Date.now() - DAY),
    notAfter: o.notAfter ?? new Date(Date.now() + 30 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(o.isCA === true, undefined, true),
      new x509.KeyUsagesExtension(
        o.isCA
          ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
          : x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
      ...(o.hosts?.length
        ? [
            new x509.SubjectAlternativeNameExtension(
              o.hosts.map((h) =>
                /^[0-9.]+$/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
              ),
            ),
          ]
        : []),
    ],
  });
  return finish(cert, keys, subject);
}

/** Options for {@link fabricMSPConfig}. */
export interface MSPConfigOptions {
  mspId: string;
  root: TestCert;
  intermediates?: TestCert[];
  admins?: TestCert[];
  /** NodeOUs enabled with OUs client/peer/admin/orderer (cryptogen's config.yaml); default true. */
  nodeOUs?: boolean;
  /** The CA whose chain the NodeOU identifiers require (cryptogen: the root); 'any' for none. */
  nodeOUCertifier?: TestCert | 'any';
}

function ouId(ou: string, cert?: TestCert): mspProto.FabricOUIdentifier {
  const id = new mspProto.FabricOUIdentifier();
  id.setOrganizationalUnitIdentifier(ou);
  if (cert) id.setCertificate(Buffer.from(cert.certPem));
  return id;
}

/** A FabricMSPConfig like cryptogen's verifying MSP. */
export function fabricMSPConfig(o: MSPConfigOptions): mspProto.FabricMSPConfig {
  const conf = new mspProto.FabricMSPConfig();
  conf.setName(o.mspId);
  conf.setRootCertsList([Buffer.from(o.root.certPem)]);
  conf.setIntermediateCertsList((o.intermediates ?? []).map((c) => Buffer.from(c.certPem)));
  conf.setAdminsList((o.admins ?? []).map((c) => Buffer.from(c.certPem)));
  if (o.nodeOUs !== false) {
    const n = new mspProto.FabricNodeOUs();
    n.setEnable(true);
    const certifier = o.nodeOUCertifier === 'any' ? undefined : (o.nodeOUCertifier ?? o.root);
    n.setClientOuIdentifier(ouId('client', certifier));
    n.setPeerOuIdentifier(ouId('peer', certifier));
    n.setAdminOuIdentifier(ouId('admin', certifier));
    n.setOrdererOuIdentifier(ouId('orderer', certifier));
    conf.setFabricNodeOus(n);
  }
  return conf;
}

/** The MSPConfig wrapper (type FABRIC) of {@link fabricMSPConfig}. */
export function mspConfig(o: MSPConfigOptions): mspProto.MSPConfig {
  const w = new mspProto.MSPConfig();
  w.setType(0);
  w.setConfig(fabricMSPConfig(o).serializeBinary());
  return w;
}

/** A SigningIdentity over a test certificate. */
export function signer(mspId: string, cert: TestCert): SigningIdentity {
  return SigningIdentity.fromPem(mspId, cert.certPem, cert.keyPem);
}

/** One organization: root CA, peer, client and admin identities. */
export interface TestOrg {
  mspId: string;
  ca: TestCert;
  peer: SigningIdentity;
  client: SigningIdentity;
  admin: SigningIdentity;
  config: mspProto.FabricMSPConfig;
}

/** An organization with NodeOUs and one identity per role. */
export async function createOrg(mspId: string): Promise<TestOrg> {
  const ca = await createRootCA(`ca.${mspId}`, mspId);
  const peerCert = await issueCert(ca, { cn: `peer0.${mspId}`, ous: ['peer'], org: mspId });
  const clientCert = await issueCert(ca, { cn: `User1@${mspId}`, ous: ['client'], org: mspId });
  const adminCert = await issueCert(ca, { cn: `Admin@${mspId}`, ous: ['admin'], org: mspId });
  return {
    mspId,
    ca,
    peer: signer(mspId, peerCert),
    client: signer(mspId, clientCert),
    admin: signer(mspId, adminCert),
    config: fabricMSPConfig({ mspId, root: ca }),
  };
}

/** Writes `pem` to `dir/name`; returns the file's path. */
export function writePem(dir: string, name: string, pem: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pem);
  return file;
}

/** A server's TLS files (structurally devnet's and network-config's `TlsFiles`) and their CA. */
export interface ServerTls {
  ca: TestCert;
  tls: { caCertPath: string; certPath: string; keyPath: string };
}

/**
 * A TLS CA and a server certificate for `host` (valid also for `alsoFor`), written into `dir` as
 * `ca.crt`, `server.crt` and `server.key`.
 */
export async function writeServerTls(
  dir: string,
  host: string,
  alsoFor: string[] = ['127.0.0.1'],
): Promise<ServerTls> {
  const ca = await createRootCA('tlsca.test');
  const srv = await issueCert(ca, { cn: host, hosts: [host, ...alsoFor] });
  return {
    ca,
    tls: {
      caCertPath: writePem(dir, 'ca.crt', ca.certPem),
      certPath: writePem(dir, 'server.crt', srv.certPem),
      keyPath: writePem(dir, 'server.key', srv.keyPem),
    },
  };
}
