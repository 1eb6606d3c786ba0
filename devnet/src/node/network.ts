import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  generateNetwork,
  issueTlsServerCert,
  type CADescriptor,
  type NetworkDescriptor,
} from '@govfabric/network-config';
import { writeCcaasPackage } from '../lifecycle/ccaaspackage';
import { deployDefinition } from '../peercli/deploydefinition';
import { common } from '@hyperledger/fabric-protos';
import { readCollectionsConfig, readCollectionsConfigFile } from '../privdata/collectionsfile';
import type { CollectionConfigJson } from '../privdata/collections';
import { DEFAULT_ENDORSEMENT_POLICY_REF } from '../lifecycle/chaincodedefinition';
import { channelConfigPolicyReference } from '../policies/applicationpolicy';
import { fromString } from '../policies/policydsl';
import { chaincodeServerEnv } from './chaincodeenv';
import {
  readDefinition,
  writeDefinition,
  chaincodeDir,
  type ChaincodeDefinitionFile,
} from '../lifecycle/definition';
import { loadNetwork, nodeDir } from './config';
import { caHealthy, grpcReady, healthz, portOpen, waitUntil } from './probe';
import { appPidFiles } from './apps';
import { nodeRuntime } from './noderuntime';
import { runningPid, startProcess, stopProcess } from './processes';
import { Progress } from './progress';

/** A process devnet runs: a node (orderer, peer), an organization's CA or a peer's chaincode server. */
export interface ManagedProcess {
  name: string;
  kind: 'orderer' | 'peer' | 'ca' | 'chaincode';
  pidFile: string;
  logFile: string;
  port: number;
  operationsPort?: number;
  /** A CA's identity for its health check (Fabric CA's cainfo over verified TLS). */
  ca?: CADescriptor;
  /** A chaincode server's chaincode name. */
  chaincode?: string;
}

const REPO = path.resolve(__dirname, '..', '..', '..');
const START_TIMEOUT_MS = 60_000;

/**
 * A chaincode devnet deploys as a service: the network's own (egov) or another one, such as the
 * conformance suite's, whose servers listen on each peer's chaincodePort + portShift.
 */
export interface ChaincodeSource {
  name: string;
  version: string;
  /** Folder of the chaincode (package.json + contracts) that fabric-shim's server loads. */
  modulePath: string;
  portShift: number;
  /**
   * Whether peers dial its servers over TLS (connection.json `tls_required`, the default); false serves them
   * in plaintext on the loopback, as fabric-samples-scripts/native.sh deploys to Fabric (`--chaincode-tls=false`).
   */
  tls?: boolean;
}

/** The network's own chaincode (egov). */
function defaultSource(net: NetworkDescriptor): ChaincodeSource {
  return { ...net.chaincode, modulePath: path.join(REPO, 'chaincode'), portShift: 0 };
}

/** Other chaincodes deployed with `devnet deploy <name> <path> <shift>`: `<home>/chaincode/<name>/source.json`. */
function extraSources(net: NetworkDescriptor): ChaincodeSource[] {
  const dir = path.join(net.home, 'chaincode');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => n !== net.chaincode.name && fs.existsSync(path.join(dir, n, 'source.json')))
    .map((n) => JSON.parse(fs.readFileSync(path.join(dir, n, 'source.json'), 'utf8')) as ChaincodeSource);
}

