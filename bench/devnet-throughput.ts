/**
 * Benchmark (issue 9): write and read throughput and p50 / p95 latency of a devnet with a minimal
 * one-key chaincode (the conformance chaincode's Put / Get) at concurrency 1, 10 and 50, through
 * @hyperledger/fabric-gateway as ImmigrationMSP's User1; the resident memory (RSS) of every devnet
 * process under that load. Prints progress; writes bench/results/devnet-throughput-<time>.json.
 *
 *   npm run build && npx tsc -p bench && node bench/dist/devnet-throughput.js
 *
 * It starts its own devnet in a temporary directory (ports + GOVFABRIC_BENCH_PORT_OFFSET, default
 * 25500) and stops it at the end; BENCH_SCALE (default 1) multiplies the number of transactions.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, connectAs, log, percentile, round1 as round, startBenchDevnet, type Conn } from './support';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 25500);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CHAINCODE = 'conformance';
const VALUE = 'x'.repeat(100); // 100-byte values, as Fabric's published figures use
const BATCH_TIMEOUT = '100ms';
const MAX_MESSAGE_COUNT = 50;

/** One measured phase. */
interface PhaseResult {
  kind: 'write' | 'read';
  concurrency: number;
  transactions: number;
  failed: number;
  seconds: number;
  tps: number;
  p50Ms: number;
  p95Ms: number;
}

/** Runs `count` operations `concurrency` at a time; latency per operation; progress every ~10 %. */
async function phase(
  kind: 'write' | 'read',
  concurrency: number,
  count: number,
  op: (i: number) => Promise<void>,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.floor(count / 10));
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      try {
        await op(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        failed++;
      }
      if (++done % step === 0) log(`  ${kind} c=${concurrency}: ${done}/${count}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const r: PhaseResult = {
    kind,
    concurrency,
    transactions: latencies.length,
    failed,
    seconds: round(seconds),
    tps: round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 0.5)),
    p95Ms: round(percentile(latencies, 0.95)),
  };
  log(
    `${kind} c=${concurrency}: ${r.tps} tx/s, p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms (${r.transactions} ok, ${failed} failed, ${r.seconds} s)`,
  );
  return r;
}

/** Highest RSS (MiB) seen of every devnet process (node.pid and chaincode-*.pid files), sampled every 500 ms. */
function memorySampler(home: string): { stop(): Record<string, number> } {
  const max: Record<string, number> = {};
  const pids = (): [string, number][] => {
    const nodes = path.join(home, 'nodes');
    const out: [string, number][] = [];
    for (const n of fs.existsSync(nodes) ? fs.readdirSync(nodes) : []) {
      for (const f of fs.readdirSync(path.join(nodes, n)).filter((x) => x.endsWith('.pid'))) {
        const label = f === 'node.pid' ? n : `${f.replace(/^chaincode-|\.pid$/g, '')}@${n}`;
        out.push([label, Number(fs.readFileSync(path.join(nodes, n, f), 'utf8').trim())]);
      }
    }
    return out;
  };
  const timer = setInterval(() => {
    for (const [label, pid] of pids()) {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) max[label] = Math.max(max[label] ?? 0, round(Number(m[1]) / 1024));
      } catch {
        // process gone
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
    nproc: spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(),
    free: spawnSync('free', ['-m'], { encoding: 'utf8' }).stdout.trim(),
  };
}

async function main(): Promise<void> {
  const bench = startBenchDevnet(OFFSET, { batchTimeout: BATCH_TIMEOUT, maxMessageCount: MAX_MESSAGE_COUNT });
  let conn: Conn | undefined;
  try {
    bench.cli('deploy', CHAINCODE, path.join(REPO, 'test', 'fixtures', 'conformance-cc'), '100');
    conn = connectAs(bench.net(), 'ImmigrationMSP', 'user');
    const cc = conn.contract(CHAINCODE);
    const run = Date.now().toString(36);
    await cc.submitTransaction('Put', `bench-${run}-warmup`, VALUE); // connects every chaincode server
    const memory = memorySampler(bench.home);
    const phases: PhaseResult[] = [];
    const writes: Record<number, number> = { 1: 40, 10: 300, 50: 600 };
    const reads: Record<number, number> = { 1: 300, 10: 2000, 50: 3000 };
    for (const c of [1, 10, 50]) {
      phases.push(
        await phase('write', c, Math.round(writes[c] * SCALE), (i) =>
          cc.submitTransaction('Put', `bench-${run}-${c}-${i}`, VALUE).then(() => undefined),
        ),
      );
    }
    for (const c of [1, 10, 50]) {
      phases.push(
        await phase('read', c, Math.round(reads[c] * SCALE), (i) =>
          cc.evaluateTransaction('Get', `bench-${run}-50-${i % 600}`).then(() => undefined),
        ),
      );
    }
    const rssMiB = memory.stop();
    const result = {
      benchmark: 'devnet-throughput',
      date: new Date().toISOString(),
      machine: machine(),
      settings: {
        batchTimeout: BATCH_TIMEOUT,
        maxMessageCount: MAX_MESSAGE_COUNT,
        organizations: 3,
        endorsementPolicy: 'MAJORITY Endorsement (the gateway asks 2 of 3 peers)',
        valueBytes: VALUE.length,
        client:
          '@hyperledger/fabric-gateway, one connection to peer0.immigration (submit = endorse + Broadcast + CommitStatus)',
        chaincode: 'test/fixtures/conformance-cc Put / Get (fabric-contract-api, ccaas)',
      },
      phases,
      rssMiB,
    };
    const dir = path.join(REPO, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `devnet-throughput-${result.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`peak RSS (MiB): ${JSON.stringify(rssMiB)}`);
    log(`results written to ${path.relative(REPO, file)}`);
  } finally {
    conn?.close();
    bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
