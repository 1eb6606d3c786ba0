/**
 * Benchmark (issue 22): a client that resets every stream after its response — @grpc/grpc-js
 * 1.10.3, as Caliper 0.6.0 pins it — on ONE connection to a devnet peer and to the orderer, for
 * DURATION_S seconds each (default 60) with IN_FLIGHT calls at a time; then a rapid-reset flood
 * (streams of ProcessProposal reset without waiting for their response) against the same peer,
 * which must be cut off with GOAWAY. Calls are of a method no devnet server has (UNIMPLEMENTED, answered by grpc-js
 * itself), so the figure is the HTTP/2 layer's, not the endorser's. Writes
 * bench/results/rapid-reset-<time>.json.
 *
 *   npm run bench:rapid-reset
 *
 * Starts its own devnet (ports + GOVFABRIC_BENCH_PORT_OFFSET, default 26500) and stops it at the end.
 */
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { REPO, log, round1, startBenchDevnet } from './support';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 26500);
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 64);
const METHOD = '/bench.Nothing/Call';
/** The flood opens calls of a real method, whose handler waits for the request the client never sends. */
const FLOOD_METHOD = '/protos.Endorser/ProcessProposal';
const identity = (b: Buffer): Buffer => b;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain JS fixture that installs itself
const old = require(path.join(REPO, 'test', 'fixtures', 'grpc-js-1.10.3')) as typeof grpc;

interface Target {
  what: string;
  address: string;
  caCertPath: string;
  host: string;
}

interface Sustained {
  target: string;
  seconds: number;
  calls: number;
  callsPerSecond: number;
  /** Status code → count; a healthy run is all 12 (UNIMPLEMENTED). */
  codes: Record<string, number>;
  firstError?: string;
}

/** IN_FLIGHT closed-loop lanes of unary calls on one channel (one connection) for DURATION_S. */
async function sustained(t: Target): Promise<Sustained> {
  const client = new old.Client(t.address, old.credentials.createSsl(fs.readFileSync(t.caCertPath)), {
    'grpc.ssl_target_name_override': t.host,
    'grpc.default_authority': t.host,
  });
  const codes: Record<string, number> = {};
  let firstError: string | undefined;
  let calls = 0;
  const started = Date.now();
  const end = started + DURATION_S * 1000;
  const one = (): Promise<void> =>
    new Promise((resolve) =>
      client.makeUnaryRequest(METHOD, identity, identity, Buffer.alloc(0), (err) => {
        const code = String(err?.code ?? 0);
        codes[code] = (codes[code] ?? 0) + 1;
        if (err && err.code !== 12 && firstError === undefined) firstError = `${err.code} ${err.message}`;
        calls++;
        resolve();
      }),
    );
  const lane = async (): Promise<void> => {
    while (Date.now() < end) await one();
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  client.close();
  const seconds = (Date.now() - started) / 1000;
  return {
    target: t.what,
    seconds: round1(seconds),
    calls,
    callsPerSecond: round1(calls / seconds),
    codes,
    firstError,
  };
}

interface Flood {
  streamsOpened: number;
  goawayCode?: number;
  seconds: number;
}

/** Opens streams 100 at a time and resets each right after its HEADERS, until the server sends GOAWAY. */
async function flood(t: Target): Promise<Flood> {
  const started = Date.now();
  const session = http2.connect(`https://${t.address}`, {
    ca: fs.readFileSync(t.caCertPath),
    servername: t.host,
  });
  session.on('error', () => undefined);
  let goawayCode: number | undefined;
  session.on('goaway', (code: number) => (goawayCode = code));
  let opened = 0;
  while (goawayCode === undefined && !session.closed && !session.destroyed && opened < 100_000) {
    const batch: http2.ClientHttp2Stream[] = [];
    for (let i = 0; i < 100; i++, opened++) {
      const req = session.request({
        ':method': 'POST',
        ':path': FLOOD_METHOD,
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      req.on('error', () => undefined);
      batch.push(req);
    }
    await new Promise((r) => setImmediate(r));
    for (const req of batch) req.close(http2.constants.NGHTTP2_CANCEL);
    await new Promise((r) => setImmediate(r));
  }
  session.destroy();
  return { streamsOpened: opened, goawayCode, seconds: round1((Date.now() - started) / 1000) };
}

async function main(): Promise<void> {
  const bench = startBenchDevnet(OFFSET, { batchTimeout: '100ms', maxMessageCount: 50 });
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(bench.home, 'network.json'), 'utf8')) as {
      orderer: { name: string; host: string; port: number; tls: { caCertPath: string } };
    };
    const org = bench.net().organizations[0];
    const peer: Target = {
      what: org.peers[0].name,
      address: `${org.peers[0].host}:${org.peers[0].port}`,
      caCertPath: org.tlsCaCertPath,
      host: org.peers[0].name,
    };
    const orderer: Target = {
      what: raw.orderer.name,
      address: `${raw.orderer.host}:${raw.orderer.port}`,
      caCertPath: raw.orderer.tls.caCertPath,
      host: raw.orderer.name,
    };
    const runs: Sustained[] = [];
    for (const t of [peer, orderer]) {
      log(`${t.what}: grpc-js 1.10.3, one connection, ${IN_FLIGHT} in flight, ${DURATION_S} s ...`);
      const r = await sustained(t);
      log(
        `  ${r.calls} calls, ${r.callsPerSecond}/s, codes ${JSON.stringify(r.codes)}${r.firstError ? `, first error: ${r.firstError}` : ''}`,
      );
      runs.push(r);
    }
    log(`${peer.what}: rapid-reset flood ...`);
    const f = await flood(peer);
    log(`  GOAWAY ${f.goawayCode ?? 'never'} after ${f.streamsOpened} streams (${f.seconds} s)`);
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
      loadavg: os.loadavg().map(round1),
    };
    fs.writeFileSync(
      out,
      `${JSON.stringify({ machine, durationS: DURATION_S, inFlight: IN_FLIGHT, sustained: runs, flood: f }, null, 2)}\n`,
    );
    log(`wrote ${out}`);
  } finally {
    bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