/** Every process of the network, orderer first, then peers, CAs, chaincode servers last. */
export function processesOf(net: NetworkDescriptor): ManagedProcess[] {
  const list: ManagedProcess[] = [
    nodeProcess(net.home, 'orderer', net.orderer.name, net.orderer.port, net.orderer.operationsPort),
  ];
  for (const org of net.organizations) {
    for (const peer of org.peers)
      list.push(nodeProcess(net.home, 'peer', peer.name, peer.port, peer.operationsPort));
  }
  // Older runtime directories have no CAs until regenerated.
  for (const ca of [net.orderer.ca, ...net.organizations.map((o) => o.ca)].filter((c) => c !== undefined))
    list.push({ ...nodeProcess(net.home, 'ca', ca.name, ca.port), ca });
  for (const cc of [defaultSource(net), ...extraSources(net)]) {
    for (const org of net.organizations) {
      for (const peer of org.peers) {
        const dir = nodeDir(net.home, peer.name);
        list.push({
          name: `${cc.name}@${peer.name}`,
          kind: 'chaincode',
          chaincode: cc.name,
          pidFile: path.join(dir, `chaincode-${cc.name}.pid`),
          logFile: path.join(dir, `chaincode-${cc.name}.log`),
          port: peer.chaincodePort + cc.portShift,
        });
      }
    }
  }
  return list;
}

function nodeProcess(
  home: string,
  kind: 'orderer' | 'peer' | 'ca',
  name: string,
  port: number,
  operationsPort?: number,
): ManagedProcess {
  const dir = nodeDir(home, name);
  return {
    name,
    kind,
    port,
    operationsPort,
    pidFile: path.join(dir, 'node.pid'),
    logFile: path.join(dir, 'node.log'),
  };
}

/** Generates the network if needed and starts the orderer, every peer and every CA; waits until each is healthy. */
export async function up(home: string, progress = new Progress(2)): Promise<NetworkDescriptor> {
  const net = await progress.run('Generating crypto material and the channel genesis block', () =>
    generateNetwork({ home, ministriesFile: process.env.DEVNET_MINISTRIES }),
  );
  await progress.run(`Starting the orderer, ${net.organizations.length} peers and their CAs`, async () => {
    const nodes = processesOf(net).filter((p) => p.kind !== 'chaincode');
    for (const node of nodes) {
      startNode(home, node);
      // The orderer first: peers pull blocks from it as soon as they start.
      if (node.kind === 'orderer') await waitHealthy(node);
    }
    await Promise.all(nodes.map(waitHealthy));
  });
  return net;
}

function startNode(home: string, node: ManagedProcess): void {
  if (runningPid(node.pidFile) !== undefined) return;
  const runtime = nodeRuntime(node.kind);
  startProcess({
    name: node.name,
    script: path.join(__dirname, `${node.kind}.js`),
    nodeOptions: runtime.nodeOptions,
    env: { ...runtime.env, DEVNET_HOME: home, DEVNET_NODE_NAME: node.name },
    logFile: node.logFile,
    pidFile: node.pidFile,
  });
}

async function waitHealthy(node: ManagedProcess): Promise<void> {
  const port = node.operationsPort;
  const ca = node.ca;
  const check =
    ca !== undefined
      ? () => caHealthy(ca)
      : port === undefined
        ? () => portOpen(node.port)
        : async () => (await healthz(port)) === 200;
  await waitUntil(
    `${node.name} (log: ${node.logFile})`,
    check,
    START_TIMEOUT_MS,
    () => runningPid(node.pidFile) === undefined,
  );
}

/**
 * The definition options of `peer lifecycle chaincode approveformyorg/commit` that `devnet deploy` takes.
 * Unset options keep the peer CLI's defaults (the channel's /Channel/Application/Endorsement policy, no
 * init, the chaincode folder's collections_config.json, the source's version, the next sequence).
 */
export interface DeployOptions {
  /** `--version`: the definition's (and the package label's) version. */
  version?: string;
  /** `--sequence`: the definition's sequence; default the committed one when unchanged, else the next. */
  sequence?: number;
  /** `--signature-policy`, e.g. `OR('ImmigrationMSP.peer','EducationMSP.peer')`. */
  signaturePolicy?: string;
  /** `--channel-config-policy`, e.g. `/Channel/Application/Writers`. */
  channelConfigPolicy?: string;
  /** `--collections-config`: a collections config file in the peer CLI's JSON format. */
  collectionsConfig?: string;
  /** `--init-required`: the chaincode must be invoked with Init first. */
  initRequired?: boolean;
}

