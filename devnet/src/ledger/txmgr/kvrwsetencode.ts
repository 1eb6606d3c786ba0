import { ledger } from '@hyperledger/fabric-protos';
import type { KVRWSetView } from '../../protoutil/rwsetviews';
import { delimitedFieldSize, varintSize } from '../../protoutil/wiresize';
import { WireWriter } from '../../protoutil/wirewriter';

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
    let n = stringField(r.key);
    if (r.version) n += 1 + varintSize(versionSize(r.version)) + versionSize(r.version);
    return n;
  });
  const writeSizes = kv.writes.map(
    (w) => stringField(w.key) + (w.isDelete ? 2 : 0) + (w.value.length > 0 ? bytesField(w.value.length) : 0),
  );
  const metadataSizes = kv.metadataWrites.map((m) => {
    let n = stringField(m.key);
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
      if (r.version.blockNum !== 0) {
        w.byte(0x08);
        w.varint(r.version.blockNum);
      }
      if (r.version.txNum !== 0) {
        w.byte(0x10);
        w.varint(r.version.txNum);
      }
    }
  });
  for (const q of rangeQueries) {
    w.head(0x12, q.length);
    w.raw(q);
  }
  kv.writes.forEach((kw, i) => {
    w.head(0x1a, writeSizes[i]);
    w.string(0x0a, kw.key);
    if (kw.isDelete) {
      w.byte(0x10);
      w.byte(1);
    }
    w.bytes(0x1a, kw.value);
  });
  kv.metadataWrites.forEach((m, i) => {
    w.head(0x22, metadataSizes[i]);
    w.string(0x0a, m.key);
    for (const e of m.entries) {
      w.head(0x12, entrySize(e));
      w.string(0x0a, e.name);
      w.bytes(0x12, e.value);
    }
  });
  return w.done('encodeKVRWSet');
}

const bytesField = delimitedFieldSize;

function stringField(s: string): number {
  return s.length === 0 ? 0 : bytesField(Buffer.byteLength(s, 'utf8'));
}

/** An embedded message field is always written, even when empty. */
const embedded = delimitedFieldSize;

function versionSize(v: { blockNum: number; txNum: number }): number {
  return (v.blockNum !== 0 ? 1 + varintSize(v.blockNum) : 0) + (v.txNum !== 0 ? 1 + varintSize(v.txNum) : 0);
}

function entrySize(e: { name: string; value: Uint8Array }): number {
  return stringField(e.name) + (e.value.length > 0 ? bytesField(e.value.length) : 0);
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
      if (r.version) {
        const v = new kvrwset.Version();
        v.setBlockNum(r.version.blockNum);
        v.setTxNum(r.version.txNum);
        p.setVersion(v);
      }
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
      p.setEntriesList(
        mw.entries.map((e) => {
          const pe = new kvrwset.KVMetadataEntry();
          pe.setName(e.name);
          pe.setValue(e.value);
          return pe;
        }),
      );
      return p;
    }),
  );
  return m.serializeBinary();
}
