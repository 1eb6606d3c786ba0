import { decodePosition, historyKey, historyKeyPrefix } from './keys';

/** The layout spelled out part by part: 'h', then ns and key each as a uint32 length and UTF-8, then block and tx. */
function layout(ns: string, key: string, position?: [number, number]): Buffer {
  const part = (s: string): Buffer => {
    const bytes = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    return Buffer.concat([len, bytes]);
  };
  const pos = Buffer.alloc(position ? 16 : 0);
  if (position) {
    pos.writeBigUInt64BE(BigInt(position[0]), 0);
    pos.writeBigUInt64BE(BigInt(position[1]), 8);
  }
  return Buffer.concat([Buffer.of(0x68), part(ns), part(key), pos]);
}

describe('history index keys', () => {
  const keys = ['', 'k', '\u0000record\u0000EDU-1\u0000', 'Lima é 漢字 😀', 'lone \ud800 surrogate'];

  it.each(keys)('lays out %j as length-prefixed UTF-8 with the position big-endian', (key) => {
    expect(historyKeyPrefix('egov', key)).toEqual(layout('egov', key));
    expect(historyKey('egov', key, 7, 3)).toEqual(layout('egov', key, [7, 3]));
  });

  it('keeps block numbers above 2^32 exact', () => {
    const blockNum = 2 ** 40 + 5;
    const key = historyKey('ns', 'k', blockNum, 2 ** 33 + 1);
    expect(key).toEqual(layout('ns', 'k', [blockNum, 2 ** 33 + 1]));
    expect(decodePosition(key)).toEqual({ blockNum, txNum: 2 ** 33 + 1 });
  });
});
