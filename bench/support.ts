/**
 * What the benchmarks share: the bench devnet (its ministries.yaml with a port offset, the devnet
 * CLI, start and stop), gateway connections from its network.json, a timestamped log and the
 * statistics helpers.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Gateway } from '@hyperledger/fabric-gateway';

/** The repository root (the benchmarks run from bench/dist). */
export const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'devnet', 'dist', 'node', 'cli.js');

/** How the bench devnet's orderer cuts blocks. */
export interface BatchSettings {
  batchTimeout: string;
  maxMessageCount: number;
}

/** What else the bench devnet has besides the three ministries. */
export interface BenchNetworkOptions {
  /** The central bank as a fourth organization (`CentralBankMSP`: the currency and its collections). */
  centralBank?: boolean;
  /** Education's users (cryptogen's Users: Count), default 1. */
  educationUsers?: number;
}

/** The ministries.yaml of the bench devnet: orderer and three ministries (and the central bank), every port (CAs' too) + `offset`. */
export function ministriesYaml(
  offset: number,
  batch: BatchSettings,
  options: BenchNetworkOptions = {},
): string {
  const p = (n: number): number => n + offset;
  const users = options.educationUsers ?? 1;
  const bank = options.centralBank
    ? `  - { mspId: CentralBankMSP, name: CentralBank, domain: centralbank.egov.local, peers: [{ hostname: peer0, port: ${p(10051)}, operationsPort: ${p(9447)}, chaincodePort: ${p(10052)} }], ca: { port: ${p(10054)} } }\n`
    : '';
  return `
channel: egov
chaincode: { name: egov, version: "0.1" }
orderer:
  name: OrdererOrg
  mspId: OrdererMSP
  domain: egov.local
  hostname: orderer
  port: ${p(7050)}
  operationsPort: ${p(9443)}
  ca: { port: ${p(6054)} }
  batchTimeout: ${batch.batchTimeout}
  batchSize: { maxMessageCount: ${batch.maxMessageCount}, absoluteMaxBytes: 10 MB, preferredMaxBytes: 2 MB }
ministries:
  - { mspId: ImmigrationMSP, name: Immigration, domain: immigration.egov.local, peers: [{ hostname: peer0, port: ${p(7051)}, operationsPort: ${p(9444)}, chaincodePort: ${p(7052)} }], ca: { port: ${p(7054)} } }
  - { mspId: EducationMSP, name: Education, domain: education.egov.local, users: ${users}, peers: [{ hostname: peer0, port: ${p(8051)}, operationsPort: ${p(9445)}, chaincodePort: ${p(8052)} }], ca: { port: ${p(8054)} } }
  - { mspId: HealthMSP, name: Health, domain: health.egov.local, peers: [{ hostname: peer0, port: ${p(9051)}, operationsPort: ${p(9446)}, chaincodePort: ${p(9052)} }], ca: { port: ${p(9054)} } }
${bank}`;
}

