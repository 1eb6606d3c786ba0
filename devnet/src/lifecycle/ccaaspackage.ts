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
    await tar.create(
      { gzip: true, file: path.join(work, 'code.tar.gz'), cwd: codeDir, portable: true, mtime: EPOCH },
      ['connection.json'],
    );
    fs.writeFileSync(path.join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await tar.create({ gzip: true, file, cwd: work, portable: true, mtime: EPOCH }, [
      'metadata.json',
      'code.tar.gz',
    ]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { file, label, packageId: packageIdOf(label, fs.readFileSync(file)) };
}

/** Fabric's package id: the label, a colon, and the hex SHA-256 of the package file. */
export function packageIdOf(label: string, packageBytes: Uint8Array): string {
  return `${label}:${createHash('sha256').update(packageBytes).digest('hex')}`;
}

/** The files of a gzipped tar held in memory, by entry path (directories skipped). */
export async function readTarGz(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    const parser = new tar.Parser({
      onReadEntry: (entry) => {
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          if (entry.type === 'File' || entry.type === 'OldFile')
            files.set(entry.path.replace(/^\.\//, ''), Buffer.concat(chunks));
        });
      },
    });
    parser.on('error', reject);
    parser.on('end', () => resolve());
    parser.end(Buffer.from(bytes));
  });
  return files;
}

/** What a chaincode install package declares (Fabric's persistence.ChaincodePackageMetadata). */
export interface ParsedPackage {
  type: string;
  label: string;
  path: string;
  /** For type `ccaas` (or `external`): the connection.json inside code.tar.gz. */
  connection?: CcaasConnection;
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

/**
 * Parses a chaincode install package as Fabric's persistence.ChaincodePackageParser: metadata.json
 * with type and label, code.tar.gz; for ccaas packages also the connection.json it holds.
 * Throws with Fabric's messages for a malformed package.
 */
export async function parseChaincodePackage(bytes: Uint8Array): Promise<ParsedPackage> {
  let files: Map<string, Buffer>;
  try {
    files = await readTarGz(bytes);
  } catch (err) {
    throw new Error(
      `could not parse as a chaincode install package: error reading as gzip stream: ${(err as Error).message}`,
    );
  }
  const md = files.get('metadata.json');
  if (md === undefined)
    throw new Error(
      'could not parse as a chaincode install package: did not find any package metadata (missing metadata.json)',
    );
  let meta: { type?: string; label?: string; path?: string };
  try {
    meta = JSON.parse(md.toString('utf8')) as typeof meta;
  } catch (err) {
    throw new Error(
      `could not parse as a chaincode install package: could not unmarshal metadata.json as json: ${(err as Error).message}`,
    );
  }
  const label = meta.label ?? '';
  if (!LABEL.test(label)) {
    throw new Error(
      `could not parse as a chaincode install package: invalid label '${label}'. Label must be non-empty, can only consist of alphanumerics, symbols from '.+-_', and can only begin with alphanumerics`,
    );
  }
  const code = files.get('code.tar.gz');
  if (code === undefined)
    throw new Error(
      'could not parse as a chaincode install package: did not find a code package inside the package',
    );
  const parsed: ParsedPackage = { type: meta.type ?? '', label, path: meta.path ?? '' };
  if (parsed.type === 'ccaas' || parsed.type === 'external') {
    const conn = (await readTarGz(code)).get('connection.json');
    if (conn !== undefined) parsed.connection = JSON.parse(conn.toString('utf8')) as CcaasConnection;
  }
  return parsed;
}
