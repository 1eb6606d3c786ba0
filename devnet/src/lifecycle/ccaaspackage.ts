import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';

/** Fabric's connection.json for an external (chaincode-as-a-service) chaincode. */
export interface CcaasConnection {
  address: string;
  dial_timeout: string;
  tls_required: boolean;
  client_auth_required?: boolean;
  /** PEM of the CA that issued the chaincode server's TLS certificate. */
  root_cert?: string;
  client_key?: string;
  client_cert?: string;
}

/** A packaged chaincode: where the file is and its package id (`label:hex(sha256(file))`). */
export interface ChaincodePackage {
  file: string;
  label: string;
  packageId: string;
}

// A fixed mtime keeps the package bytes, and so its id, the same for the same connection.
const EPOCH = new Date(0);

/**
 * Writes a ccaas package as `peer lifecycle chaincode package --lang ccaas`-style tooling does:
 * a gzipped tar holding metadata.json `{type: "ccaas", label}` and code.tar.gz (holding connection.json).
 */
export async function writeCcaasPackage(
  file: string,
  label: string,
  connection: CcaasConnection,
): Promise<ChaincodePackage> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccaas-'));
  try {
    const codeDir = path.join(work, 'code');
    fs.mkdirSync(codeDir);
    fs.writeFileSync(path.join(codeDir, 'connection.json'), JSON.stringify(connection, null, 2));
    await tar.create({ gzip: true, file: path.join(work, 'code.tar.gz'), cwd: codeDir, portable: true, mtime: EPOCH }, [
      'connection.json',
    ]);
    fs.writeFileSync(path.join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await tar.create({ gzip: true, file, cwd: work, portable: true, mtime: EPOCH }, ['metadata.json', 'code.tar.gz']);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { file, label, packageId: packageIdOf(label, fs.readFileSync(file)) };
}

/** Fabric's package id: the label, a colon, and the hex SHA-256 of the package file. */
export function packageIdOf(label: string, packageBytes: Uint8Array): string {
  return `${label}:${createHash('sha256').update(packageBytes).digest('hex')}`;
}