/** Prints a line prefixed with the UTC time of day. */
export function log(line: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** Runs the devnet CLI (devnet/dist/node/cli.js) on the devnet in `home`; throws with its output on failure. */
export function devnet(home: string, ...args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, DEVNET_HOME: home, DEVNET_MINISTRIES: path.join(home, 'ministries.yaml') },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`devnet ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

/** Certificate and key files of one identity in network.json. */
export interface IdentityFiles {
  certPath: string;
  keyPath: string;
}

/** The parts of the devnet's network.json the benchmarks read. */
export interface Net {
  channel: string;
  /** The collections config of the network's own chaincode (egov), when it has one. */
  collectionsConfigPath?: string;
  organizations: {
    mspId: string;
    tlsCaCertPath: string;
    peers: { name: string; host: string; port: number }[];
    admin: IdentityFiles;
    user: IdentityFiles;
    /** User1..UserN. */
    users: IdentityFiles[];
  }[];
}

/** A devnet started by {@link startBenchDevnet}. */
export interface BenchDevnet {
  /** Its runtime directory (DEVNET_HOME), a fresh temporary directory. */
  home: string;
  /** Runs the devnet CLI on it, e.g. `cli('deploy')`. */
  cli(...args: string[]): void;
  /** Its network.json (read on each call: it exists once the devnet is up). */
  net(): Net;
  /** Stops it and deletes its directory. */
  stop(): void;
}

/** Starts a devnet in a temporary directory with every port + `offset`; logs where. */
export function startBenchDevnet(
  offset: number,
  batch: BatchSettings,
  options: BenchNetworkOptions = {},
): BenchDevnet {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-bench-'));
  fs.writeFileSync(path.join(home, 'ministries.yaml'), ministriesYaml(offset, batch, options));
  log(`starting a devnet in ${home} (port offset ${offset})`);
  devnet(home, 'up');
  return {
    home,
    cli: (...args) => devnet(home, ...args),
    net: () => JSON.parse(fs.readFileSync(path.join(home, 'network.json'), 'utf8')) as Net,
    stop: () => {
      devnet(home, 'down');
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A gateway to a ministry's first peer as its admin or User1; `contract(name)` opens a chaincode. */
export interface Conn {
  contract(chaincode: string): Contract;
  close(): void;
}

/** Connects @hyperledger/fabric-gateway to `mspId`'s first peer as its admin, User1 or another of its identities. */
export function connectAs(net: Net, mspId: string, who: 'admin' | 'user' | IdentityFiles): Conn {
  const org = net.organizations.find((o) => o.mspId === mspId);
  if (org === undefined) throw new Error(`network.json has no organization ${mspId}`);
  const peer = org.peers[0];
  const client = new grpc.Client(
    `${peer.host}:${peer.port}`,
    grpc.credentials.createSsl(fs.readFileSync(org.tlsCaCertPath)),
    {
      'grpc.ssl_target_name_override': peer.name,
    },
  );
  const files = typeof who === 'string' ? org[who] : who;
  const gateway: Gateway = connect({
    client,
    identity: { mspId, credentials: fs.readFileSync(files.certPath) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(files.keyPath))),
    hash: hash.sha256,
  });
  return {
    contract: (name) => gateway.getNetwork(net.channel).getContract(name),
    close: () => (gateway.close(), client.close()),
  };
}

/**
 * A record of the demo schema's `education.credential` (or another type with its fields) with
 * public fields only; `id` is also the certificate number (12-64 characters of A-Z a-z 0-9 -).
 */
export function credentialRecord(
  id: string,
  subjectRef: string,
  recordType = 'education.credential',
): object {
  return {
    id,
    category: 'G2C',
    recordType,
    subjectRef,
    payload: {
      certificateNo: id,
      degree: 'BSc Computer Science',
      institution: 'University of Lisbon',
      year: 2024,
      grade: 3.5,
      honours: true,
    },
  };
}

/** The `q` quantile (0..1, nearest rank) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** The median of `values` (any order); NaN when empty. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rounds to one decimal. */
export const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Everything an error from fabric-gateway says, including each endorser's chaincode message. */
export function errorText(err: unknown): string {
  const details = (err as { details?: { message: string }[] }).details ?? [];
  return [(err as Error).message, ...details.map((d) => d.message)].join(' | ');
}

/** gRPC codes with which a Fabric gateway answers before its discovery knows the peers and their chaincodes. */
const NOT_READY_CODES: ReadonlySet<number> = new Set([9, 14]); // FAILED_PRECONDITION, UNAVAILABLE

/**
 * Runs `attempt` until it succeeds, again while the network answers that it is not ready yet: a Fabric
 * peer's gateway plans endorsements from gossip, which learns a just-deployed chaincode's peers a few
 * seconds after the deploy ("no combination of peers can be derived"). Any other error, or no success
 * within `timeoutMs`, is thrown.
 */
export async function untilReady<T>(what: string, attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'number' || !NOT_READY_CODES.has(code) || Date.now() > deadline) throw err;
      log(`${what}: not ready yet (${errorText(err)}); trying again`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