/**
 * Deploys the chaincode as a service: each ministry packages it with its own connection.json, gets a
 * TLS certificate from its TLS CA for its chaincode server, and runs that server; then, through
 * `_lifecycle` as `peer lifecycle chaincode` does, each peer installs its package, each ministry
 * approves the definition, and it is committed (idempotent: an unchanged definition keeps its sequence).
 */
export async function deploy(
  home: string,
  progress = new Progress(2),
  source?: ChaincodeSource,
  options: DeployOptions = {},
  restart: ServerRestart = 'restart',
): Promise<ChaincodeDefinitionFile> {
  const net = loadNetwork(home);
  const cc = { ...(source ?? defaultSource(net)) };
  if (options.version !== undefined) cc.version = options.version;
  const { name, version } = cc;
  const collections = collectionsOf(net, cc, source === undefined, options);
  const endorsementPolicy = endorsementPolicyOf(options);
  if (source !== undefined && name !== net.chaincode.name) {
    fs.mkdirSync(chaincodeDir(home, name), { recursive: true });
    fs.writeFileSync(path.join(chaincodeDir(home, name), 'source.json'), JSON.stringify(cc, null, 2));
  }
  const { servers, packages } = await progress.run(
    `Packaging ${name} ${version} for each ministry and starting its chaincode servers`,
    () => startServers(net, cc, restart),
  );
  return progress.run(
    `Installing, approving and committing the definition of ${name} through _lifecycle`,
    async () => {
      // As `peer lifecycle chaincode install / approveformyorg / checkcommitreadiness / commit` do.
      const outcome = await deployDefinition(net, {
        name,
        version,
        packages,
        collections,
        sequence: options.sequence,
        initRequired: options.initRequired,
        validationParameter: endorsementPolicy.bytes,
      });
      // A record of what was deployed (peers read definitions from `_lifecycle`, not from this file).
      const def: ChaincodeDefinitionFile = {
        name,
        version,
        sequence: outcome.sequence,
        endorsementPolicy: endorsementPolicy.record,
        initRequired: options.initRequired ?? false,
        ...(collections ? { collections } : {}),
        servers,
      };
      writeDefinition(home, def);
      return def;
    },
  );
}

/**
 * The collections of a deploy, as the peer CLI's `--collections-config` gives them: the option's file;
 * else, for the network's own chaincode, the collections config network-config generated for it
 * (`network.json` collectionsConfigPath); else the chaincode folder's collections_config.json.
 */
function collectionsOf(
  net: NetworkDescriptor,
  cc: ChaincodeSource,
  networkChaincode: boolean,
  options: DeployOptions,
): CollectionConfigJson[] | undefined {
  if (options.collectionsConfig !== undefined) return readCollectionsConfigFile(options.collectionsConfig);
  if (networkChaincode && net.collectionsConfigPath !== undefined)
    return readCollectionsConfigFile(net.collectionsConfigPath);
  return readCollectionsConfig(cc.modulePath);
}

/**
 * The ApplicationPolicy bytes of the deploy options (undefined = the channel default) and its record;
 * a signature policy wins over a channel config policy (the CLI refuses both).
 */
function endorsementPolicyOf(options: DeployOptions): {
  bytes?: Uint8Array;
  record: ChaincodeDefinitionFile['endorsementPolicy'];
} {
  if (options.signaturePolicy !== undefined) {
    const ap = new common.ApplicationPolicy();
    try {
      ap.setSignaturePolicy(fromString(options.signaturePolicy));
    } catch (e) {
      throw new Error(`invalid --signature-policy ${options.signaturePolicy}: ${(e as Error).message}`);
    }
    return { bytes: ap.serializeBinary(), record: { signaturePolicy: options.signaturePolicy } };
  }
  if (options.channelConfigPolicy !== undefined) {
    const ap = channelConfigPolicyReference(options.channelConfigPolicy);
    return { bytes: ap.serializeBinary(), record: { channelConfigPolicy: options.channelConfigPolicy } };
  }
  return { record: { channelConfigPolicy: DEFAULT_ENDORSEMENT_POLICY_REF } };
}

