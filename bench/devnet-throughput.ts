/**
 * Benchmark (issues 9 and 19): write and read throughput of a one-key chaincode (the conformance
 * chaincode's Put / Get) through @hyperledger/fabric-gateway, on devnet and, side by side, on any
 * other network given by its descriptor (a network.json such as `fabric-samples-scripts/native.sh up`
 * writes for real Fabric). Networks take turns in every round, in an order that rotates with the
 * round, so the load of a shared machine hits each alike; the figures are per-round medians and the
 * ratios devnet / other. Per network it also reports the CPU-seconds every process (orderers, peers,
 * chaincode servers) spent per 1,000 committed writes and their peak resident memory. Prints
 * progress; writes bench/results/devnet-throughput-<time>.json. Nothing asserts on time.
 *
 *   npm run build && npx tsc -p bench && node bench/dist/devnet-throughput.js
 *   BENCH_NETWORKS=devnet,fabric=/tmp/fabric/network.json node bench/dist/devnet-throughput.js
 *
 * `devnet` is a devnet the benchmark starts in a temporary directory (ports + GOVFABRIC_BENCH_PORT_OFFSET,
 * default 25500) and stops at the end; `name=<network.json>` is a running network whose descriptor's
 * `home` holds the pid files of its processes (`pids/*.pid`, or devnet's `nodes/<node>/*.pid`) and
 * which has the conformance chaincode deployed. BENCH_ROUNDS (default 3) rounds; BENCH_SCALE
 * (default 1) multiplies the transaction counts; BENCH_SETTLE_MS (default 15000) of idleness, then
 * BENCH_WARMUP (default 300) unmeasured writes and reads per network, come first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Contract } from '@hyperledger/fabric-gateway';
import { cpuSnapshot, networkProcesses } from './cpu';
import {
  REPO,
  connectAs,
  errorText,
  log,
  median,
  percentile,
  round1 as round,
  startBenchDevnet,
  untilReady,
  type BenchDevnet,
  type Conn,
  type Net,
} from './support';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 25500);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 15_000);
const CHAINCODE = 'conformance';
const VALUE = 'x'.repeat(100); // 100-byte values, as Fabric's published figures use
const BATCH_TIMEOUT = '100ms';
const MAX_MESSAGE_COUNT = 50;
/** The client's organization: its first peer runs the gateway the benchmark talks to. */
const CLIENT_MSP = 'ImmigrationMSP';

/** One measured phase: writes at a concurrency, or reads. */
interface PhaseSpec {
  kind: 'write' | 'read';
  concurrency: number;
  count: number;
}

const PHASES: PhaseSpec[] = (
  [
    { kind: 'write', concurrency: 10, count: 100 },
    { kind: 'write', concurrency: 50, count: 250 },
    { kind: 'write', concurrency: 200, count: 400 },
    { kind: 'read', concurrency: 50, count: 1000 },
  ] satisfies PhaseSpec[]
).map((p) => ({ ...p, count: Math.round(p.count * SCALE) }));

/** A network under test: its descriptor, a gateway connection and its processes. */
interface Network {
  name: string;
  net: Net & { home?: string };
  conn: Conn;
  /** Written keys, for the reads. */
  written: string[];
  /** Process label → pid. */
  processes(): Map<string, number>;
  devnet?: BenchDevnet;
}

/** One phase on one network in one round. */
interface Sample {
  network: string;
  phase: string;
  round: number;
  transactions: number;
  failed: number;
  seconds: number;
  tps: number;
  latenciesMs: number[];
  /** CPU-seconds per process during the phase. */
  cpuSeconds: Record<string, number>;
  /**
   * CPU-seconds of this benchmark's own process (the fabric-gateway client) during the phase: the same
   * client code against every network, so a difference is the cost of what the network sends it.
   */
  clientCpuSeconds: number;
  /** Writes only: milliseconds of each committed write's endorse, submit and commit-status calls. */
  stepsMs?: Record<WriteStep, number[]>;
  /** Writes only: the writes that went into one block, as a burst (see {@link burstStats}). */
  bursts?: BurstStats;
  firstError?: string;
}

/** The three calls of fabric-gateway's submitTransaction, timed apart. */
type WriteStep = 'endorse' | 'submit' | 'commitStatus';
const WRITE_STEPS: WriteStep[] = ['endorse', 'submit', 'commitStatus'];

/** When a write was started and its submit acknowledged (ms, `performance.now()`), and the block it went into. */
interface WriteTimes {
  startedMs: number;
  submittedMs: number;
  block: bigint;
}

