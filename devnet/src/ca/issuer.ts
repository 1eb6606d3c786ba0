import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPrivateKey, x509 } from '@govfabric/network-config';

/** The signing CA this Fabric-CA-compatible server issues with: the organization's cryptogen `ca/`. */
export interface IssuerKey {
  cert: x509.X509Certificate;
  certPem: string;
  key: Awaited<ReturnType<typeof loadPrivateKey>>;
  /** Hex subject key identifier of the CA certificate (issued certificates' AKI). */
  ski: string;
}

/**
 * Loads the organization's signing CA from its cryptogen folder (`ca.<domain>-cert.pem`, `priv_sk`):
 * the same root as the organization's MSP, so what this CA issues is valid in the channel.
 * @throws Error naming the folder when a file is missing or the certificate has no SKI.
 */
export async function loadIssuer(dir: string): Promise<IssuerKey> {
  const certFile = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('-cert.pem')) : undefined;
  if (certFile === undefined) throw new Error(`no CA certificate (*-cert.pem) in ${dir}`);
  const certPem = fs.readFileSync(path.join(dir, certFile), 'utf8');
  const cert = new x509.X509Certificate(certPem);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  if (ski === undefined) throw new Error(`CA certificate in ${dir} has no subject key identifier`);
  return { cert, certPem, key: await loadPrivateKey(path.join(dir, 'priv_sk')), ski };
}
