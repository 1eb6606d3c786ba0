/**
 * Test-only crypto material: a TLS CA, a peer TLS server certificate signed by it, and a client
 * enrolment certificate + PKCS#8 key, written as PEM files like cryptogen's. Not part of the build.
 */
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// x509's types name the DOM's Crypto, which this Node-only build does not declare.
x509.cryptoProvider.set(webcrypto as never);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** PEM files of one test network. */
export interface TestCrypto {
  dir: string;
  tlsCaCertPath: string;
  /** Peer TLS server certificate and key (PEM strings, for the fake peer). */
  serverCertPem: string;
  serverKeyPem: string;
  certPath: string;
  keyPath: string;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Generates the material for a peer called `hostAlias` in a fresh temporary folder. */
export async function generateTestCrypto(hostAlias: string): Promise<TestCrypto> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-test-'));
  const caKeys = await generateKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=tlsca.test.local',
    keys: caKeys,
    signingAlgorithm,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const leaf = async (cn: string, dns: string[]): Promise<{ certPem: string; keyPem: string }> => {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.create({
      subject: `CN=${cn}`,
      issuer: ca.subject,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        ...(dns.length > 0
          ? [new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: 'dns' as const, value })))]
          : []),
      ],
    });
    return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) };
  };
  const server = await leaf(hostAlias, [hostAlias]);
  const user = await leaf('User1@test.local', []);
  const files = {
    tlsCaCertPath: path.join(dir, 'tlsca.pem'),
    certPath: path.join(dir, 'User1-cert.pem'),
    keyPath: path.join(dir, 'priv_sk'),
  };
  writeFileSync(files.tlsCaCertPath, ca.toString('pem'));
  writeFileSync(files.certPath, user.certPem);
  writeFileSync(files.keyPath, user.keyPem);
  return { dir, ...files, serverCertPem: server.certPem, serverKeyPem: server.keyPem };
}

/** A self-signed client certificate `CN=<cn>` and its PKCS#8 key (PEM), e.g. for a fake CA's enrolments. */
export async function selfSignedIdentity(cn: string): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${cn}`,
    keys,
    signingAlgorithm,
  });
  return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) };
}
