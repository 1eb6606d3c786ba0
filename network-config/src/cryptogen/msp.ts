import * as fs from 'node:fs';
import * as path from 'node:path';
import { CA, ExtKeyUsage, KeyUsage } from './ca';
import { generatePrivateKey } from './keys';
import { NodeOU, nodeOUsConfigYaml, type NodeOUName } from './nodeous';

/** The kind of local MSP, as cryptogen's `msp.CLIENT/ORDERER/PEER/ADMIN`; decides the OU and TLS file names. */
export type NodeType = NodeOUName;

/** Files of a local MSP and its TLS folder, as generated. */
export interface LocalMSPFiles {
  mspDir: string;
  /** `msp/signcerts/<name>-cert.pem` */
  certPath: string;
  /** `msp/keystore/priv_sk` */
  keyPath: string;
  /** `tls/ca.crt` */
  tlsCaCertPath: string;
  /** `tls/server.crt` or `tls/client.crt` */
  tlsCertPath: string;
  /** `tls/server.key` or `tls/client.key` */
  tlsKeyPath: string;
}

/** Writes a PEM certificate file, creating its folder. */
function exportPem(file: string, pem: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, pem);
}

/** cryptogen's `createFolderStructure`: admincerts, cacerts, tlscacerts (+ keystore, signcerts for a local MSP). */
function createFolderStructure(mspDir: string, local: boolean): void {
  const folders = ['admincerts', 'cacerts', 'tlscacerts', ...(local ? ['keystore', 'signcerts'] : [])];
  for (const f of folders) fs.mkdirSync(path.join(mspDir, f), { recursive: true });
}

/** Writes the CA certificates and NodeOUs config.yaml shared by local and verifying MSPs. */
function exportCAs(mspDir: string, signCA: CA, tlsCA: CA): void {
  const caFile = `${signCA.name}-cert.pem`;
  exportPem(path.join(mspDir, 'cacerts', caFile), signCA.certPem);
  exportPem(path.join(mspDir, 'tlscacerts', `${tlsCA.name}-cert.pem`), tlsCA.certPem);
  fs.writeFileSync(path.join(mspDir, 'config.yaml'), nodeOUsConfigYaml(`cacerts/${caFile}`));
}

/**
 * cryptogen's `GenerateLocalMSP` with NodeOUs enabled: `<baseDir>/msp` holds the signing identity
 * (certificate with OU = node type, key in keystore/priv_sk), the CA certificates and config.yaml;
 * `<baseDir>/tls` holds `ca.crt` and a TLS certificate and key named `server.*` for peers and orderers,
 * `client.*` for users and admins.
 */
export async function generateLocalMSP(
  baseDir: string,
  name: string,
  sans: string[],
  signCA: CA,
  tlsCA: CA,
  nodeType: NodeType,
): Promise<LocalMSPFiles> {
  const mspDir = path.join(baseDir, 'msp');
  const tlsDir = path.join(baseDir, 'tls');
  createFolderStructure(mspDir, true);
  fs.mkdirSync(tlsDir, { recursive: true });

  const keystore = path.join(mspDir, 'keystore');
  const signKeys = await generatePrivateKey(keystore);
  await signCA.signCertificate({
    baseDir: path.join(mspDir, 'signcerts'),
    name,
    orgUnits: [nodeType],
    publicKey: signKeys.publicKey,
    keyUsage: KeyUsage.digitalSignature,
  });
  exportCAs(mspDir, signCA, tlsCA);

  const tlsKeys = await generatePrivateKey(tlsDir);
  await tlsCA.signCertificate({
    baseDir: tlsDir,
    name,
    alternateNames: sans,
    publicKey: tlsKeys.publicKey,
    keyUsage: KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
    extKeyUsage: [ExtKeyUsage.serverAuth, ExtKeyUsage.clientAuth],
  });
  exportPem(path.join(tlsDir, 'ca.crt'), tlsCA.certPem);
  const prefix = nodeType === NodeOU.client || nodeType === NodeOU.admin ? 'client' : 'server';
  // cryptogen writes <name>-cert.pem and priv_sk first, then renames them to <prefix>.crt/.key.
  fs.renameSync(path.join(tlsDir, `${name}-cert.pem`), path.join(tlsDir, `${prefix}.crt`));
  fs.renameSync(path.join(tlsDir, 'priv_sk'), path.join(tlsDir, `${prefix}.key`));

  return {
    mspDir,
    certPath: path.join(mspDir, 'signcerts', `${name}-cert.pem`),
    keyPath: path.join(keystore, 'priv_sk'),
    tlsCaCertPath: path.join(tlsDir, 'ca.crt'),
    tlsCertPath: path.join(tlsDir, `${prefix}.crt`),
    tlsKeyPath: path.join(tlsDir, `${prefix}.key`),
  };
}

/**
 * cryptogen's `GenerateVerifyingMSP` with NodeOUs enabled: the organization's public MSP folder
 * (cacerts, tlscacerts, empty admincerts, config.yaml), no keys.
 */
export function generateVerifyingMSP(mspDir: string, signCA: CA, tlsCA: CA): void {
  createFolderStructure(mspDir, false);
  exportCAs(mspDir, signCA, tlsCA);
}
