import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CollectionConfigJson } from '../privdata/collections';

/** One peer's chaincode server, as its ministry installed it. */
export interface ChaincodeServerEntry {
  address: string;
  /** PEM file of the CA that issued the server's TLS certificate; absent for a plaintext server. */
  rootCertPath?: string;
  /** The name the server's TLS certificate carries; absent for a plaintext server. */
  serverName?: string;
  /** The id of the package this ministry installed; the shim sends it in REGISTER. */
  packageId: string;
}

/**
 * The committed chaincode definition that peers read from `<home>/chaincode/<name>/definition.json`
 * until devnet runs Fabric's `_lifecycle` (see DESIGN.md).
 */
export interface ChaincodeDefinitionFile {
  name: string;
  version: string;
  sequence: number;
  /** `--channel-config-policy` (the default: /Channel/Application/Endorsement) or `--signature-policy`. */
  endorsementPolicy: { channelConfigPolicy: string } | { signaturePolicy: string };
  initRequired: boolean;
  /** Private data collections in the peer CLI's collections config format (absent = none). */
  collections?: CollectionConfigJson[];
  /** Keyed by peer name. */
  servers: Record<string, ChaincodeServerEntry>;
}

/** `<home>/chaincode/<name>`. */
export function chaincodeDir(home: string, name: string): string {
  return path.join(home, 'chaincode', name);
}

/** Reads a chaincode's definition, or undefined if the chaincode was never deployed. */
export function readDefinition(home: string, name: string): ChaincodeDefinitionFile | undefined {
  const file = path.join(chaincodeDir(home, name), 'definition.json');
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ChaincodeDefinitionFile)
    : undefined;
}

/** Writes the definition atomically (write then rename), so a peer never reads half a file. */
export function writeDefinition(home: string, def: ChaincodeDefinitionFile): void {
  const dir = chaincodeDir(home, def.name);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `definition.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(def, null, 2));
  fs.renameSync(tmp, path.join(dir, 'definition.json'));
}
