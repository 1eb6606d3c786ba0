/**
 * Benchmark (issue 17): what the HTTP gateway costs over the raw fabric-gateway client, side by
 * side in one run. On its own devnet (ports + GOVFABRIC_BENCH_PORT_OFFSET, default 35500; egov, the
 * conformance chaincode and the demo bootstrap), at concurrency 1, 10 and 50, in rounds with the
 * variants' order rotating so that machine noise hits them alike:
 *   http     — POST /api/v1/records, and GET /api/v1/records/verify/:hash, through the gateway
 *              process (gateway/dist/server.js, a bearer token, every hardening middleware on),
 *              with node:http over keep-alive connections;
 *   raw      — ledger:RegisterRecord (salt in the transient map, the same endorsing orgs) and
 *              ledger:VerifyHash with @hyperledger/fabric-gateway, as EducationMSP's User1;
 *   ceiling  — the conformance chaincode's one-key Put (writes only; the network's ceiling).
 * Prints throughput and p50 per variant, the ratios HTTP/raw (goal >= 0.95) and the p50 the gateway
 * adds (goal <= 5 ms), and the CPU milliseconds per operation of the gateway process, of the client
 * and of the network (which shows both ways cost Fabric the same); writes
 * bench/results/gateway-ratio-<time>.json and the figures into docs/performance.md with the machine
 * and its load. Usage: npm run bench:gateway (BENCH_ROUNDS, default 3; BENCH_SCALE multiplies the
 * counts, default 1; BENCH_CONCURRENCY, default 1,10,50; BENCH_OPS, default register,verify;
 * BENCH_GATEWAY_CPU_PROF=<dir> profiles the gateway process with node --cpu-prof, one .cpuprofile
 * written there when it stops).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Contract } from '@hyperledger/fabric-gateway';
import * as prettier from 'prettier';
import { loadTransientEndorsers, mintDevToken } from '@govfabric/gateway';
import {
  REPO,
  connectAs,
  errorText,
  log,
  median,
  round1,
  startBenchDevnet,
  type BenchDevnet,
} from './support';
import { cpuSecondsOf, cpuSnapshot, cpuSpent, networkProcesses } from './cpu';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 35500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
/** BENCH_CONCURRENCY: a comma-separated subset of 1, 10, 50 (e.g. `50` to profile the gateway under load). */
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '1,10,50').split(',').map(Number);
/** BENCH_OPS: a comma-separated subset of register, verify (e.g. `verify` to profile reads alone). */
const OPS = (process.env.BENCH_OPS ?? 'register,verify').split(',') as Op[];
/** Operations per variant per round, by concurrency. */
const COUNTS: Record<number, number> = { 1: 8, 10: 40, 50: 100 };
const MSP = 'EducationMSP';
const GATEWAY_PORT = 3000 + OFFSET;

type Op = 'register' | 'verify';

/**
 * The writes of the running batch: transactions proposed (an HTTP registration retried after a read
 * conflict proposes more than one) and the blocks that took them.
 */
const written = { transactions: 0, blocks: new Set<string>() };

/** What the gateway and the network spend per second idle, measured before the batches. */
let idle: IdleRates = { gateway: 0, fabric: 0 };

/** HTTP registrations the gateway answered 202 UNKNOWN (commit not confirmed within its deadline). */
let unknownOutcomes = 0;
type Way = 'http' | 'raw' | 'ceiling';

/** CPU seconds spent during a batch, by whom. */
interface Cpu {
  /** The HTTP gateway process. */
  gateway: number;
  /** This process: the HTTP client (fetch) or the raw fabric-gateway client. */
  client: number;
  /** The network: orderer, peers and chaincode servers (not the CAs). */
  fabric: number;
}

/** Latencies (ms) and wall time of one variant's batches, summed over the rounds. */
interface Sample {
  latencies: number[];
  wallMs: number;
  /** Operations that succeeded. */
  count: number;
  /** What the failed ones said. */
  errors: string[];
  cpu: Cpu;
  /** Transactions proposed (registrations; read conflicts retried by the gateway count again). */
  transactions: number;
  /** Distinct blocks that took the batch's registrations. */
  blocks: number;
}

