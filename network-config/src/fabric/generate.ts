import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { loadMinistries } from '../ministries/load';
import type { MinistriesConfig } from '../ministries/config';
import { writeConnectionProfiles } from '../output/connectionprofile';
import { buildNetworkDescriptor, cryptoDir } from '../output/descriptor';
import { writeCollectionsConfig } from '../output/collections';
import { writeProfiles } from '../output/profiles';
import type { NetworkMaybeWithCAs } from '../types';
import { buildConfigtx } from './configtxyaml';
import { buildCryptoConfig } from './cryptoconfig';
import { buildNodeEnvFiles, IMAGE_LOCATIONS, type NodeFileLocations } from './nodeenv';
import { DEFAULT_ORDERER_COUNT, planNetwork, splitEndpoint, type Addressing, type FabricPlan } from './plan';

/**
 * What `network.json` of a real Fabric network holds: devnet's {@link NetworkDescriptor} without
 * the CAs (cryptogen makes the crypto material; no Fabric CA runs there), plus the plan.
 */
export interface FabricNetworkDescriptor extends NetworkMaybeWithCAs {
  fabric: {
    addressing: Addressing;
    /** Every Raft orderer; `orderer` above is the first one. */
    orderers: FabricPlan['orderers'];
    peers: FabricPlan['peers'];
  };
}

/** Options of {@link generateFabricNetwork}. */
export interface FabricGenerateOptions {
  /** Output folder; crypto material goes to `<out>/crypto` (cryptogen's `--output`). */
  out: string;
  /** Ministries YAML; default `network-config/ministries.yaml`. */
  ministriesFile?: string;
  addressing: Addressing;
  ordererCount?: number;
  /**
   * Where the nodes find their files. Default: native addressing, the output folder itself
   * (`<out>/crypto`, `<out>/data`) and `ccaasBuilderDir` (required); dns addressing, the locations
   * inside Fabric's images ({@link IMAGE_LOCATIONS}).
   */
  nodeFiles?: Partial<NodeFileLocations>;
}

/** What {@link generateFabricNetwork} wrote, by role. */
export interface FabricGenerated {
  configtx: string;
  cryptoConfig: string;
  envFiles: string[];
  nodesList: string;
  descriptor: string;
  profiles: string[];
  network: FabricNetworkDescriptor;
}

/**
 * The test descriptor (network.json) of the real network: devnet's descriptor shape, in cryptogen's
 * layout under `<out>/crypto`, with the addresses clients outside the network dial, plus the plan.
 */
export function buildFabricDescriptor(
  out: string,
  config: MinistriesConfig,
  plan: FabricPlan,
): FabricNetworkDescriptor {
  const base = buildNetworkDescriptor(out, config);
  const first = plan.orderers[0];
  const client = splitEndpoint(first.clientEndpoint);
  const ops = splitEndpoint(first.operationsEndpoint);
  const orderer = {
    ...withoutCA(base.orderer),
    name: first.name,
    host: client.host,
    port: client.port,
    operationsPort: ops.port,
  };
  const organizations = base.organizations.map((org) => ({
    ...withoutCA(org),
    peers: org.peers.map((p) => {
      const node = plan.peers.find((n) => n.name === p.name);
      if (node === undefined) throw new Error(`peer ${p.name} is not in the plan`);
      const c = splitEndpoint(node.clientEndpoint);
      return {
        ...p,
        host: c.host,
        port: c.port,
        operationsPort: splitEndpoint(node.operationsEndpoint).port,
        chaincodePort: node.chaincodeServerPort,
        externalEndpoint: node.externalEndpoint,
      };
    }),
  }));
  return {
    ...base,
    orderer,
    organizations,
    fabric: { addressing: plan.addressing, orderers: plan.orderers, peers: plan.peers },
  };
}

/** `part` without its `ca`: the real network runs no Fabric CA. */
function withoutCA<T extends { ca?: unknown }>(part: T): Omit<T, 'ca'> {
  const copy: Omit<T, 'ca'> & { ca?: unknown } = { ...part };
  delete copy.ca;
  return copy;
}

/**
 * One line per node for the shell scripts: `<kind> <node name> <address> <MSP id> <client endpoint>
 * <admin endpoint or -> <operations endpoint>` (endpoints as a client outside the network dials them).
 */
