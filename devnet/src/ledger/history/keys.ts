/**
 * Key layout of the history index (Fabric's historydb key: ns, key, blockNum, tranNum). Namespace and
 * key are length-prefixed, so that a key never matches the prefix of another key that starts with it
 * (composite keys contain U+0000, which breaks separator-based layouts).
 */
const ENTRY_PREFIX = 0x68; // 'h'
/** The savepoint: the last block whose entries are indexed. */
export const HISTORY_SAVEPOINT_KEY = Uint8Array.of(0x73); // 's'

/** Writes the entry prefix of (ns, key) at the start of `out`; returns where the position goes. */
function writePrefix(out: Buffer, ns: string, nsLength: number, key: string, keyLength: number): number {
  out[0] = ENTRY_PREFIX;
  out.writeUInt32BE(nsLength, 1);
  out.write(ns, 5, 'utf8');
  out.writeUInt32BE(keyLength, 5 + nsLength);
  out.write(key, 9 + nsLength, 'utf8');
  return 9 + nsLength + keyLength;
}

/** The prefix every history entry of (ns, key) starts with. */
export function historyKeyPrefix(ns: string, key: string): Buffer {
  const nsLength = Buffer.byteLength(ns, 'utf8');
  const keyLength = Buffer.byteLength(key, 'utf8');
  const out = Buffer.allocUnsafe(9 + nsLength + keyLength);
  writePrefix(out, ns, nsLength, key, keyLength);
  return out;
}

/** The index key of the write of (ns, key) by transaction txNum of block blockNum (one buffer, written once). */
export function historyKey(ns: string, key: string, blockNum: number, txNum: number): Buffer {
  const nsLength = Buffer.byteLength(ns, 'utf8');
  const keyLength = Buffer.byteLength(key, 'utf8');
  const out = Buffer.allocUnsafe(9 + nsLength + keyLength + 16);
  const p = writePrefix(out, ns, nsLength, key, keyLength);
  writeUint64(out, blockNum, p);
  writeUint64(out, txNum, p + 8);
  return out;
}

/** A non-negative integer below 2^53 as a big-endian uint64. */
function writeUint64(out: Buffer, n: number, at: number): void {
  out.writeUInt32BE(Math.floor(n / 0x1_0000_0000), at);
  out.writeUInt32BE(n % 0x1_0000_0000, at + 4);
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