/** Reads the CPU seconds of the gateway, this process and the network's processes. */
type CpuMeter = () => Cpu;

let counter = 0;
/** A fresh education.credential record (the demo schema); its payload makes its hash unique. */
function newRecord(): Record<string, unknown> {
  counter++;
  const id = `bench-gw-${process.pid}-${counter}`;
  return {
    id,
    category: 'G2C',
    recordType: 'education.credential',
    subjectRef: `subj-${crypto.createHash('sha256').update(id).digest('hex').slice(0, 16)}`,
    payload: { certificateNo: id, degree: 'BSc Computer Science', year: 2024, grade: 3.5, honours: true },
  };
}

/** CPU seconds per second the gateway and the network spend with nothing to do (timers, gossip, probes). */
type IdleRates = Pick<Cpu, 'gateway' | 'fabric'>;

/**
 * Waits until the network is quiet (its processes spent less than `idle` plus a tenth of a core over
 * 250 ms; at most 15 s): the peers that did not answer the client commit a batch's blocks after the
 * client got its answer, and that CPU belongs to the batch, not to the next one.
 */
async function settle(meter: CpuMeter, idle: IdleRates): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = meter().fabric;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = meter().fabric;
    if (now - last < 0.25 * (idle.fabric + 0.1)) return;
    last = now;
  }
}

/** What the gateway and the network spend per second when idle: measured over `seconds` of quiet. */
async function idleRates(meter: CpuMeter, seconds: number): Promise<IdleRates> {
  await settle(meter, { gateway: 0, fabric: 0 });
  const before = meter();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = meter();
  return {
    gateway: (after.gateway - before.gateway) / seconds,
    fabric: (after.fabric - before.fabric) / seconds,
  };
}

/**
 * Runs `count` calls of `op`, `concurrency` at a time; their latencies, the wall time and the CPU
 * spent until the network was quiet again, less what the gateway and the network spend idle in
 * that time (so a slower variant is not charged for the machine's idle work).
 */
async function batch(
  count: number,
  concurrency: number,
  op: () => Promise<void>,
  meter: CpuMeter,
  idle: IdleRates,
): Promise<Sample> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  written.transactions = 0;
  written.blocks.clear();
  const cpuBefore = meter();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        try {
          await op();
          latencies.push(performance.now() - t0);
        } catch (err) {
          // Reported with the figures (a timeout under load is a result too), not a reason to stop.
          errors.push(errorText(err).slice(0, 200));
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  await settle(meter, idle);
  const cpuAfter = meter();
  const seconds = (performance.now() - started) / 1000;
  const cpu: Cpu = {
    gateway: cpuAfter.gateway - cpuBefore.gateway - idle.gateway * seconds,
    client: cpuAfter.client - cpuBefore.client,
    fabric: cpuAfter.fabric - cpuBefore.fabric - idle.fabric * seconds,
  };
  return {
    latencies,
    wallMs,
    count: latencies.length,
    errors,
    cpu,
    transactions: written.transactions,
    blocks: written.blocks.size,
  };
}

/**
 * The CPU meter of a run: the gateway process and the network's processes from /proc, this process
 * from process.cpuUsage (the network's processes are read once, when the meter is made).
 */
function cpuMeter(gatewayPid: number, home: string): CpuMeter {
  const network = networkProcesses(home, (label) => !label.startsWith('ca.'));
  const base = cpuSnapshot(network);
  return () => {
    const { user, system } = process.cpuUsage();
    return {
      gateway: cpuSecondsOf(gatewayPid) ?? NaN,
      client: (user + system) / 1e6,
      fabric: cpuSpent(base, cpuSnapshot(network)),
    };
  };
}

