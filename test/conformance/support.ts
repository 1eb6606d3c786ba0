import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Contract } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { CONFORMANCE_CHAINCODE, REPO, devnetCli } from '../support/devnet';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import {
  connectLegacy,
  invokeChaincodeLegacy,
  type LegacyClient,
  type LegacyInvokeOptions as SharedInvokeOptions,
  type LegacyInvokeResult,
} from '../support/legacy';

export type { LegacyClient } from '../support/legacy';
export type { GatewayConnection } from '../support/gateway';

/** What the conformance suite runs against: the test devnet or a real Fabric network. */
export interface ConformanceNetwork {
  /** 'devnet' (started by the integration global setup) or 'fabric' (GOVFABRIC_FABRIC_NETWORK). */
  kind: 'devnet' | 'fabric';
  /** The network's descriptor (network.json shape): orgs, peers, orderer, identities, TLS CAs. */
  net: NetworkDescriptor;
  channel: string;
  /** Name of the conformance chaincode (test/fixtures/conformance-cc) deployed on the network. */
  chaincode: string;
  /** MSP ids of the application organizations, in the descriptor's order. */
  mspIds: string[];
  /** The devnet runtime directory; undefined on real Fabric. */
  devnetHome?: string;
  /** A fabric-gateway connection to an org's first peer as its User1 (or Admin). */
  gateway(mspId: string, who?: 'user' | 'admin'): GatewayConnection;
  /** The conformance chaincode's Contract over a gateway connection. */
  contract(conn: GatewayConnection): Contract;
  /** A fabric-common client of an org with endorsers on every org's peer, the orderer and an eventer. */
  legacy(mspId: string): Promise<LegacyClient>;
}

let announced = false;

/**
 * The network the conformance suite tests. With GOVFABRIC_FABRIC_NETWORK=<file> (network.json shape)
 * it is that real Fabric network (the conformance chaincode must be deployed there under
 * GOVFABRIC_CONFORMANCE_CHAINCODE, default `conformance`); otherwise the devnet of the integration
 * global setup. Says once which one runs and that the other is skipped.
 */
export function conformanceNetwork(): ConformanceNetwork {
  const fabricFile = process.env.GOVFABRIC_FABRIC_NETWORK;
  const kind = fabricFile !== undefined && fabricFile !== '' ? 'fabric' : 'devnet';
  const net = kind === 'fabric' ? readDescriptor(fabricFile as string) : devnetDescriptor();
  const chaincode = process.env.GOVFABRIC_CONFORMANCE_CHAINCODE ?? CONFORMANCE_CHAINCODE;
  if (!announced) {
    announced = true;
    console.log(
      kind === 'fabric'
        ? `conformance: running against the real Fabric network of ${fabricFile} (chaincode ${chaincode})`
        : 'conformance: running against devnet; the real Fabric run is SKIPPED (set GOVFABRIC_FABRIC_NETWORK=<network.json> to run it)',
    );
  }
  return {
    kind,
    net,
    channel: net.channel,
    chaincode,
    mspIds: net.organizations.map((o) => o.mspId),
    devnetHome: kind === 'devnet' ? net.home : undefined,
    gateway: (mspId, who = 'user') => connectGateway(net, mspId, who),
    contract: (conn) => conn.gateway.getNetwork(net.channel).getContract(chaincode),
    legacy: (mspId) => connectLegacy(net, mspId),
  };
}

function readDescriptor(file: string): NetworkDescriptor {
  if (!fs.existsSync(file)) throw new Error(`GOVFABRIC_FABRIC_NETWORK=${file}: no such file`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NetworkDescriptor;
}

function devnetDescriptor(): NetworkDescriptor {
  const home = process.env.DEVNET_HOME;
  if (home === undefined)
    throw new Error(
      'DEVNET_HOME is not set: run the conformance tests through jest --selectProjects integration',
    );
  return readDescriptor(path.join(home, 'network.json'));
}

/**
 * `it` for tests that need devnet's process control (kill -9, restart): on real Fabric they are
 * skipped with a message naming them (a Fabric operator crash-tests their own nodes).
 */
export function itOnDevnet(c: ConformanceNetwork): jest.It {
  if (c.kind === 'devnet') return it;
  return ((name: string) =>
    it.skip(`${name} (devnet only: skipped on real Fabric)`, () => undefined)) as unknown as jest.It;
}

/**
 * Major version of the real Fabric network's peers (`fabric.version` of network.json, which
 * fabric-samples-scripts/native.sh records from `peer version`); undefined on devnet or when unknown.
 * Where Fabric 2.5 and 3.x differ, tests pin each one's behaviour; devnet follows 3.x.
 */
export function fabricMajor(c: ConformanceNetwork): number | undefined {
  const version = (c.net as { fabric?: { version?: string } }).fabric?.version;
  const major = version === undefined ? NaN : Number.parseInt(version, 10);
  return c.kind === 'fabric' && Number.isInteger(major) ? major : undefined;
}

/** Runs a devnet CLI command on the conformance devnet (up restarts missing processes). */
export function devnet(c: ConformanceNetwork, command: string): string {
  if (c.devnetHome === undefined) throw new Error(`devnet ${command}: not on devnet`);
  return devnetCli(c.devnetHome, command);
}

/**
 * Runs a devnet CLI command without blocking the event loop (clients keep running meanwhile);
 * resolves with its output, rejects with it on a non-zero exit.
 */
export function devnetAsync(c: ConformanceNetwork, command: string): Promise<string> {
  const home = c.devnetHome;
  if (home === undefined) return Promise.reject(new Error(`devnet ${command}: not on devnet`));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO, 'devnet', 'dist', 'node', 'cli.js'), ...command.split(' ')],
      {
        env: { ...process.env, DEVNET_HOME: home, DEVNET_MINISTRIES: path.join(home, 'ministries.yaml') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`devnet ${command} failed (${code}):\n${out}`)),
    );
  });
}

