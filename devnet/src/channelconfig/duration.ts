/** Milliseconds per unit of Go's time.ParseDuration. */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go duration string ("100ms", "2s", "1m30s", "1.5h") into milliseconds, as Fabric reads
 * BatchTimeout (time.ParseDuration). Throws on anything Go would reject.
 */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const re = /([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/y;
  let pos = 0;
  let total = 0;
  const body = text.startsWith('+') ? text.slice(1) : text;
  if (body.startsWith('-')) throw new Error(`negative duration "${text}"`);
  while (pos < body.length) {
    re.lastIndex = pos;
    const m = re.exec(body);
    if (!m) throw new Error(`time: invalid duration "${text}"`);
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = re.lastIndex;
  }
  if (pos === 0) throw new Error(`time: invalid duration "${text}"`);
  return total;
}
