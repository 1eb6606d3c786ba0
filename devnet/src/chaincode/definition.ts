import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChaincodeDefinitionFile, ChaincodeServerEntry } from '../lifecycle/definition';
import type { CollectionConfigJson } from '../privdata/collections';

/** One peer's chaincode-as-a-service server (from definition.json `servers[<peer name>]`). */
export interface ChaincodeServerEndpoint {
  /** host:port of the fabric-shim ChaincodeServer. */
  address: string;
  /** PEM file of the CA that issued the server's TLS certificate; absent = plaintext (tests only). */
  rootCertPath?: string;
  /** Name to verify the server's certificate against (ssl target name override). */
  serverName?: string;
  /** Client certificate and key, for chaincode servers that require client authentication. */
  clientCertPath?: string;
  clientKeyPath?: string;
}

/**
 * A chaincode's committed definition as this peer uses it (DESIGN.md contract): the package id is the
 * one this peer's ministry installed, i.e. what its chaincode server sends in REGISTER.
 */
export interface ChaincodeDefinition {
  name: string;
  version: string;
  sequence: number;
  packageId: string;
  endorsementPolicy: { channelConfigPolicy: string };
  /** Fabric's EnforceInit: the first invocation must be an Init. */
  initRequired: boolean;
  /** The chaincode's private data collections (collections config JSON entries); absent = none. */
  collections?: CollectionConfigJson[];
  /** This peer's server; undefined when the chaincode is defined but not installed for this peer. */
  server?: ChaincodeServerEndpoint;
}

/** A definition file as written by `devnet deploy` (lifecycle/definition.ts), tolerant of a top-level packageId. */
type DefinitionJson = Partial<ChaincodeDefinitionFile> & {
  packageId?: string;
  servers?: Record<string, Partial<ChaincodeServerEntry> & ChaincodeServerEndpoint>;
};

/** Converts the file's shape to this peer's view. */
export function definitionForPeer(json: DefinitionJson, peerName: string, file: string): ChaincodeDefinition {
  if (
    typeof json.name !== 'string' ||
    typeof json.version !== 'string' ||
    typeof json.sequence !== 'number'
  ) {
    throw new Error(`${file}: a chaincode definition needs name, version and sequence`);
  }
  const entry = json.servers?.[peerName];
  const def: ChaincodeDefinition = {
    name: json.name,
    version: json.version,
    sequence: json.sequence,
    packageId: entry?.packageId ?? json.packageId ?? '',
    // Tests' definition files name a channel policy; `_lifecycle` (lifecycle/cache.ts) carries the rest.
    endorsementPolicy:
      json.endorsementPolicy !== undefined && 'channelConfigPolicy' in json.endorsementPolicy
        ? json.endorsementPolicy
        : { channelConfigPolicy: '/Channel/Application/Endorsement' },
    initRequired: json.initRequired === true,
  };
  if (Array.isArray(json.collections)) def.collections = json.collections;
  if (entry?.address) {
    def.server = {
      address: entry.address,
      rootCertPath: entry.rootCertPath,
      serverName: entry.serverName,
      clientCertPath: entry.clientCertPath,
      clientKeyPath: entry.clientKeyPath,
    };
  }
  return def;
}

/**
 * Reads `<home>/chaincode/<name>/definition.json` for one peer and caches it by the file's mtime, so a
 * redeploy (new version/sequence/servers) is picked up by the next proposal without a restart.
 */
export class DefinitionStore {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; def: ChaincodeDefinition }>();

  constructor(
    private readonly home: string,
    private readonly peerName: string,
  ) {}

  /** The definition of `name`, or undefined if the chaincode was never deployed. Throws on a malformed file. */
  get(name: string): ChaincodeDefinition | undefined {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) {
      return undefined; // never a path outside <home>/chaincode
    }
    const file = path.join(this.home, 'chaincode', name, 'definition.json');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.cache.delete(name);
      return undefined;
    }
    const hit = this.cache.get(name);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) {
      return hit.def;
    }
    let json: DefinitionJson;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8')) as DefinitionJson;
    } catch (err) {
      throw new Error(`cannot read chaincode definition ${file}: ${(err as Error).message}`);
    }
    const def = definitionForPeer(json, this.peerName, file);
    this.cache.set(name, { mtimeMs: stat.mtimeMs, size: stat.size, def });
    return def;
  }
}