/**
 * Per block, medians over the phase's blocks but its first and last (partly filled as the phase starts
 * and ends): how many writes it held, and how long after the first of them was started the first was
 * ordered (its submit acknowledged). With each client waiting for its last commit, a block's writes
 * start together; the first one ordered starts the orderer's batch timer, so that time sets the cycle
 * of writes cut by BatchTimeout.
 */
interface BurstStats {
  blockSize: number;
  firstSubmitMs: number;
}

/** The {@link BurstStats} of one phase's writes, or undefined when it filled fewer than three blocks. */
function burstStats(writes: WriteTimes[]): BurstStats | undefined {
  const byBlock = new Map<bigint, WriteTimes[]>();
  for (const w of writes) {
    const inBlock = byBlock.get(w.block);
    if (inBlock) inBlock.push(w);
    else byBlock.set(w.block, [w]);
  }
  const inner = [...byBlock.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(1, -1);
  if (inner.length === 0) return undefined;
  const blocks = inner.map((b) => byBlock.get(b)!);
  const firstSubmit = (ws: WriteTimes[]): number =>
    Math.min(...ws.map((w) => w.submittedMs)) - Math.min(...ws.map((w) => w.startedMs));
  return {
    blockSize: median(blocks.map((ws) => ws.length)),
    firstSubmitMs: round(median(blocks.map(firstSubmit))),
  };
}

/**
 * One write as `submitTransaction` makes it (endorse, submit, wait for the commit status), with the
 * time of each call added to `steps` and its times to `writes`; throws when the transaction did not
 * commit as valid.
 */
async function timedWrite(
  cc: Contract,
  args: string[],
  steps: Record<WriteStep, number[]>,
  writes: WriteTimes[],
): Promise<void> {
  const startedMs = performance.now();
  let t = process.hrtime.bigint();
  const lap = (step: WriteStep): void => {
    const now = process.hrtime.bigint();
    steps[step].push(Number(now - t) / 1e6);
    t = now;
  };
  const tx = await cc.newProposal('Put', { arguments: args }).endorse();
  lap('endorse');
  const commit = await tx.submit();
  const submittedMs = performance.now();
  lap('submit');
  const status = await commit.getStatus();
  if (!status.successful) {
    throw new Error(`transaction ${status.transactionId} committed with status code ${String(status.code)}`);
  }
  lap('commitStatus');
  writes.push({ startedMs, submittedMs, block: status.blockNumber });
}

const phaseName = (p: PhaseSpec): string => `${p.kind} c=${p.concurrency}`;

/** Runs `count` operations `concurrency` at a time; latency per operation. */
async function run(
  concurrency: number,
  count: number,
  op: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; failed: number; seconds: number; firstError?: string }> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      try {
        await op(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        failed++;
        firstError ??= errorText(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, failed, seconds: Number(process.hrtime.bigint() - started) / 1e9, firstError };
}

/**
 * The processes that take part: orderers, peers and the benchmarked chaincode's servers; not CAs,
 * HTTP gateways or other chaincodes' idle servers.
 */
function pidFiles(home: string): Map<string, number> {
  return networkProcesses(
    home,
    (label) => /^(orderer|peer)/.test(label) || label.startsWith(`${CHAINCODE}@`),
  );
}

/** Resident memory (MiB) of a process, or undefined. */
function rssMiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Highest RSS seen of every process of every network, sampled every 500 ms. */
function memorySampler(networks: Network[]): { stop(): Record<string, Record<string, number>> } {
  const max: Record<string, Record<string, number>> = {};
  const timer = setInterval(() => {
    for (const n of networks) {
      for (const [label, pid] of n.processes()) {
        const mib = rssMiB(pid);
        if (mib === undefined) continue;
        max[n.name] ??= {};
        max[n.name][label] = Math.max(max[n.name][label] ?? 0, round(mib));
      }
    }
  }, 500);
  return { stop: () => (clearInterval(timer), max) };
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map(round),
  };
}

/** The networks named by BENCH_NETWORKS (default: devnet alone). */
function openNetworks(): Network[] {
  const specs = (process.env.BENCH_NETWORKS ?? 'devnet').split(',').filter(Boolean);
  const networks: Network[] = [];
  try {
    for (const spec of specs) {
      if (spec === 'devnet') {
        const devnet = startBenchDevnet(OFFSET, {
          batchTimeout: BATCH_TIMEOUT,
          maxMessageCount: MAX_MESSAGE_COUNT,
        });
        networks.push({
          name: 'devnet',
          net: devnet.net(),
          conn: undefined as unknown as Conn,
          written: [],
          processes: () => pidFiles(devnet.home),
          devnet,
        });
        // Plaintext between peers and chaincode servers, as native.sh deploys it on Fabric.
        devnet.cli(
          'deploy',
          CHAINCODE,
          path.join(REPO, 'test', 'fixtures', 'conformance-cc'),
          '100',
          '--chaincode-tls=false',
        );
        networks[networks.length - 1].net = devnet.net();
      } else {
        const [name, file] = spec.split('=');
        if (!name || !file)
          throw new Error(`BENCH_NETWORKS entry '${spec}': expected devnet or name=<network.json>`);
        const net = JSON.parse(fs.readFileSync(file, 'utf8')) as Net & { home?: string };
        const home = net.home ?? path.dirname(path.resolve(file));
        networks.push({
          name,
          net,
          conn: undefined as unknown as Conn,
          written: [],
          processes: () => pidFiles(home),
        });
      }
    }
    for (const n of networks) n.conn = connectAs(n.net, CLIENT_MSP, 'user');
    return networks;
  } catch (err) {
    closeNetworks(networks);
    throw err;
  }
}

function closeNetworks(networks: Network[]): void {
  for (const n of networks) {
    n.conn?.close();
    n.devnet?.stop();
  }
}

async function measure(n: Network, spec: PhaseSpec, roundNo: number, runId: string): Promise<Sample> {
  const cc = n.conn.contract(CHAINCODE);
  const before = cpuSnapshot(n.processes());
  const clientBefore = process.cpuUsage();
  const steps: Record<WriteStep, number[]> = { endorse: [], submit: [], commitStatus: [] };
  const writes: WriteTimes[] = [];
  const op =
    spec.kind === 'write'
      ? async (i: number): Promise<void> => {
          const key = `bench-${runId}-${roundNo}-${spec.concurrency}-${i}`;
          await timedWrite(cc, [key, VALUE], steps, writes);
          n.written.push(key);
        }
      : async (i: number): Promise<void> => {
          await cc.evaluateTransaction('Get', n.written[i % n.written.length]);
        };
  const r = await run(spec.concurrency, spec.count, op);
  const client = process.cpuUsage(clientBefore);
  const after = cpuSnapshot(n.processes());
  const cpuSeconds: Record<string, number> = {};
  for (const [label, s] of after) {
    const b = before.get(label);
    if (b !== undefined) cpuSeconds[label] = Math.round((s - b) * 100) / 100;
  }
  r.latencies.sort((a, b) => a - b);
  const sample: Sample = {
    network: n.name,
    phase: phaseName(spec),
    round: roundNo,
    transactions: r.latencies.length,
    failed: r.failed,
    seconds: round(r.seconds),
    tps: round(r.latencies.length / r.seconds),
    latenciesMs: r.latencies.map(round),
    cpuSeconds,
    clientCpuSeconds: Math.round((client.user + client.system) / 1e4) / 100,
    ...(spec.kind === 'write' ? { stepsMs: roundSteps(steps), bursts: burstStats(writes) } : {}),
    ...(r.firstError ? { firstError: r.firstError } : {}),
  };
  const bursts = sample.bursts
    ? `; blocks of ${sample.bursts.blockSize}, first ordered ${sample.bursts.firstSubmitMs} ms after its block's first write started`
    : '';
  const split =
    spec.kind === 'write' ? `, endorse/submit/status p50 ${stepText(stepMedians([sample]))}${bursts}` : '';
  log(
    `round ${roundNo} ${n.name} ${sample.phase}: ${sample.tps} tx/s, p50 ${round(percentile(r.latencies, 0.5))} ms${split} (${sample.transactions} ok, ${sample.failed} failed${r.firstError ? `: ${r.firstError}` : ''})`,
  );
  return sample;
}

function roundSteps(steps: Record<WriteStep, number[]>): Record<WriteStep, number[]> {
  return {
    endorse: steps.endorse.map(round),
    submit: steps.submit.map(round),
    commitStatus: steps.commitStatus.map(round),
  };
}

/** Median of each write step over every write of `samples` (ms). */
function stepMedians(samples: Sample[]): Partial<Record<WriteStep, number>> {
  const out: Partial<Record<WriteStep, number>> = {};
  for (const step of WRITE_STEPS) {
    const all = samples.flatMap((s) => s.stepsMs?.[step] ?? []);
    if (all.length > 0) out[step] = round(median(all));
  }
  return out;
}

/** Medians over the rounds of each round's {@link BurstStats}, or undefined when no round had a whole block. */
function burstMedians(samples: Sample[]): BurstStats | undefined {
  const all = samples.flatMap((s) => (s.bursts ? [s.bursts] : []));
  if (all.length === 0) return undefined;
  return {
    blockSize: median(all.map((b) => b.blockSize)),
    firstSubmitMs: round(median(all.map((b) => b.firstSubmitMs))),
  };
}

const stepText = (m: Partial<Record<WriteStep, number>>): string =>
  WRITE_STEPS.map((step) => String(m[step] ?? '-')).join('/');

/**
 * Unmeasured writes and reads before the rounds (BENCH_WARMUP of each, default 300, at concurrency 50): a
 * Node process (devnet's nodes, every chaincode server) spends its first thousand calls compiling its hot
 * code on V8's background threads, CPU time that would count against whichever network is fresh.
 */
async function warmUp(n: Network, runId: string): Promise<void> {
  const cc = n.conn.contract(CHAINCODE);
  const writes = await run(50, WARMUP, (i) =>
    cc.submitTransaction('Put', `bench-${runId}-warm-${i}`, VALUE).then(),
  );
  const reads = await run(50, WARMUP, (i) =>
    cc.evaluateTransaction('Get', n.written[i % n.written.length]).then(),
  );
  log(
    `${n.name} warmed up: ${WARMUP} writes (${writes.failed} failed), ${WARMUP} reads (${reads.failed} failed)`,
  );
}

/**
 * Lets every network idle for BENCH_SETTLE_MS (default 15 s) before anything runs. A Node process (devnet's
 * nodes, every chaincode server) holds its start-up garbage until it has been idle for some 8-10 s, when V8
 * collects it and gives the memory back (a conformance server: 76 MiB after start, 66 MiB ten seconds later).
 * A network started before the bench (Fabric by native.sh, an older devnet) has had that time; the devnet the
 * bench has just started and deployed to has not, and its peak memory would carry ~10 MiB a process more.
 */
async function settle(): Promise<void> {
  if (SETTLE_MS <= 0) return;
  log(`letting every network settle for ${SETTLE_MS / 1000} s (idle, as a network started earlier has been)`);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** Per network and phase: median throughput over rounds, latency percentiles over every transaction. */
function summarize(samples: Sample[], networks: Network[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const spec of PHASES) {
    const phase = phaseName(spec);
    for (const n of networks) {
      const mine = samples.filter((s) => s.network === n.name && s.phase === phase);
      const lat = mine.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
      rows.push({
        network: n.name,
        phase,
        transactions: mine.reduce((a, s) => a + s.transactions, 0),
        failed: mine.reduce((a, s) => a + s.failed, 0),
        roundTps: mine.map((s) => s.tps),
        medianTps: round(median(mine.map((s) => s.tps))),
        p50Ms: round(percentile(lat, 0.5)),
        p95Ms: round(percentile(lat, 0.95)),
        ...(spec.kind === 'write' ? { stepP50Ms: stepMedians(mine), burstP50: burstMedians(mine) } : {}),
      });
    }
  }
  return rows;
}

/** Per phase: the ratio of the first network's median throughput to each other's, and the median of per-round ratios. */
function ratios(samples: Sample[], networks: Network[]): Record<string, unknown>[] {
  const [first, ...others] = networks;
  const rows: Record<string, unknown>[] = [];
  for (const other of others) {
    for (const spec of PHASES) {
      const phase = phaseName(spec);
      const tps = (name: string): number[] =>
        samples.filter((s) => s.network === name && s.phase === phase).map((s) => s.tps);
      const a = tps(first.name);
      const b = tps(other.name);
      rows.push({
        phase,
        of: `${first.name}/${other.name}`,
        ratioOfMedians: Math.round((median(a) / median(b)) * 100) / 100,
        medianOfRoundRatios: Math.round(median(a.map((x, i) => x / b[i])) * 100) / 100,
      });
    }
  }
  return rows;
}

/** CPU-seconds per 1,000 committed writes (or reads), per process and in total, over every phase of that kind. */
function cpuPerThousand(
  samples: Sample[],
  networks: Network[],
  kind: PhaseSpec['kind'],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const n of networks) {
    const writes = samples.filter((s) => s.network === n.name && s.phase.startsWith(kind));
    const committed = writes.reduce((a, s) => a + s.transactions, 0);
    const per: Record<string, number> = {};
    for (const s of writes) {
      for (const [label, secs] of Object.entries(s.cpuSeconds)) per[label] = (per[label] ?? 0) + secs;
    }
    const scaled: Record<string, number> = {};
    let total = 0;
    for (const [label, secs] of Object.entries(per)) {
      scaled[label] = Math.round((secs / committed) * 1000 * 100) / 100;
      total += secs;
    }
    scaled.total = Math.round((total / committed) * 1000 * 100) / 100;
    out[n.name] = scaled;
  }
  return out;
}

/** The benchmark client's own CPU-seconds per 1,000 committed writes (or reads) against each network. */
function clientCpuPerThousand(
  samples: Sample[],
  networks: Network[],
  kind: PhaseSpec['kind'],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of networks) {
    const mine = samples.filter((s) => s.network === n.name && s.phase.startsWith(kind));
    const committed = mine.reduce((a, s) => a + s.transactions, 0);
    const secs = mine.reduce((a, s) => a + s.clientCpuSeconds, 0);
    out[n.name] = Math.round((secs / committed) * 1000 * 100) / 100;
  }
  return out;
}

