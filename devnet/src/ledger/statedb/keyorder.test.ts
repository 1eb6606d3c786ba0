import { compareKeys, sortedByKey } from './keyorder';

/** LevelDB's and Go's order: the keys' UTF-8 bytes. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Keys from a small alphabet that straddles every boundary, with shared prefixes (deterministic). */
function keys(count: number, alphabet: string[]): string[] {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  return Array.from({ length: count }, () => {
    let k = 'ns\u0000record\u0000';
    for (let n = next() % 5; n >= 0; n--) k += alphabet[next() % alphabet.length];
    return k;
  });
}

const ASCII = ['', 'a', 'b', '\u0000', '~'];
const WIDE = [...ASCII, '\u00e9', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{10ffff}'];

describe('key order', () => {
  it.each([
    ['ASCII keys (the native comparison)', ASCII],
    ['keys with characters on both sides of the surrogates', WIDE],
  ])('compareKeys orders %s as their UTF-8 bytes', (_name, alphabet) => {
    const ks = keys(300, alphabet);
    for (let i = 1; i < ks.length; i++) {
      expect(Math.sign(compareKeys(ks[i - 1], ks[i]))).toBe(Math.sign(byUtf8(ks[i - 1], ks[i])));
      expect(compareKeys(ks[i], ks[i])).toBe(0);
    }
  });

  it.each([
    ['ASCII keys', ASCII],
    ['keys with characters on both sides of the surrogates', WIDE],
  ])('sortedByKey sorts %s as their UTF-8 bytes, leaving its input as it was', (_name, alphabet) => {
    const items = keys(500, alphabet).map((key, i) => ({ key, i }));
    const before = [...items];
    const sorted = sortedByKey(items, (x) => x.key).map((x) => x.key);
    expect(sorted).toEqual(items.map((x) => x.key).sort(byUtf8));
    expect(items).toEqual(before);
  });

  it('puts U+E000..U+FFFF before the characters above U+FFFF, unlike JavaScript', () => {
    expect(sortedByKey(['\u{10000}', '\uffff', 'a'], (k) => k)).toEqual(['a', '\uffff', '\u{10000}']);
    expect(['\u{10000}', '\uffff'].sort()).toEqual(['\u{10000}', '\uffff']);
  });
});
