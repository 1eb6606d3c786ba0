/**
 * Key layout of the history index (Fabric's historydb key: ns, key, blockNum, tranNum). Namespace and
 * key are length-prefixed, so that a key never matches the prefix of another key that starts with it
 * (composite keys contain U+0000, which breaks separator-based layouts).
 */
const ENTRY_PREFIX = 0x68; // 'h'
/** The savepoint: the last block whose entries are indexed. */
export const HISTORY_SAVEPOINT_KEY = Uint8Array.of(0x73); // 's'

function lengthPrefixed(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/** The prefix every history entry of (ns, key) starts with. */
export function historyKeyPrefix(ns: string, key: string): Buffer {
  return Buffer.concat([Buffer.of(ENTRY_PREFIX), lengthPrefixed(ns), lengthPrefixed(key)]);
}

/** The index key of the write of (ns, key) by transaction txNum of block blockNum. */
export function historyKey(ns: string, key: string, blockNum: number, txNum: number): Buffer {
  const pos = Buffer.alloc(16);
  pos.writeBigUInt64BE(BigInt(blockNum), 0);
  pos.writeBigUInt64BE(BigInt(txNum), 8);
  return Buffer.concat([historyKeyPrefix(ns, key), pos]);
}

/** The first key after every entry with this prefix (prefix ‖ 0xff…, longer than any position). */
export function prefixEnd(prefix: Buffer): Buffer {
  return Buffer.concat([prefix, Buffer.alloc(17, 0xff)]);
}

/** Block number and tx number of an index key. */
export function decodePosition(dbKey: Uint8Array): { blockNum: number; txNum: number } {
  const b = Buffer.from(dbKey.buffer, dbKey.byteOffset, dbKey.byteLength);
  return {
    blockNum: Number(b.readBigUInt64BE(b.length - 16)),
    txNum: Number(b.readBigUInt64BE(b.length - 8)),
  };
}