/**
 * What a deploy does with chaincode servers already running: `restart` them all (`devnet deploy`), or
 * `keep-running` those that serve the same package (`ministry-add`: only the new peers' servers start).
 */
export type ServerRestart = 'restart' | 'keep-running';

/**
 * Packages the chaincode for each ministry's peer (its own connection.json, hence its own package id)
 * and (re)starts that peer's chaincode server with a TLS certificate from the ministry's TLS CA (or in
 * plaintext when the source says `tls: false`). The
 * package bytes do not change for the same chaincode, version and address, so a restart keeps the ids.
 */
async function startServers(
  net: NetworkDescriptor,
  cc: ChaincodeSource,
  restart: ServerRestart = 'restart',
): Promise<{ servers: ChaincodeDefinitionFile['servers']; packages: Map<string, Uint8Array> }> {
  const { name, version } = cc;
  const previous = readDefinition(net.home, name)?.servers ?? {};
  // Each peer's server is packaged, certified and started on its own, all at once: a server's start is
  // mostly waiting for Node to load the chaincode, which one after the other added up in `devnet up`.
  const peers = net.organizations.flatMap((org) => org.peers.map((peer) => ({ org, peer })));
  const started = await Promise.all(
    peers.map(async ({ org, peer }) => {
      const dir = path.join(chaincodeDir(net.home, name), peer.name);
      const serverName = `${name}.${peer.name}`;
      const tls =
        cc.tls === false
          ? undefined
          : await issueTlsServerCert(
              path.dirname(org.tlsCaCertPath),
              [serverName, 'localhost', '127.0.0.1'],
              path.join(dir, 'tls'),
            );
      const chaincodePort = peer.chaincodePort + cc.portShift;
      const address = `${peer.host}:${chaincodePort}`;
      const pkg = await writeCcaasPackage(path.join(dir, `${name}_${version}.tar.gz`), `${name}_${version}`, {
        address,
        dial_timeout: '10s',
        tls_required: tls !== undefined,
        client_auth_required: false,
        root_cert: tls === undefined ? '' : fs.readFileSync(org.tlsCaCertPath, 'utf8'),
      });
      const server: ChaincodeDefinitionFile['servers'][string] =
        tls === undefined
          ? { address, packageId: pkg.packageId }
          : { address, rootCertPath: org.tlsCaCertPath, serverName, packageId: pkg.packageId };
      const result = { peer: peer.name, server, pkg: fs.readFileSync(pkg.file) };
      const proc = processesOf(net).find((p) => p.kind === 'chaincode' && p.name === `${name}@${peer.name}`);
      if (proc === undefined) throw new Error(`no chaincode server entry for ${peer.name}`);
      const serving =
        runningPid(proc.pidFile) !== undefined && previous[peer.name]?.packageId === pkg.packageId;
      // Its server already serves this package: nothing to start.
      if (restart === 'keep-running' && serving) return result;
      await stopProcess(proc.pidFile);
      startProcess({
        name: proc.name,
        script: require.resolve('fabric-shim/cli.js'),
        args: [
          'server',
          `--chaincode-address=${address}`,
          `--chaincode-id=${pkg.packageId}`,
          ...(tls === undefined
            ? []
            : [`--chaincode-tls-cert-file=${tls.certPath}`, `--chaincode-tls-key-file=${tls.keyPath}`]),
          `--module-path=${cc.modulePath}`,
        ],
        cwd: cc.modulePath,
        env: chaincodeServerEnv({
          packageId: pkg.packageId,
          mspId: org.mspId,
          address,
          tls: tls !== undefined,
        }),
        logFile: proc.logFile,
        pidFile: proc.pidFile,
      });
      const rootCert = tls === undefined ? undefined : fs.readFileSync(org.tlsCaCertPath);
      await waitUntil(
        `${proc.name} (log: ${proc.logFile})`,
        async () => (await portOpen(chaincodePort)) && grpcReady(address, rootCert, serverName),
        START_TIMEOUT_MS,
        () => runningPid(proc.pidFile) === undefined,
      );
      return result;
    }),
  );
  // In the network's order of peers, as before (the definition record, the install order).
  const servers: ChaincodeDefinitionFile['servers'] = {};
  const packages = new Map<string, Uint8Array>();
  for (const s of started) {
    servers[s.peer] = s.server;
    packages.set(s.peer, s.pkg);
  }
  return { servers, packages };
}

