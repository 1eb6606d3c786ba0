import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TlsFiles } from '../types';
import { CA, ExtKeyUsage, KeyUsage } from './ca';
import { generatePrivateKey } from './keys';

/**
 * Issues a TLS server certificate from an organization's TLS CA, e.g. for a chaincode-as-a-service
 * server. The certificate is like a cryptogen node TLS certificate: CN = `names[0]`, SANs = `names`
 * (IP addresses become IP SANs), keyUsage digitalSignature|keyEncipherment, extKeyUsage
 * serverAuth+clientAuth. Writes `<outDir>/server.crt`, `<outDir>/server.key` (PKCS#8) and `<outDir>/ca.crt`.
 *
 * @param orgTlsCaDir the organization's cryptogen `tlsca/` folder (`tlsca.<domain>-cert.pem` + `priv_sk`).
 * @param names DNS names and IPs, e.g. `['egov_peer0.immigration.egov.local', 'localhost', '127.0.0.1']`.
 * @param outDir folder to write to (created if missing; existing files are replaced).
 */
export async function issueTlsServerCert(
  orgTlsCaDir: string,
  names: string[],
  outDir: string,
): Promise<TlsFiles> {
  if (names.length === 0) throw new Error('issueTlsServerCert needs at least one name (the certificate CN)');
  const tlsCA = await CA.load(orgTlsCaDir);
  fs.mkdirSync(outDir, { recursive: true });
  const keys = await generatePrivateKey(outDir);
  await tlsCA.signCertificate({
    baseDir: outDir,
    name: names[0],
    alternateNames: names,
    publicKey: keys.publicKey,
    keyUsage: KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
    extKeyUsage: [ExtKeyUsage.serverAuth, ExtKeyUsage.clientAuth],
  });
  const files: TlsFiles = {
    caCertPath: path.join(outDir, 'ca.crt'),
    certPath: path.join(outDir, 'server.crt'),
    keyPath: path.join(outDir, 'server.key'),
  };
  fs.renameSync(path.join(outDir, `${names[0]}-cert.pem`), files.certPath);
  fs.renameSync(path.join(outDir, 'priv_sk'), files.keyPath);
  fs.writeFileSync(files.caCertPath, tlsCA.certPem);
  return files;
}