export function buildNodesList(config: MinistriesConfig, plan: FabricPlan): string {
  const lines = [
    ...plan.orderers.map(
      (o) =>
        `orderer ${o.name} ${o.host} ${config.orderer.mspId} ${o.clientEndpoint} ${o.adminEndpoint} ${o.operationsEndpoint}`,
    ),
    ...plan.peers.map(
      (p) => `peer ${p.name} ${p.host} ${p.mspId} ${p.clientEndpoint} - ${p.operationsEndpoint}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Resolves where the nodes find their files (see {@link FabricGenerateOptions.nodeFiles}). */
function nodeFileLocations(options: FabricGenerateOptions, out: string): NodeFileLocations {
  const defaults =
    options.addressing.kind === 'dns'
      ? IMAGE_LOCATIONS
      : { cryptoDir: cryptoDir(out), dataDir: path.join(out, 'data'), ccaasBuilderDir: '' };
  const files = { ...defaults, ...options.nodeFiles };
  if (files.ccaasBuilderDir === '')
    throw new Error('the ccaas builder folder is required for native addressing (--ccaas-builder)');
  return files;
}

/** Writes a YAML file with a comment header. */
function writeYaml(file: string, header: string, value: unknown): void {
  fs.writeFileSync(file, `# ${header}\n${stringify(value, { lineWidth: 0 })}`);
}

/**
 * Generates what a real Fabric network of the ministries needs, into `out`: configtx.yaml (profile
 * `ChannelUsingRaft`), crypto-config.yaml, `env/<node>.env` (orderer.yaml / core.yaml overrides),
 * `nodes.list`, network.json (the test descriptor), the gateway's `profiles/` and the chaincode's
 * collections config (`collections/<chaincode>.json`, with a central bank). The crypto
 * material itself is cryptogen's to make (`cryptogen generate --config crypto-config.yaml --output
 * <out>/crypto`), the channel block configtxgen's. Overwrites these files; touches nothing else.
 */
export function generateFabricNetwork(options: FabricGenerateOptions): FabricGenerated {
  const out = path.resolve(options.out);
  const config = loadMinistries(options.ministriesFile);
  const plan = planNetwork(config, options.addressing, options.ordererCount ?? DEFAULT_ORDERER_COUNT);
  const files = nodeFileLocations(options, out);
  fs.mkdirSync(path.join(out, 'env'), { recursive: true });

  const source = config.sourceFile ?? 'ministries.yaml';
  const configtx = path.join(out, 'configtx.yaml');
  writeYaml(
    configtx,
    `Generated by network-config from ${source}. configtxgen -profile ChannelUsingRaft -outputBlock <block> -channelID ${config.channel}`,
    buildConfigtx(config, plan, cryptoDir(out), out),
  );
  const cryptoConfig = path.join(out, 'crypto-config.yaml');
  writeYaml(
    cryptoConfig,
    `Generated by network-config from ${source}. cryptogen generate --config crypto-config.yaml --output crypto`,
    buildCryptoConfig(config, plan),
  );
  const envFiles: string[] = [];
  for (const [name, text] of buildNodeEnvFiles(config, plan, files)) {
    const file = path.join(out, 'env', name);
    fs.writeFileSync(file, text);
    envFiles.push(file);
  }
  const nodesList = path.join(out, 'nodes.list');
  fs.writeFileSync(nodesList, buildNodesList(config, plan));

  const network = buildFabricDescriptor(out, config, plan);
  writeCollectionsConfig(network);
  const profiles = writeProfiles(network);
  const descriptor = path.join(out, 'network.json');
  fs.writeFileSync(descriptor, `${JSON.stringify(network, null, 2)}\n`);
  return { configtx, cryptoConfig, envFiles, nodesList, descriptor, profiles, network };
}

/**
 * Writes the common connection profiles (`profiles/connection-<ministry>.{json,yaml}`, for
 * fabric-network and Caliper) of the network generated in `out`. They carry the TLS CA
 * certificates inline, so this runs once cryptogen has made the crypto material. Throws naming
 * what is missing.
 */
export function writeFabricConnectionProfiles(out: string): string[] {
  const file = path.join(path.resolve(out), 'network.json');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: generate the network files first`);
  return writeConnectionProfiles(JSON.parse(fs.readFileSync(file, 'utf8')) as NetworkMaybeWithCAs);
}
