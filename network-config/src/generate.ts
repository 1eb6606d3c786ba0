import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newChannelGroup } from './configtx/encoder';
import { genesisBlock } from './configtx/genesis';
import { profileFromMinistries } from './configtx/profile';
import { generateOrdererOrg, generatePeerOrg } from './cryptogen/orgs';
import { issueTlsServerCert } from './cryptogen/tls';
import { loadMinistries } from './ministries/load';
import type { MinistriesConfig } from './ministries/config';
import { buildNetworkDescriptor, cryptoDir, descriptorPaths } from './output/descriptor';
import { writeCollectionsConfig } from './output/collections';
import { writeCoreYaml } from './output/peercfg';
import { writeConnectionProfiles } from './output/connectionprofile';
import { writeProfiles } from './output/profiles';
import type { CADescriptor, NetworkDescriptor } from './types';

/**
 * Version of what the generator writes. Bump it when the output changes shape so that existing
 * runtime directories are regenerated instead of reused.
 */
export const GENERATOR_VERSION = 'network-config/4';

/** Options of {@link generateNetwork}. */
export interface GenerateOptions {
  /** Runtime directory, e.g. `<repo>/.devnet`. */
  home: string;
  /** Ministries YAML; default `network-config/ministries.yaml`. */
  ministriesFile?: string;
  /** Regenerate even if the existing material matches the YAML. */
  force?: boolean;
}

/** `<repo>/.devnet`, or `DEVNET_HOME` when set (same rule as devnet's `devnetHome()`). */
export function defaultHome(): string {
  return path.resolve(process.env.DEVNET_HOME ?? path.join(__dirname, '..', '..', '.devnet'));
}

/** Folders and files under home derived from the network; removed before regenerating. */
const DERIVED = [
  'network.json',
  'crypto',
  'channel',
  'collections',
  'profiles',
  'peercfg',
  'chaincode',
  'nodes',
  'ca',
];

/** Reads `<home>/network.json` if it exists and parses. */
export function readExisting(home: string): NetworkDescriptor | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(home, 'network.json'), 'utf8')) as NetworkDescriptor;
  } catch {
    return undefined;
  }
}

/** True when the existing network was generated from the same YAML by this generator and is complete. */
function reusable(
  existing: NetworkDescriptor | undefined,
  home: string,
  config: MinistriesConfig,
): existing is NetworkDescriptor {
  const from = existing?.generatedFrom;
  return (
    existing !== undefined &&
    existing.home === home &&
    from?.sha256 === config.sha256 &&
    from.generator === GENERATOR_VERSION &&
    descriptorPaths(existing).every((p) => fs.existsSync(p))
  );
}

/**
 * Refuses to wipe a home whose nodes are running: a live `nodes/<name>/node.pid` process would keep
 * serving a ledger that no longer matches the new genesis block.
 */
function assertNoLiveNodes(home: string): void {
  const nodesDir = path.join(home, 'nodes');
  if (!fs.existsSync(nodesDir)) return;
  for (const node of fs.readdirSync(nodesDir)) {
    const pidFile = path.join(nodesDir, node, 'node.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : NaN;
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') continue;
    }
    throw new Error(
      `node ${node} (pid ${pid}) is running from ${home}: stop the network before regenerating it ` +
        '(to add a ministry appended to the list to the running channel: npm run ministry:add)',
    );
  }
}

/** Writes a file through a temporary name so readers never see half of it. */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/**
 * Prepares a CA's home: its HTTPS certificate from the organization's TLS CA (SANs: its node name,
 * localhost, 127.0.0.1), a random bootstrap secret for its registrar (mode 0600) and its state folder.
 */
export async function prepareCAHome(ca: CADescriptor): Promise<void> {
  const tls = await issueTlsServerCert(
    path.dirname(ca.tls.caCertPath),
    [ca.name, 'localhost', '127.0.0.1'],
    path.dirname(ca.tls.certPath),
  );
  if (tls.certPath !== ca.tls.certPath) throw new Error(`CA TLS files landed in ${tls.certPath}`);
  fs.writeFileSync(ca.registrar.secretPath, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  fs.mkdirSync(ca.stateDir, { recursive: true });
}

/**
 * Generates the network under `home` from the list of ministries: crypto material (cryptogen layout),
 * the channel genesis block, the chaincode's collections config, connection profiles and network.json
 * (written last).
 *
 * Idempotent: when `<home>/network.json` was generated from the same YAML by the same generator and
 * every file it names exists, it is returned as is. Otherwise everything derived from the old network
 * (crypto, channel, profiles, chaincode, nodes) is removed and generated fresh; this throws if a node
 * of the old network is still running.
 */
export async function generateNetwork(options: GenerateOptions): Promise<NetworkDescriptor> {
  const home = path.resolve(options.home);
  const config = loadMinistries(options.ministriesFile);
  const existing = readExisting(home);
  if (!options.force && reusable(existing, home, config)) {
    // Homes generated before the common connection profiles existed get them too.
    writeConnectionProfiles(existing);
    return existing;
  }

  assertNoLiveNodes(home);
  for (const entry of DERIVED) fs.rmSync(path.join(home, entry), { recursive: true, force: true });

  const crypto = cryptoDir(home);
  await Promise.all([
    generateOrdererOrg(crypto, config.orderer),
    ...config.ministries.map((m) => generatePeerOrg(crypto, m)),
  ]);

  const descriptor = buildNetworkDescriptor(home, config);
  await Promise.all([descriptor.orderer.ca, ...descriptor.organizations.map((o) => o.ca)].map(prepareCAHome));
  const block = genesisBlock(newChannelGroup(profileFromMinistries(config, crypto)), config.channel);
  writeAtomic(descriptor.genesisBlockPath, block.serializeBinary());
  writeDerivedFiles(descriptor, config);
  return descriptor;
}

/**
 * Writes what follows from the list besides crypto and the genesis block: the collections config,
 * profiles, connection profiles, core.yaml, then network.json (last, naming the list it came from).
 */
export function writeDerivedFiles(descriptor: NetworkDescriptor, config: MinistriesConfig): void {
  writeCollectionsConfig(descriptor);
  writeProfiles(descriptor);
  writeConnectionProfiles(descriptor);
  writeCoreYaml(descriptor);
  descriptor.generatedFrom = {
    ministriesFile: config.sourceFile,
    sha256: config.sha256,
    generator: GENERATOR_VERSION,
    generatedAt: new Date().toISOString(),
  };
  writeAtomic(path.join(descriptor.home, 'network.json'), `${JSON.stringify(descriptor, null, 2)}\n`);
}