/** The pid of a running devnet node (orderer or peer) from its pid file. */
export function nodePid(c: ConformanceNetwork, nodeName: string): number {
  if (c.devnetHome === undefined) throw new Error('nodePid: not on devnet');
  const file = path.join(c.devnetHome, 'nodes', nodeName, 'node.pid');
  return Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
}

/** A key unique to this test run (tests share one ledger and may run again on the same network). */
export function uniqueKey(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** UTF-8 text of a transaction result. */
export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/** Options of {@link legacyInvoke}. */
export type LegacyInvokeOptions = SharedInvokeOptions & { transient?: Record<string, string> };

/** What {@link legacyInvoke} observed: endorsement payload, tx id, validation code and block number. */
export type LegacyInvokeOutcome = LegacyInvokeResult;

/**
 * Invokes any chaincode the way the peer CLI does (fabric-common): proposals to the named orgs' peers,
 * Broadcast to the orderer, the commit event from DeliverFiltered, then every peer's commit (see
 * {@link invokeChaincodeLegacy}). Throws on a failed endorsement.
 */
export async function legacyInvoke(
  legacy: LegacyClient,
  o: LegacyInvokeOptions,
): Promise<LegacyInvokeOutcome> {
  return invokeChaincodeLegacy(legacy, o);
}

/** Sends a proposal that is never submitted to one org's peer (fabric-common); returns status, message, payload. */
export async function legacyQuery(
  legacy: LegacyClient,
  o: { chaincode: string; peerOf: string; fcn: string; args: string[]; transient?: Record<string, string> },
): Promise<{ status: number; message: string; payload: string }> {
  const query = legacy.channel.newQuery(o.chaincode);
  const transientMap =
    o.transient === undefined
      ? undefined
      : Object.fromEntries(Object.entries(o.transient).map(([k, v]) => [k, Buffer.from(v)]));
  query.build(legacy.idx, { fcn: o.fcn, args: o.args, transientMap });
  query.sign(legacy.idx);
  const endorser = legacy.endorsers.get(o.peerOf);
  if (endorser === undefined) throw new Error(`no endorser for ${o.peerOf}`);
  const results = await query.send({ targets: [endorser], requestTimeout: 30_000 });
  if (results.errors.length > 0) throw results.errors[0];
  const r = results.responses[0];
  return {
    status: r.response.status,
    message: r.response.message,
    payload: r.response.payload.toString('utf8'),
  };
}

/** Everything an error from a real client says: message, gRPC code and each endorser's / orderer's detail. */
export function errorText(err: unknown): string {
  const e = err as {
    message?: string;
    code?: number;
    details?: { address?: string; mspId?: string; message?: string }[];
  };
  const details = Array.isArray(e.details)
    ? e.details.map((d) => `[${d.mspId ?? ''}@${d.address ?? ''}] ${d.message ?? ''}`)
    : [];
  return [e.message ?? String(err), e.code !== undefined ? `code=${e.code}` : '', ...details]
    .filter((s) => s !== '')
    .join(' | ');
}

/** Awaits `p`, which must fail, and returns {@link errorText} of its error (fails the test if it succeeded). */
export async function failureOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return errorText(err);
  }
  throw new Error('expected a failure, but the call succeeded');
}

/**
 * The first organizations of `mspIds` (but `except`) that make a MAJORITY of all of them, as the
 * channel's implicit MAJORITY policies count (more than half): 2 of 3, 3 of 4.
 */
export function majorityOf(mspIds: readonly string[], except?: string): string[] {
  const needed = Math.floor(mspIds.length / 2) + 1;
  const orgs = mspIds.filter((m) => m !== except).slice(0, needed);
  if (orgs.length < needed) throw new Error(`${mspIds.length} organizations without ${except}: no majority`);
  return orgs;
}
