/**
 * Benchmark (issue 22): a client that resets every stream after its response — @grpc/grpc-js
 * 1.10.3, as Caliper 0.6.0 pins it — on ONE connection to a devnet peer and to the orderer, for
 * DURATION_S seconds each (default 60) with IN_FLIGHT calls at a time; then a rapid-reset flood
 * (streams of ProcessProposal reset without waiting for their response) against the same peer,
 * which must be cut off with GOAWAY.
 *
 * The calls are of a method no devnet server has, answered UNIMPLEMENTED by grpc-js itself before
 * any devnet code runs: the cheapest call there is, so the figure is the HTTP/2 and TLS layers'
 * (where the reset handling is), not the endorser's. Beside the rate it gives the CPU time per call
 * of the client and of the node (from /proc), which says which side limits the rate. Writes
 * bench/results/rapid-reset-<time>.json and prints a summary table.
 *
 *   npm run bench:rapid-reset
 *
 * Starts its own devnet (ports + GOVFABRIC_BENCH_PORT_OFFSET, default 55000) and stops it at the end.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import {
  rapidResetFlood,
  unaryCalls,
  type FloodOutcome,
  type FloodTarget,
} from '@govfabric/devnet/dist/common/grpc/testing/resetclients';
import { REPO, log, round1, startBenchDevnet } from './support';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 55000);
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 64);
/** What the issue asks of one connection. */
const GOAL_PER_S = 500;
const METHOD = '/bench.Nothing/Call';
const UNIMPLEMENTED = 12;
/** The flood opens calls of a real method, whose handler waits for the request the client never sends. */
const FLOOD_METHOD = '/protos.Endorser/ProcessProposal';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain JS fixture that installs itself
const old = require(path.join(REPO, 'test', 'fixtures', 'grpc-js-1.10.3')) as typeof grpc;

interface Target extends FloodTarget {
  what: string;
  /** The node's pid file (for its CPU time). */
  pidFile: string;
}

interface Sustained {
  target: string;
  seconds: number;
  calls: number;
  callsPerSecond: number;
  /** Status code → count; a healthy run is all 12 (UNIMPLEMENTED). */
  codes: Record<string, number>;
  firstError?: string;
  /** CPU time per call (µs) of this client process and of the node. */
  clientCpuUsPerCall: number;
  nodeCpuUsPerCall: number;
}

/** User + system CPU time (µs) of process `pid`, from /proc. */
function cpuOfPid(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

const cpuOfSelf = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** IN_FLIGHT closed-loop lanes of unary calls on one channel (one connection) for DURATION_S. */
async function sustained(t: Target): Promise<Sustained> {
  const client = new old.Client(t.address, old.credentials.createSsl(fs.readFileSync(t.caCertPath)), {
    'grpc.ssl_target_name_override': t.host,
    'grpc.default_authority': t.host,
  });
  const pid = Number(fs.readFileSync(t.pidFile, 'utf8').trim());
  try {
    // Connects (TLS handshake) before the clock starts.
    await unaryCalls(client, { method: METHOD, inFlight: 1, calls: 1, expected: [UNIMPLEMENTED] });
    const [self0, node0] = [cpuOfSelf(), cpuOfPid(pid)];
    const out = await unaryCalls(client, {
      method: METHOD,
      inFlight: IN_FLIGHT,
      until: Date.now() + DURATION_S * 1000,
      expected: [UNIMPLEMENTED],
    });
    const [self1, node1] = [cpuOfSelf(), cpuOfPid(pid)];
    const seconds = out.ms / 1000;
    return {
      target: t.what,
      seconds: round1(seconds),
      calls: out.done,
      callsPerSecond: round1(out.done / seconds),
      codes: Object.fromEntries(out.codes),
      firstError: out.firstError,
      clientCpuUsPerCall: Math.round((self1 - self0) / out.done),
      nodeCpuUsPerCall: Math.round((node1 - node0) / out.done),
    };
  } finally {
    client.close();
  }
}

/** The summary table (Markdown) of the sustained runs and the flood. */
function table(runs: Sustained[], flood: FloodOutcome, loads: number[]): string {
  const rows = runs.map(
    (r) =>
      `| ${r.target} | ${r.calls} | ${r.callsPerSecond} | ${r.callsPerSecond >= GOAL_PER_S ? 'yes' : 'no'} | ` +
      `${r.calls - (r.codes[String(UNIMPLEMENTED)] ?? 0)} | ${r.clientCpuUsPerCall} | ${r.nodeCpuUsPerCall} |`,
  );
  return [
    `| target | calls in ${DURATION_S} s | calls/s | ≥ ${GOAL_PER_S}/s | failed | client CPU µs/call | node CPU µs/call |`,
    '| ------ | ---------: | ------: | :---: | -----: | -----------------: | ---------------: |',
    ...rows,
    '',
    `Flood: GOAWAY ${flood.goawayCode ?? 'never'} after ${flood.opened} streams (${round1(flood.ms / 1000)} s).`,
    `Load average (1 min) before each run and after the last: ${loads.map(round1).join(' / ')}.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const bench = startBenchDevnet(OFFSET, { batchTimeout: '100ms', maxMessageCount: 50 });
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(bench.home, 'network.json'), 'utf8')) as {
      orderer: { name: string; host: string; port: number; tls: { caCertPath: string } };
    };
    const org = bench.net().organizations[0];
    const pidFile = (node: string): string => path.join(bench.home, 'nodes', node, 'node.pid');
    const peer: Target = {
      what: org.peers[0].name,
      address: `${org.peers[0].host}:${org.peers[0].port}`,
      caCertPath: org.tlsCaCertPath,
      host: org.peers[0].name,
      pidFile: pidFile(org.peers[0].name),
    };
    const orderer: Target = {
      what: raw.orderer.name,
      address: `${raw.orderer.host}:${raw.orderer.port}`,
      caCertPath: raw.orderer.tls.caCertPath,
      host: raw.orderer.name,
      pidFile: pidFile(raw.orderer.name),
    };
    const runs: Sustained[] = [];
    const loads: number[] = [];
    for (const t of [peer, orderer]) {
      loads.push(os.loadavg()[0]);
      log(`${t.what}: grpc-js 1.10.3, one connection, ${IN_FLIGHT} in flight, ${DURATION_S} s ...`);
      const r = await sustained(t);
      log(
        `  ${r.calls} calls, ${r.callsPerSecond}/s, codes ${JSON.stringify(r.codes)}${r.firstError ? `, first error: ${r.firstError}` : ''}`,
      );
      runs.push(r);
    }
    log(`${peer.what}: rapid-reset flood ...`);
    const f = await rapidResetFlood(peer, FLOOD_METHOD, 100_000);
    loads.push(os.loadavg()[0]);
    const out = path.join(
      REPO,
      'bench',
      'results',
      `rapid-reset-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const machine = {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memGiB: round1(os.totalmem() / 2 ** 30),
      node: process.version,
      loadavg: loads.map(round1),
    };
    fs.writeFileSync(
      out,
      `${JSON.stringify({ machine, durationS: DURATION_S, inFlight: IN_FLIGHT, method: METHOD, sustained: runs, flood: f }, null, 2)}\n`,
    );
    console.log(`\n${table(runs, f, loads)}`);
    log(`wrote ${out}`);
    if (runs.some((r) => r.firstError !== undefined) || f.goawayCode === undefined) process.exitCode = 1;
  } finally {
    bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