/**
 * The chaincodes deployed on the network (each with a definition record), the network's own and any
 * other, with the version last deployed.
 */
export function deployedChaincodes(net: NetworkDescriptor): ChaincodeSource[] {
  return [defaultSource(net), ...extraSources(net)].flatMap((cc) => {
    const def = readDefinition(net.home, cc.name);
    return def === undefined ? [] : [{ ...cc, version: def.version }];
  });
}

/**
 * Restarts the chaincode servers of every deployed chaincode (after `down`/`up`); the definitions stay
 * as committed in `_lifecycle`. Resolves with the names of the chaincodes restarted.
 */
export async function startChaincodeServers(home: string): Promise<string[]> {
  const net = loadNetwork(home);
  const deployed = deployedChaincodes(net);
  // Each chaincode's servers have ports of their own (chaincodePort + its shift): all start at once.
  await Promise.all(deployed.map((cc) => startServers(net, cc)));
  return deployed.map((cc) => cc.name);
}

/** Stops every process of the network (applications and chaincode servers first, orderer last). */
export async function down(home: string): Promise<string[]> {
  const stopped: string[] = [];
  for (const pidFile of appPidFiles(home)) {
    if (await stopProcess(pidFile)) stopped.push(path.basename(pidFile, '.pid'));
  }
  if (!fs.existsSync(path.join(home, 'network.json'))) return stopped;
  const procs = processesOf(loadNetwork(home)).reverse();
  await Promise.all(
    procs
      .filter((p) => p.kind !== 'orderer')
      .map(async (p) => (await stopProcess(p.pidFile)) && stopped.push(p.name)),
  );
  for (const p of procs.filter((q) => q.kind === 'orderer'))
    if (await stopProcess(p.pidFile)) stopped.push(p.name);
  return stopped;
}

/** One line per process: name, pid (or stopped), port and health. */
export async function status(
  home: string,
): Promise<{ name: string; pid?: number; port: number; healthy: boolean }[]> {
  if (!fs.existsSync(path.join(home, 'network.json'))) return [];
  const net = loadNetwork(home);
  const deployed = new Set(deployedChaincodes(net).map((cc) => cc.name));
  // The network's own chaincode's servers are listed once it is deployed (or while one runs): a
  // network of other chaincodes only (fabric-samples') has no egov servers to report as down.
  const listed = processesOf(net).filter(
    (p) => p.chaincode === undefined || deployed.has(p.chaincode) || runningPid(p.pidFile) !== undefined,
  );
  return Promise.all(
    listed.map(async (p) => {
      const pid = runningPid(p.pidFile);
      const healthy =
        pid !== undefined &&
        (p.ca !== undefined
          ? await caHealthy(p.ca)
          : p.operationsPort !== undefined
            ? (await healthz(p.operationsPort)) === 200
            : await portOpen(p.port));
      return { name: p.name, pid, port: p.port, healthy };
    }),
  );
}

/** Stops everything and removes the runtime directory. */
export async function clean(home: string): Promise<void> {
  await down(home);
  fs.rmSync(home, { recursive: true, force: true });
}
