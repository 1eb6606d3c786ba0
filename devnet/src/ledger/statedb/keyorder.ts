/**
 * Fabric orders keys as Go strings, i.e. by their UTF-8 bytes, which is Unicode code point order.
 * JavaScript's `<` compares UTF-16 code units, which puts U+E000..U+FFFF after the surrogate pairs of
 * U+10000..U+10FFFF. Composite keys end ranges with U+10FFFF, so the difference matters.
 */

/** Maps a UTF-16 code unit so that code-unit order equals code point order for well-formed strings. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) {
    return unit;
  }
  // Surrogates (U+10000 and up) must sort after U+E000..U+FFFF.
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

// Below U+D800 code-unit order is code point order: keys without a unit from here up compare natively.
const HIGH_UNIT = /[\uD800-\uFFFF]/;

/** Compares two keys in UTF-8 byte order (LevelDB's order): negative, zero or positive. */
export function compareKeys(a: string, b: string): number {
  return HIGH_UNIT.test(a) || HIGH_UNIT.test(b) ? compareByCodePoint(a, b) : compareUnits(a, b);
}

function compareUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareByCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointRank(x) - codePointRank(y);
    }
  }
  return a.length - b.length;
}

/** Sorts keys (or items by key) in UTF-8 byte order without mutating the input. */
export function sortedByKey<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  const list = [...items];
  // One scan of each key instead of one per comparison.
  const compare = list.some((x) => HIGH_UNIT.test(keyOf(x))) ? compareByCodePoint : compareUnits;
  return list.sort((p, q) => compare(keyOf(p), keyOf(q)));
}
