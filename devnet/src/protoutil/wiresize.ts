/**
 * Sizes of protobuf wire fields, for devnet's hand encoders (gateway/transaction, committer/commithash, ledger/txmgr
 * kvrwsetencode, ledger/history entries), which allocate the exact buffer before writing. One-byte
 * tags only: every field they write has a number from 1 to 15.
 */

/** Bytes of `v` (a non-negative integer up to 2^53) as an unsigned varint. */
export function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** Bytes of an int64 varint: a negative value takes ten. */
export function int64Size(v: number): number {
  return v < 0 ? 10 : varintSize(v);
}

/** Bytes of a length-delimited field of `length` bytes with a one-byte tag, written even when empty. */
export function delimitedFieldSize(length: number): number {
  return 1 + varintSize(length) + length;
}
