/**
 * The summary of a Caliper run (bench/caliper-run.ts): Caliper's result table (its text report's
 * rows) as Markdown beside the rate each round asked for, and a count of the connection errors
 * issue 22 is about (a server cutting a client that resets its streams off).
 */

/** A round of benchconfig.yaml: its label and fixed rate. */
export interface RoundAsked {
  label: string;
  tps: number;
}

/** One row of Caliper's result table. */
interface Row {
  name: string;
  succ: number;
  fail: number;
  sendRate: string;
  maxLatency: string;
  minLatency: string;
  avgLatency: string;
  throughput: string;
}

/** What {@link caliperSummary} gives. */
export interface CaliperSummary {
  markdown: string;
  /** Every round asked for has a row in Caliper's table. */
  complete: boolean;
}

/** The errors of a connection cut off for its resets (what grpc-js 1.10.3 says, and HTTP/2's GOAWAY). */
const CUT_OFF = /RST_STREAM with code 2|Session closed with error code 2|GOAWAY/g;

/**
 * Caliper's rows, the last printed for each round (it prints each round's table, then all of
 * them): lines `| name | succ | fail | ... |` of its ramac-bordered tables.
 */
function resultRows(log: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const line of log.split('\n')) {
    const cells = line
      .trim()
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 8 || !/^\d+$/.test(cells[1])) continue;
    const [name, succ, fail, sendRate, maxLatency, minLatency, avgLatency, throughput] = cells;
    rows.set(name, {
      name,
      succ: Number(succ),
      fail: Number(fail),
      sendRate,
      maxLatency,
      minLatency,
      avgLatency,
      throughput,
    });
  }
  return rows;
}

/**
 * Summarizes a Caliper run from everything it printed, the rounds it was asked for, and the
 * machine's 1-minute load average before and after.
 */
export function caliperSummary(
  log: string,
  asked: RoundAsked[],
  load: { before: number; after: number },
): CaliperSummary {
  const rows = resultRows(log);
  const lines = [
    '| Name | Asked (TPS) | Succ | Fail | Send Rate (TPS) | Max Latency (s) | Min Latency (s) | Avg Latency (s) | Throughput (TPS) |',
    '| ---- | ----------: | ---: | ---: | --------------: | --------------: | --------------: | --------------: | ---------------: |',
  ];
  for (const { label, tps } of asked) {
    const r = rows.get(label);
    lines.push(
      r
        ? `| ${label} | ${tps} | ${r.succ} | ${r.fail} | ${r.sendRate} | ${r.maxLatency} | ${r.minLatency} | ${r.avgLatency} | ${r.throughput} |`
        : `| ${label} | ${tps} | – | – | – | – | – | – | – (no result: see caliper.log) |`,
    );
  }
  const failed = [...rows.values()].reduce((n, r) => n + r.fail, 0);
  const cutOff = log.match(CUT_OFF)?.length ?? 0;
  lines.push(
    '',
    `Failed transactions: ${failed}. Log lines of a connection cut off for its resets (RST_STREAM / GOAWAY / "Session closed with error code 2"): ${cutOff}.`,
    `Load average (1 min) before / after: ${load.before.toFixed(1)} / ${load.after.toFixed(1)}.`,
    '',
  );
  return { markdown: lines.join('\n'), complete: asked.every((a) => rows.has(a.label)) };
}
