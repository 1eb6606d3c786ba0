/** configtxgen's size units: binary multiples, so `10 MB` is 10 × 1024 × 1024 bytes. */
const UNITS: Record<string, number> = {
  B: 1,
  KB: 1024,
  KiB: 1024,
  MB: 1024 * 1024,
  MiB: 1024 * 1024,
  GB: 1024 * 1024 * 1024,
  GiB: 1024 * 1024 * 1024,
};

/**
 * Converts a byte size from `ministries.yaml` (a number, or `"<n> <unit>"`) to bytes.
 * @throws Error naming the value when it is malformed.
 */
export function parseByteSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)\s*([A-Za-z]*)$/.exec(value.trim());
  const unit = match ? UNITS[match[2] || 'B'] : undefined;
  if (!match || unit === undefined) {
    throw new Error(`byte size "${value}" is not a number with an optional unit (B, KB, MB, GB)`);
  }
  return Number(match[1]) * unit;
}