async function main(): Promise<void> {
  const networks = openNetworks();
  try {
    const runId = Date.now().toString(36);
    await settle();
    for (const n of networks) {
      // Connects every chaincode server and fills the keys the reads use before anything is measured.
      await untilReady(`${n.name}'s first write`, () =>
        n.conn.contract(CHAINCODE).submitTransaction('Put', `bench-${runId}-warmup`, VALUE),
      );
      n.written.push(`bench-${runId}-warmup`);
      await warmUp(n, runId);
    }
    log(
      `networks: ${networks.map((n) => n.name).join(', ')}; ${ROUNDS} rounds; load average ${os.loadavg().map(round).join(' ')}`,
    );
    const memory = memorySampler(networks);
    const samples: Sample[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      for (const spec of PHASES) {
        // Rotate which network goes first, so neither always runs on the heels of the other.
        const order = networks.map((_, i) => networks[(i + r) % networks.length]);
        for (const n of order) samples.push(await measure(n, spec, r, runId));
      }
    }
    const rss = memory.stop();
    const result = {
      benchmark: 'devnet-throughput',
      date: new Date().toISOString(),
      machine: machine(),
      settings: {
        networks: networks.map((n) => ({ name: n.name, home: n.net.home ?? n.devnet?.home })),
        rounds: ROUNDS,
        settleMs: SETTLE_MS,
        warmup: { writes: WARMUP, reads: WARMUP, concurrency: 50 },
        phases: PHASES,
        batchTimeout: `${BATCH_TIMEOUT} (devnet; another network's own channel config applies)`,
        maxMessageCount: MAX_MESSAGE_COUNT,
        valueBytes: VALUE.length,
        client: `@hyperledger/fabric-gateway, one connection to ${CLIENT_MSP}'s first peer as its User1 (submit = endorse + Broadcast + CommitStatus)`,
        chaincode: 'test/fixtures/conformance-cc Put / Get (fabric-contract-api, ccaas)',
      },
      summary: summarize(samples, networks),
      ratios: ratios(samples, networks),
      cpuSecondsPer1000Writes: cpuPerThousand(samples, networks, 'write'),
      cpuSecondsPer1000Reads: cpuPerThousand(samples, networks, 'read'),
      clientCpuSecondsPer1000: {
        writes: clientCpuPerThousand(samples, networks, 'write'),
        reads: clientCpuPerThousand(samples, networks, 'read'),
      },
      peakRssMiB: rss,
      peakRssTotalMiB: Object.fromEntries(
        Object.entries(rss).map(([name, per]) => [
          name,
          round(Object.values(per).reduce((a, b) => a + b, 0)),
        ]),
      ),
      samples,
    };
    const dir = path.join(REPO, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `devnet-throughput-${result.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    for (const row of result.summary) log(JSON.stringify(row));
    for (const row of result.ratios) log(JSON.stringify(row));
    log(`CPU-seconds per 1,000 writes: ${JSON.stringify(result.cpuSecondsPer1000Writes)}`);
    log(`CPU-seconds per 1,000 reads: ${JSON.stringify(result.cpuSecondsPer1000Reads)}`);
    log(`the client's own CPU-seconds per 1,000: ${JSON.stringify(result.clientCpuSecondsPer1000)}`);
    log(`peak RSS (MiB): ${JSON.stringify(rss)}; summed: ${JSON.stringify(result.peakRssTotalMiB)}`);
    log(`load average at the end: ${os.loadavg().map(round).join(' ')}`);
    log(`results written to ${path.relative(REPO, file)}`);
  } finally {
    closeNetworks(networks);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
