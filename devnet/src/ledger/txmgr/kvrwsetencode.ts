import { ledger } from '@hyperledger/fabric-protos';
import type { HashedRWSetView, KVRWSetView } from '../../protoutil/rwsetviews';
import {
  bytesFieldSize,
  delimitedFieldSize,
  stringFieldSize,
  varintFieldSize,
} from '../../protoutil/wiresize';
import { WireWriter } from '../../protoutil/wirewriter';
import { newProtoVersion } from './kvread';

/**
 * Serializes a namespace's public read-write set (kvrwset.KVRWSet) from plain records, byte for byte as
 * google-protobuf's serializeBinary of the same message (and Go's proto.Marshal): fields in number order,
 * proto3 defaults (empty strings and bytes, false, 0) left out, a present Version always written (even
 * {0, 0}). The endorsers of a transaction must produce identical bytes; the unit tests compare with
 * google-protobuf. Strings with UTF-16 surrogates take google-protobuf's own path (its UTF-8 encoder and
 * Node's differ on lone surrogates).
 */
export function encodeKVRWSet(kv: KVRWSetView): Uint8Array {
  if (hasSurrogates(kv)) return viaGoogleProtobuf(kv);
  const rangeQueries = kv.rangeQueriesInfo.map((q) => q.serializeBinary());
  // Pass 1: sizes.
  const readSizes = kv.reads.map((r) => {
    let n = stringFieldSize(r.key);
    if (r.version) n += embedded(versionSize(r.version));
    return n;
  });
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
    if (r.version) {
      w.head(0x12, versionSize(r.version));
      writeVersion(w, r.version);
    }
  });
  for (const q of rangeQueries) {
    w.head(0x12, q.length);
    w.raw(q);
  }
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
  if (h.metadataWrites.some((m) => m.entries.some((e) => SURROGATE.test(e.name))))
    return hashedViaGoogleProtobuf(h);
  const readSizes = h.hashedReads.map(
    (r) => bytesFieldSize(r.keyHash.length) + (r.version ? embedded(versionSize(r.version)) : 0),
  );
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
    if (r.version) {
      w.head(0x12, versionSize(r.version));
      writeVersion(w, r.version);
    }
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

function writeVersion(w: WireWriter, v: { blockNum: number; txNum: number }): void {
  w.varintField(0x08, v.blockNum);
  w.varintField(0x10, v.txNum);
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

function versionSize(v: { blockNum: number; txNum: number }): number {
  return varintFieldSize(v.blockNum) + varintFieldSize(v.txNum);
}

function entrySize(e: { name: string; value: Uint8Array }): number {
  return stringFieldSize(e.name) + bytesFieldSize(e.value.length);
}

const SURROGATE = /[\uD800-\uDFFF]/;

function hasSurrogates(kv: KVRWSetView): boolean {
  for (const r of kv.reads) if (SURROGATE.test(r.key)) return true;
  for (const w of kv.writes) if (SURROGATE.test(w.key)) return true;
  for (const m of kv.metadataWrites) {
    if (SURROGATE.test(m.key)) return true;
    for (const e of m.entries) if (SURROGATE.test(e.name)) return true;
  }
  return false;
}

function viaGoogleProtobuf(kv: KVRWSetView): Uint8Array {
  const { kvrwset } = ledger.rwset;
  const m = new kvrwset.KVRWSet();
  m.setReadsList(
    kv.reads.map((r) => {
      const p = new kvrwset.KVRead();
      p.setKey(r.key);
      if (r.version) p.setVersion(newProtoVersion(r.version));
      return p;
    }),
  );
  m.setRangeQueriesInfoList(kv.rangeQueriesInfo);
  m.setWritesList(
    kv.writes.map((w) => {
      const p = new kvrwset.KVWrite();
      p.setKey(w.key);
      p.setIsDelete(w.isDelete);
      p.setValue(w.value);
      return p;
    }),
  );
  m.setMetadataWritesList(
    kv.metadataWrites.map((mw) => {
      const p = new kvrwset.KVMetadataWrite();
      p.setKey(mw.key);
      p.setEntriesList(mw.entries.map(protoEntry));
      return p;
    }),
  );
  return m.serializeBinary();
}

function hashedViaGoogleProtobuf(h: HashedRWSetView): Uint8Array {
  const { kvrwset } = ledger.rwset;
  const m = new kvrwset.HashedRWSet();
  m.setHashedReadsList(
    h.hashedReads.map((r) => {
      const p = new kvrwset.KVReadHash();
      p.setKeyHash(r.keyHash);
      if (r.version) p.setVersion(newProtoVersion(r.version));
      return p;
    }),
  );
  m.setHashedWritesList(
    h.hashedWrites.map((w) => {
      const p = new kvrwset.KVWriteHash();
      p.setKeyHash(w.keyHash);
      p.setIsDelete(w.isDelete);
      p.setValueHash(w.valueHash);
      p.setIsPurge(w.isPurge);
      return p;
    }),
  );
  m.setMetadataWritesList(
    h.metadataWrites.map((mw) => {
      const p = new kvrwset.KVMetadataWriteHash();
      p.setKeyHash(mw.keyHash);
      p.setEntriesList(mw.entries.map(protoEntry));
      return p;
    }),
  );
  return m.serializeBinary();
}

function protoEntry(e: { name: string; value: Uint8Array }): ledger.rwset.kvrwset.KVMetadataEntry {
  const pe = new ledger.rwset.kvrwset.KVMetadataEntry();
  pe.setName(e.name);
  pe.setValue(e.value);
  return pe;
}
