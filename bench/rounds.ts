/**
 * Side-by-side measurement in rounds (bench/ledger-ratio.ts, bench/currency-ratio.ts): variants
 * run one after another in each round, so machine noise hits each alike; each is summarized by its
 * median throughput over the rounds, and two are compared as ratios.
 */
import * as os from 'node:os';
import { errorText, log, median, percentile, round1 } from './support';

/** One variant at one concurrency in one round. */
export interface Sample<V extends string = string> {
  variant: V;
  concurrency: number;
  round: number;
  transactions: number;
  failed: number;
  seconds: number;
  tps: number;
  latenciesMs: number[];
}

/** The summary of a variant at one concurrency over all rounds. */
export interface VariantSummary<V extends string = string> {
  variant: V;
  concurrency: number;
  transactions: number;
  failed: number;
  /** Throughput of each round, in round order. */
  roundTps: number[];
  medianTps: number;
  /** Percentiles over every latency of every round. */
  p50Ms: number;
  p95Ms: number;
}

/** Rounds to three decimals (ratios). */
export const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Runs `count` operations `concurrency` at a time (`op` gets the operation's index and the
 * worker's); the first failure's reason is logged.
 */
export async function measure<V extends string>(
  variant: V,
  concurrency: number,
  round: number,
  count: number,
  op: (index: number, worker: number) => Promise<unknown>,
): Promise<Sample<V>> {
  const latenciesMs: number[] = [];
  let failed = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (w: number): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      try {
        await op(i, w);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        if (failed++ === 0) log(`  ${variant} c=${concurrency}: first failure: ${errorText(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const s: Sample<V> = {
    variant,
    concurrency,
    round,
    transactions: latenciesMs.length,
    failed,
    seconds: round1(seconds),
    tps: round1(latenciesMs.length / seconds),
    latenciesMs,
  };
  log(
    `  round ${round} c=${concurrency} ${variant}: ${s.tps} tx/s (${s.transactions} ok, ${failed} failed, ${s.seconds} s)`,
  );
  return s;
}

/** A variant's samples at one concurrency, summarized over the rounds. */
export function summarize<V extends string>(
  samples: Sample<V>[],
  variant: V,
  concurrency: number,
): VariantSummary<V> {
  const mine = samples
    .filter((s) => s.variant === variant && s.concurrency === concurrency)
    .sort((a, b) => a.round - b.round);
  const latencies = mine.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  return {
    variant,
    concurrency,
    transactions: latencies.length,
    failed: mine.reduce((n, s) => n + s.failed, 0),
    roundTps: mine.map((s) => s.tps),
    medianTps: round1(median(mine.map((s) => s.tps))),
    p50Ms: round1(percentile(latencies, 0.5)),
    p95Ms: round1(percentile(latencies, 0.95)),
  };
}

/** The ratio of two variants' throughput: of the medians, and the median of the per-round ratios. */
export function ratio<V extends string>(
  samples: Sample<V>[],
  top: V,
  bottom: V,
  concurrency: number,
): { ofMedians: number; medianOfRounds: number } {
  const tps = (v: V) =>
    samples
      .filter((s) => s.variant === v && s.concurrency === concurrency)
      .sort((a, b) => a.round - b.round)
      .map((s) => s.tps);
  const a = tps(top);
  const b = tps(bottom);
  return {
    ofMedians: round3(median(a) / median(b)),
    medianOfRounds: round3(median(a.map((x, i) => x / b[i]))),
  };
}

/** The machine a benchmark ran on, for its results file. */
export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryGiB: round1(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtEnd: os.loadavg().map(round1),
  };
}
