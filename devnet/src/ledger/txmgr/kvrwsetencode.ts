import type { HashedRWSetView, KVRWSetView, VersionView } from '../../protoutil/rwsetviews';
import {
  bytesFieldSize,
  delimitedFieldSize,
  stringFieldSize,
  varintFieldSize,
} from '../../protoutil/wiresize';
import { WireWriter } from '../../protoutil/wirewriter';

/**
 * Serializes a namespace's public read-write set (kvrwset.KVRWSet) from plain records, byte for byte as
 * google-protobuf's serializeBinary of the same message (and Go's proto.Marshal): fields in number order,
 * proto3 defaults (empty strings and bytes, false, 0) left out, a present Version always written (even
 * {0, 0}). The endorsers of a transaction must produce identical bytes; the unit tests compare with
 * google-protobuf. A string that is not valid UTF-8 is refused, as Go's proto.Marshal refuses it.
 */
export function encodeKVRWSet(kv: KVRWSetView): Uint8Array {
  checkKVRWSet(kv);
  const rangeQueries = kv.rangeQueriesInfo.map((q) => q.serializeBinary());
  // Pass 1: sizes.
  const readSizes = kv.reads.map((r) => stringFieldSize(r.key) + versionFieldSize(r.version));
  const writeSizes = kv.writes.map(
    (w) => stringFieldSize(w.key) + varintFieldSize(Number(w.isDelete)) + bytesFieldSize(w.value.length),
  );
  const metadataSizes = kv.metadataWrites.map((m) => {
    let n = stringFieldSize(m.key);
    for (const e of m.entries) n += embedded(entrySize(e));
    return n;
  });
  let total = 0;
  for (const s of readSizes) total += embedded(s);
  for (const q of rangeQueries) total += embedded(q.length);
  for (const s of writeSizes) total += embedded(s);
  for (const s of metadataSizes) total += embedded(s);
  // Pass 2: bytes.
  const w = new WireWriter(total);
  kv.reads.forEach((r, i) => {
    w.head(0x0a, readSizes[i]);
    w.string(0x0a, r.key);
    writeVersionField(w, r.version);
  });
  for (const q of rangeQueries) w.message(0x12, q);
  kv.writes.forEach((kw, i) => {
    w.head(0x1a, writeSizes[i]);
    w.string(0x0a, kw.key);
    w.varintField(0x10, Number(kw.isDelete));
    w.bytes(0x1a, kw.value);
  });
  kv.metadataWrites.forEach((m, i) => {
    w.head(0x22, metadataSizes[i]);
    w.string(0x0a, m.key);
    writeEntries(w, m.entries);
  });
  return w.done('encodeKVRWSet');
}

/**
 * Serializes a collection's hashed read-write set (kvrwset.HashedRWSet) from plain records, byte for byte
 * as google-protobuf's serializeBinary, under the same rules as {@link encodeKVRWSet}. Its fields are
 * hashes, flags and metadata entries, so only the entry names are text.
 */
export function encodeHashedRWSet(h: HashedRWSetView): Uint8Array {
  for (const m of h.metadataWrites) checkEntries(m.entries);
  const readSizes = h.hashedReads.map((r) => bytesFieldSize(r.keyHash.length) + versionFieldSize(r.version));
  const writeSizes = h.hashedWrites.map(
    (w) =>
      bytesFieldSize(w.keyHash.length) +
      varintFieldSize(Number(w.isDelete)) +
      bytesFieldSize(w.valueHash.length) +
      varintFieldSize(Number(w.isPurge)),
  );
  const metadataSizes = h.metadataWrites.map((m) => {
    let n = bytesFieldSize(m.keyHash.length);
    for (const e of m.entries) n += embedded(entrySize(e));
    return n;
  });
  let total = 0;
  for (const s of [...readSizes, ...writeSizes, ...metadataSizes]) total += embedded(s);
  const w = new WireWriter(total);
  h.hashedReads.forEach((r, i) => {
    w.head(0x0a, readSizes[i]);
    w.bytes(0x0a, r.keyHash);
    writeVersionField(w, r.version);
  });
  h.hashedWrites.forEach((hw, i) => {
    w.head(0x12, writeSizes[i]);
    w.bytes(0x0a, hw.keyHash);
    w.varintField(0x10, Number(hw.isDelete));
    w.bytes(0x1a, hw.valueHash);
    w.varintField(0x20, Number(hw.isPurge));
  });
  h.metadataWrites.forEach((m, i) => {
    w.head(0x1a, metadataSizes[i]);
    w.bytes(0x0a, m.keyHash);
    writeEntries(w, m.entries);
  });
  return w.done('encodeHashedRWSet');
}

/** A read's version (field 2 of KVRead and of KVReadHash); an absent version writes nothing. */
function writeVersionField(w: WireWriter, v: VersionView | undefined): void {
  if (!v) return;
  w.head(0x12, versionSize(v));
  w.varintField(0x08, v.blockNum);
  w.varintField(0x10, v.txNum);
}

function versionFieldSize(v: VersionView | undefined): number {
  return v ? embedded(versionSize(v)) : 0;
}

function writeEntries(w: WireWriter, entries: readonly { name: string; value: Uint8Array }[]): void {
  for (const e of entries) {
    w.head(0x12, entrySize(e));
    w.string(0x0a, e.name);
    w.bytes(0x12, e.value);
  }
}

/** An embedded message field is always written, even when empty. */
const embedded = delimitedFieldSize;

function versionSize(v: VersionView): number {
  return varintFieldSize(v.blockNum) + varintFieldSize(v.txNum);
}

function entrySize(e: { name: string; value: Uint8Array }): number {
  return stringFieldSize(e.name) + bytesFieldSize(e.value.length);
}

/**
 * Go's proto.Marshal refuses a proto3 string that is not valid UTF-8, and so does this encoder: a string
 * with a lone UTF-16 surrogate has no UTF-8 form (Node and google-protobuf would each write a different
 * stand-in). Keys from the chaincode stream are decoded from UTF-8 and always well formed; this guards the rest.
 */
function assertWellFormed(what: string, s: string): void {
  if (LONE_SURROGATE.test(s))
    throw new Error(`${what} ${JSON.stringify(s)} is not valid UTF-8: it holds a lone UTF-16 surrogate`);
}

// In a /u pattern a surrogate pair is one code point above U+FFFF, so only a lone surrogate matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function checkKVRWSet(kv: KVRWSetView): void {
  for (const r of kv.reads) assertWellFormed('read key', r.key);
  for (const w of kv.writes) assertWellFormed('write key', w.key);
  for (const m of kv.metadataWrites) {
    assertWellFormed('metadata key', m.key);
    checkEntries(m.entries);
  }
}

function checkEntries(entries: readonly { name: string }[]): void {
  for (const e of entries) assertWellFormed('metadata entry name', e.name);
}
