/**
 * Sizes of protobuf wire fields, for devnet's hand encoders (gateway/transaction, committer/commithash, ledger/txmgr
 * kvrwsetencode, ledger/history entries, chaincode/message), which allocate the exact buffer before writing. One-byte
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

/** Bytes of a varint field (int, enum, bool as 0/1) with a one-byte tag; 0 for 0, which proto3 leaves out ({@link WireWriter.varintField}). */
export function varintFieldSize(v: number): number {
  return v === 0 ? 0 : 1 + int64Size(v);
}

/** Bytes of a bytes field of `length` bytes with a one-byte tag; 0 when empty, which proto3 leaves out. */
export function bytesFieldSize(length: number): number {
  return length === 0 ? 0 : delimitedFieldSize(length);
}

/** Bytes of a string field in UTF-8 with a one-byte tag; 0 for the empty string, which proto3 leaves out. */
export function stringFieldSize(s: string): number {
  return s.length === 0 ? 0 : delimitedFieldSize(Buffer.byteLength(s, 'utf8'));
}