/** Starts gateway/dist/server.js for EducationMSP on the bench devnet; resolves once /healthz answers. */
async function startGateway(bench: BenchDevnet): Promise<ChildProcess> {
  const logFile = fs.openSync(path.join(bench.home, 'gateway-bench.log'), 'a');
  // BENCH_GATEWAY_CPU_PROF=<dir>: the gateway writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_GATEWAY_CPU_PROF;
  const args = profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : [];
  const child = spawn(process.execPath, [...args, path.join(REPO, 'gateway', 'dist', 'server.js')], {
    env: {
      ...process.env,
      DEVNET_HOME: bench.home,
      GATEWAY_PORT: String(GATEWAY_PORT),
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PROFILE: path.join(bench.home, 'profiles', `${MSP}.json`),
      GATEWAY_RATE_LIMIT: '0',
      GATEWAY_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', logFile, logFile],
  });
  fs.closeSync(logFile);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited; see ${bench.home}/gateway-bench.log`);
    try {
      if ((await fetch(`http://127.0.0.1:${GATEWAY_PORT}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`gateway not healthy in 60 s; see ${bench.home}/gateway-bench.log`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Keep-alive connections to the gateway, reused as a service's client would (at most 64 at once). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** An answer of the gateway: status and body text. */
interface Answer {
  status: number;
  text: string;
  /** How many transactions the gateway proposed for it (more than 1 after read conflicts). */
  attempts: number;
}

/**
 * One request to the gateway with node:http over {@link agent}. Not fetch: undici's WHATWG streams
 * cost several times the CPU of node:http per request, and this process's CPU competes with the
 * gateway's and the peers' on the same cores, so it would count against the HTTP way.
 */
function call(
  method: 'GET' | 'POST',
  urlPath: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: GATEWAY_PORT, method, path: urlPath, agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            attempts: Number(res.headers['transaction-attempts'] ?? 1),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The operations of each variant. */
function variants(ledger: Contract, put: Contract, token: string, endorsers: string[], hashes: string[]) {
  const base = '/api/v1/records';
  const auth = { authorization: `Bearer ${token}` };
  const expectOk = (res: Answer, status: number): void => {
    if (res.status !== status) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 300)}`);
  };
  const pick = (): string => hashes[Math.floor(Math.random() * hashes.length)];
  const ops: Record<Op, Partial<Record<Way, () => Promise<void>>>> = {
    register: {
      http: async () => {
        const res = await call(
          'POST',
          base,
          { ...auth, 'content-type': 'application/json' },
          JSON.stringify(newRecord()),
        );
        written.transactions += res.attempts;
        if (res.status !== 202) {
          expectOk(res, 201);
          written.blocks.add(String((JSON.parse(res.text) as { blockNumber: number }).blockNumber));
          return;
        }
        // The gateway stopped waiting for the commit (UNKNOWN): wait on its status URL, as a client would.
        unknownOutcomes++;
        const { statusUrl } = JSON.parse(res.text) as { statusUrl: string };
        // A transaction the orderer never took stays unknown to the ledger: give up after two minutes.
        const deadline = Date.now() + 120_000;
        for (;;) {
          if (Date.now() > deadline)
            throw new Error(`RegisterRecord ${statusUrl}: not on the ledger after 120 s`);
          const status = await call('GET', statusUrl, auth);
          if (status.status === 200) {
            if ((JSON.parse(status.text) as { valid: boolean }).valid) return;
            throw new Error(`RegisterRecord ${statusUrl} committed invalid`);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      raw: async () => {
        const proposal = ledger.newProposal('ledger:RegisterRecord', {
          arguments: [JSON.stringify(newRecord())],
          transientData: { salt: crypto.randomBytes(32) },
          endorsingOrganizations: endorsers,
        });
        const submitted = await (await proposal.endorse()).submit();
        const status = await submitted.getStatus();
        written.transactions++;
        written.blocks.add(status.blockNumber.toString());
        if (!status.successful)
          throw new Error(`RegisterRecord ${status.transactionId}: code ${status.code}`);
      },
      ceiling: async () => {
        await put.submitTransaction('Put', `bench-gw-${process.pid}-${++counter}`, 'x'.repeat(100));
      },
    },
    verify: {
      http: async () => expectOk(await call('GET', `${base}/verify/${pick()}`, auth), 200),
      raw: async () => {
        const answer = JSON.parse(
          Buffer.from(await ledger.evaluateTransaction('ledger:VerifyHash', pick())).toString(),
        );
        if (answer.found !== true) throw new Error('VerifyHash did not find a registered hash');
      },
    },
  };
  return ops;
}

/** Throughput (operations per second) of a sample. */
const tps = (s: Sample): number => (s.count * 1000) / s.wallMs;

/** The machine, as docs/performance.md records it. */
function machine(loadBefore: number[], loadAfter: number[]): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryGiB: round1(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage1mBefore: round1(loadBefore[0]),
    loadAverage1mAfter: round1(loadAfter[0]),
  };
}

interface Row {
  op: Op;
  concurrency: number;
  way: Way;
  tps: number;
  p50: number;
  count: number;
  failed: number;
  /** CPU milliseconds per operation (failed ones included: they cost too). */
  cpuMsPerOp: Cpu;
  /** Registrations: transactions proposed and the blocks that took them. */
  transactions: number;
  blocks: number;
}

/** The Markdown section written into docs/performance.md. */
function markdown(rows: Row[], info: Record<string, unknown>, minutes: number): string {
  const at = (op: Op, c: number, way: Way): Row | undefined =>
    rows.find((r) => r.op === op && r.concurrency === c && r.way === way);
  const lines = [
    '# HTTP gateway vs the raw fabric-gateway client (issue 17)',
    '',
    '```bash',
    'npm run bench:gateway   # bench/gateway-ratio.ts; its own devnet (GOVFABRIC_BENCH_PORT_OFFSET, default 35500)',
    '```',
    '',
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${round1(minutes)} min, ${ROUNDS} rounds, ` +
      `variants interleaved with a rotating order. Machine: ${info.cpu}, ${info.memoryGiB} GiB, ${info.os}, Node ${info.node}; ` +
      `1-minute load average ${info.loadAverage1mBefore} before and ${info.loadAverage1mAfter} after ` +
      "(the machine is shared with other engineers' builds and tests: absolute figures are low and noisy, ratios are what to read).",
    '',
    "HTTP = `POST /api/v1/records` (answering the holder's document too, without its QR code) / " +
      '`GET /api/v1/records/verify/:hash` through the gateway process (bearer token, every hardening middleware; node:http keep-alive client); raw = `ledger:RegisterRecord` (salt in the transient map, same endorsing orgs) / ' +
      "`ledger:VerifyHash` with @hyperledger/fabric-gateway; ceiling = the conformance chaincode's one-key `Put`. " +
      'Goal: HTTP/raw throughput ≥ 0.95 and added p50 ≤ 5 ms. ' +
      `${unknownOutcomes} HTTP registrations were answered 202 UNKNOWN (the gateway's commit wait ran out) and ` +
      'were then followed on their status URL until committed (failed after 120 s); their latency includes that wait. ' +
      "Failed operations (e.g. the gateway's 5 s evaluate deadline passing under load; the raw client has none) " +
      'are counted apart and left out of throughput and latency.',
    '',
    '| operation | concurrency | HTTP tx/s | raw tx/s | ceiling tx/s | HTTP/raw | HTTP p50 ms | raw p50 ms | added p50 ms | failed HTTP / raw |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const op of ['register', 'verify'] as Op[]) {
    for (const c of CONCURRENCIES) {
      const [h, r, ceiling] = [at(op, c, 'http'), at(op, c, 'raw'), at(op, c, 'ceiling')];
      if (!h || !r) continue;
      lines.push(
        `| ${op === 'register' ? 'RegisterRecord' : 'verify by hash'} | ${c} | ${round1(h.tps)} | ${round1(r.tps)} | ` +
          `${ceiling ? round1(ceiling.tps) : '–'} | ${(h.tps / r.tps).toFixed(2)} | ${round1(h.p50)} | ${round1(r.p50)} | ${round1(h.p50 - r.p50)} | ${h.failed} / ${r.failed} |`,
      );
    }
  }
  lines.push(
    '',
    'CPU milliseconds per operation in the same run (utime + stime from /proc; less sensitive to the load ' +
      "than throughput): the gateway process (HTTP only), the bench's own client (node:http for HTTP, " +
      'fabric-gateway for raw) and the network (orderer, three peers, chaincode servers), each batch measured until ' +
      `the network was quiet again, less the idle CPU in that time (gateway ${round1(idle.gateway * 1000)} ms/s, ` +
      `network ${round1(idle.fabric * 1000)} ms/s, measured before the batches). The Fabric columns ` +
      'show both ways cost the network the same; CPU-bound HTTP/raw = raw total / HTTP total is the ' +
      'throughput ratio a machine whose CPU is the limit would give. Every registration is the same transaction ' +
      '(same endorsers, same commit wait; transactions per registration above 1 would be read conflicts the gateway ' +
      'retried), but the orderer cuts a block 100 ms after its first transaction (or at 50), and every block costs ' +
      'each peer: a way whose transactions reach the orderer more spread out fills fewer per block, and its Fabric ' +
      'CPU per registration is higher for that reason alone.',
    '',
    '| operation | concurrency | gateway ms | client ms HTTP / raw | Fabric ms HTTP / raw | total ms HTTP / raw | CPU-bound HTTP/raw | transactions per registration HTTP / raw | registrations per block HTTP / raw |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: |',
  );
  const ms = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);
  for (const op of ['register', 'verify'] as Op[]) {
    for (const c of CONCURRENCIES) {
      const [h, r] = [at(op, c, 'http'), at(op, c, 'raw')];
      if (!h || !r) continue;
      const total = (x: Cpu): number => x.gateway + x.client + x.fabric;
      const writes = (x: Row): string =>
        op === 'register' ? `${(x.transactions / (x.count + x.failed)).toFixed(2)}` : '–';
      const perBlock = (x: Row): string => (op === 'register' ? (x.count / x.blocks).toFixed(2) : '–');
      lines.push(
        `| ${op === 'register' ? 'RegisterRecord' : 'verify by hash'} | ${c} | ${ms(h.cpuMsPerOp.gateway)} | ` +
          `${ms(h.cpuMsPerOp.client)} / ${ms(r.cpuMsPerOp.client)} | ${ms(h.cpuMsPerOp.fabric)} / ${ms(r.cpuMsPerOp.fabric)} | ` +
          `${ms(total(h.cpuMsPerOp))} / ${ms(total(r.cpuMsPerOp))} | ${(total(r.cpuMsPerOp) / total(h.cpuMsPerOp)).toFixed(2)} | ` +
          `${writes(h)} / ${writes(r)} | ${perBlock(h)} / ${perBlock(r)} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Replaces the section between the bench's markers in docs/performance.md (appends it the first
 * time), formatted by the repository's Prettier so that `npm run lint` stays clean.
 */
async function writeDoc(section: string): Promise<void> {
  const file = path.join(REPO, 'docs', 'performance.md');
  const begin = '<!-- bench:gateway begin -->';
  const end = '<!-- bench:gateway end -->';
  const text = fs.readFileSync(file, 'utf8');
  const block = `${begin}\n\n${section}\n\n${end}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  const updated =
    i >= 0 && j > i
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(updated, { ...options, filepath: file }));
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const bench = startBenchDevnet(OFFSET, { batchTimeout: '100ms', maxMessageCount: 50 });
  let gateway: ChildProcess | undefined;
  const conn = { user: undefined as ReturnType<typeof connectAs> | undefined };
  try {
    log('deploying egov and the conformance chaincode, then the demo bootstrap ...');
    bench.cli('deploy');
    bench.cli('deploy', 'conformance', path.join(REPO, 'test', 'fixtures', 'conformance-cc'), '100');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(REPO, 'gateway', 'dist', 'bootstrap.js')], {
        env: { ...process.env, DEVNET_HOME: bench.home },
        stdio: 'ignore',
      });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bootstrap exited ${code}`))));
    });
    gateway = await startGateway(bench);
    const token = await mintDevToken(bench.home, { sub: 'User1' });
    conn.user = connectAs(bench.net(), MSP, 'user');
    const ledger = conn.user.contract('egov');
    const put = conn.user.contract('conformance');
    const endorsers = loadTransientEndorsers(
      MSP,
      undefined,
      path.join(bench.home, 'profiles', `${MSP}.json`),
    );
    log(`transient endorsers: ${endorsers.join(', ')}`);
    // Hashes to verify: a few records registered through the gateway before measuring (also warms up).
    const hashes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(
        'POST',
        '/api/v1/records',
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        JSON.stringify(newRecord()),
      );
      const body = JSON.parse(res.text) as { hash?: string };
      if (res.status !== 201 || !body.hash)
        throw new Error(`warm-up registration: ${res.status} ${JSON.stringify(body)}`);
      hashes.push(body.hash);
    }
    await put.submitTransaction('Put', 'bench-gw-warmup', 'x');
    const ops = variants(ledger, put, token, endorsers, hashes);
    const meter = cpuMeter(gateway.pid!, bench.home);
    idle = await idleRates(meter, 3);
    log(
      `idle CPU: gateway ${round1(idle.gateway * 1000)} ms/s, network ${round1(idle.fabric * 1000)} ms/s (subtracted)`,
    );
    const samples = new Map<string, Sample>();
    for (const c of CONCURRENCIES) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const op of OPS) {
          const ways = Object.keys(ops[op]) as Way[];
          const order = ways.map((_, i) => ways[(i + round) % ways.length]);
          for (const way of order) {
            const sample = await batch(Math.round(COUNTS[c] * SCALE), c, ops[op][way]!, meter, idle).catch(
              (err: unknown) => {
                throw new Error(`${op}/${way} at concurrency ${c}: ${errorText(err)}`);
              },
            );
            const key = `${op}|${c}|${way}`;
            const sum = samples.get(key) ?? {
              latencies: [],
              wallMs: 0,
              count: 0,
              errors: [],
              cpu: { gateway: 0, client: 0, fabric: 0 },
              transactions: 0,
              blocks: 0,
            };
            samples.set(key, {
              latencies: [...sum.latencies, ...sample.latencies],
              wallMs: sum.wallMs + sample.wallMs,
              count: sum.count + sample.count,
              errors: [...sum.errors, ...sample.errors],
              cpu: {
                // The raw and ceiling ways do not use the gateway: what it spent then is not theirs.
                gateway: way === 'http' ? sum.cpu.gateway + sample.cpu.gateway : 0,
                client: sum.cpu.client + sample.cpu.client,
                fabric: sum.cpu.fabric + sample.cpu.fabric,
              },
              transactions: sum.transactions + sample.transactions,
              blocks: sum.blocks + sample.blocks,
            });
          }
        }
        log(`concurrency ${c}, round ${round + 1}/${ROUNDS} done`);
      }
    }
    const rows: Row[] = [...samples].map(([key, s]) => {
      const [op, c, way] = key.split('|');
      const ops = s.count + s.errors.length;
      return {
        cpuMsPerOp: {
          gateway: (s.cpu.gateway * 1000) / ops,
          client: (s.cpu.client * 1000) / ops,
          fabric: (s.cpu.fabric * 1000) / ops,
        },
        op: op as Op,
        concurrency: Number(c),
        way: way as Way,
        tps: tps(s),
        p50: median(s.latencies),
        count: s.count,
        failed: s.errors.length,
        transactions: s.transactions,
        blocks: s.blocks,
      };
    });
    const info = machine(loadBefore, os.loadavg());
    const section = markdown(rows, info, (Date.now() - started) / 60_000);
    console.log(`\n${section}\n`);
    await writeDoc(section);
    const out = path.join(
      REPO,
      'bench',
      'results',
      `gateway-ratio-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      `${JSON.stringify({ machine: info, rounds: ROUNDS, unknownOutcomes, rows }, null, 2)}\n`,
    );
    log(`figures written to docs/performance.md and ${out}`);
  } finally {
    agent.destroy();
    conn.user?.close();
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway!.once('exit', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
    bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
