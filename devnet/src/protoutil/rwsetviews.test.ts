import { ledger } from '@hyperledger/fabric-protos';
import {
  readHashedRWSet,
  readKVRead,
  readKVRWSet,
  readKVWrite,
  readTxReadWriteSet,
  readVersion,
} from './rwsetviews';

const { kvrwset } = ledger.rwset;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
/** A field the generated code does not know: number 15, length-delimited. */
const unknownField = Uint8Array.from([(15 << 3) | 2, 3, 1, 2, 3]);

function version(blockNum: number, txNum: number): ledger.rwset.kvrwset.Version {
  const v = new kvrwset.Version();
  v.setBlockNum(blockNum);
  v.setTxNum(txNum);
  return v;
}

function entry(name: string, value: string): ledger.rwset.kvrwset.KVMetadataEntry {
  const e = new kvrwset.KVMetadataEntry();
  e.setName(name);
  e.setValue(Buffer.from(value));
  return e;
}

/** A KVRWSet with every kind of field: reads (with and without version), a range query, writes, deletes, metadata. */
function fullKvRwSet(): ledger.rwset.kvrwset.KVRWSet {
  const kv = new kvrwset.KVRWSet();
  const r1 = new kvrwset.KVRead();
  r1.setKey('a');
  r1.setVersion(version(2 ** 40 + 7, 3));
  const r2 = new kvrwset.KVRead();
  r2.setKey('ä-absent');
  kv.setReadsList([r1, r2]);
  const rq = new kvrwset.RangeQueryInfo();
  rq.setStartKey('a');
  rq.setEndKey('c');
  rq.setItrExhausted(true);
  const qr = new kvrwset.QueryReads();
  qr.setKvReadsList([r1]);
  rq.setRawReads(qr);
  kv.setRangeQueriesInfoList([rq]);
  const w1 = new kvrwset.KVWrite();
  w1.setKey('b');
  w1.setValue(Buffer.from('value-b'));
  const w2 = new kvrwset.KVWrite();
  w2.setKey('c');
  w2.setIsDelete(true);
  kv.setWritesList([w1, w2]);
  const mw = new kvrwset.KVMetadataWrite();
  mw.setKey('b');
  mw.setEntriesList([entry('VALIDATION_PARAMETER', 'policy'), entry('other', '')]);
  const mwDel = new kvrwset.KVMetadataWrite();
  mwDel.setKey('d');
  kv.setMetadataWritesList([mw, mwDel]);
  return kv;
}

function fullHashedRwSet(): ledger.rwset.kvrwset.HashedRWSet {
  const h = new kvrwset.HashedRWSet();
  const r = new kvrwset.KVReadHash();
  r.setKeyHash(Uint8Array.from([1, 2]));
  r.setVersion(version(5, 0));
  h.setHashedReadsList([r]);
  const w = new kvrwset.KVWriteHash();
  w.setKeyHash(Uint8Array.from([3]));
  w.setValueHash(Uint8Array.from([4, 5]));
  const purge = new kvrwset.KVWriteHash();
  purge.setKeyHash(Uint8Array.from([6]));
  purge.setIsDelete(true);
  purge.setIsPurge(true);
  h.setHashedWritesList([w, purge]);
  const mw = new kvrwset.KVMetadataWriteHash();
  mw.setKeyHash(Uint8Array.from([7]));
  mw.setEntriesList([entry('VALIDATION_PARAMETER', 'p')]);
  h.setMetadataWritesList([mw]);
  return h;
}

function txRwSet(): ledger.rwset.TxReadWriteSet {
  const tx = new ledger.rwset.TxReadWriteSet();
  tx.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  const ns1 = new ledger.rwset.NsReadWriteSet();
  ns1.setNamespace('egov');
  ns1.setRwset(fullKvRwSet().serializeBinary());
  const coll = new ledger.rwset.CollectionHashedReadWriteSet();
  coll.setCollectionName('private');
  coll.setHashedRwset(fullHashedRwSet().serializeBinary());
  coll.setPvtRwsetHash(Uint8Array.from([9, 9]));
  ns1.setCollectionHashedRwsetList([coll]);
  const ns2 = new ledger.rwset.NsReadWriteSet();
  ns2.setNamespace('_lifecycle');
  tx.setNsRwsetList([ns1, ns2]);
  return tx;
}

describe('read-write set views agree with google-protobuf', () => {
  it('reads TxReadWriteSet, NsReadWriteSet and CollectionHashedReadWriteSet, bytes as subarrays', () => {
    const g = txRwSet();
    const bytes = g.serializeBinary();
    const v = readTxReadWriteSet(bytes);
    expect(v.dataModel).toBe(g.getDataModel());
    expect(v.nsRwset.map((n) => n.namespace)).toEqual(['egov', '_lifecycle']);
    const gNs = g.getNsRwsetList();
    v.nsRwset.forEach((n, i) => {
      expect(hex(n.rwset)).toBe(hex(gNs[i].getRwset_asU8()));
      expect(
        n.collectionHashedRwset.map((c) => [c.collectionName, hex(c.hashedRwset), hex(c.pvtRwsetHash)]),
      ).toEqual(
        gNs[i]
          .getCollectionHashedRwsetList()
          .map((c) => [c.getCollectionName(), hex(c.getHashedRwset_asU8()), hex(c.getPvtRwsetHash_asU8())]),
      );
    });
    expect(v.nsRwset[0].rwset.buffer).toBe(bytes.buffer); // no copy
    expect(v.nsRwset[1].rwset).toHaveLength(0);
    expect(v.nsRwset[1].collectionHashedRwset).toEqual([]);
  });

  it('reads a KVRWSet: reads with and without version, range queries, writes, deletes, metadata writes', () => {
    const g = fullKvRwSet();
    const v = readKVRWSet(g.serializeBinary());
    expect(v.reads).toEqual(
      g.getReadsList().map((r) => ({ key: r.getKey(), version: r.getVersion()?.toObject() })),
    );
    expect(v.reads[0].version).toEqual({ blockNum: 2 ** 40 + 7, txNum: 3 });
    expect(v.reads[1].version).toBeUndefined();
    expect(v.writes.map((w) => [w.key, w.isDelete, hex(w.value)])).toEqual(
      g.getWritesList().map((w) => [w.getKey(), w.getIsDelete(), hex(w.getValue_asU8())]),
    );
    expect(v.metadataWrites.map((m) => [m.key, m.entries.map((e) => [e.name, hex(e.value)])])).toEqual(
      g
        .getMetadataWritesList()
        .map((m) => [m.getKey(), m.getEntriesList().map((e) => [e.getName(), hex(e.getValue_asU8())])]),
    );
    expect(v.rangeQueriesInfo.map((i) => i.toObject())).toEqual(
      g.getRangeQueriesInfoList().map((i) => i.toObject()),
    );
  });

  it('reads a HashedRWSet: hashed reads, writes, deletes, purges, metadata writes', () => {
    const g = fullHashedRwSet();
    const v = readHashedRWSet(g.serializeBinary());
    expect(v.hashedReads.map((r) => [hex(r.keyHash), r.version])).toEqual(
      g.getHashedReadsList().map((r) => [hex(r.getKeyHash_asU8()), r.getVersion()?.toObject()]),
    );
    expect(v.hashedWrites.map((w) => [hex(w.keyHash), w.isDelete, hex(w.valueHash), w.isPurge])).toEqual(
      g
        .getHashedWritesList()
        .map((w) => [hex(w.getKeyHash_asU8()), w.getIsDelete(), hex(w.getValueHash_asU8()), w.getIsPurge()]),
    );
    expect(v.metadataWrites.map((m) => [hex(m.keyHash), m.entries.map((e) => e.name)])).toEqual([
      ['07', ['VALIDATION_PARAMETER']],
    ]);
  });

  it('skips unknown fields and known fields of another wire type (as Go protobuf)', () => {
    const w = new kvrwset.KVWrite();
    w.setKey('k');
    w.setValue(Buffer.from('v'));
    // field 2 (is_delete) as length-delimited: unknown to Go; field 1 again wins (last scalar)
    const odd = Uint8Array.from([(2 << 3) | 2, 1, 1]);
    const bytes = cat(unknownField, w.serializeBinary(), odd, unknownField);
    expect(readKVWrite(bytes)).toEqual({
      key: 'k',
      isDelete: false,
      value: Uint8Array.from(Buffer.from('v')),
    });
    expect(kvrwset.KVWrite.deserializeBinary(cat(unknownField, w.serializeBinary())).getKey()).toBe('k');
    const kv = fullKvRwSet().serializeBinary();
    expect(readKVRWSet(cat(unknownField, kv, unknownField))).toEqual(readKVRWSet(kv));
  });

  it('merges a KVRead version sent twice (as Go protobuf; google-protobuf keeps the last)', () => {
    const r1 = new kvrwset.KVRead();
    r1.setKey('a');
    r1.setVersion(version(7, 0));
    const v2 = Uint8Array.from([(2 << 3) | 2, 2, (2 << 3) | 0, 4]); // version { tx_num: 4 }
    expect(readKVRead(cat(r1.serializeBinary(), v2))).toEqual({
      key: 'a',
      version: { blockNum: 7, txNum: 4 },
    });
    expect(kvrwset.KVRead.deserializeBinary(cat(r1.serializeBinary(), v2)).getVersion()?.toObject()).toEqual({
      blockNum: 0,
      txNum: 4,
    });
  });

  it('reads a bool set by any non-zero varint', () => {
    const bytes = Uint8Array.from([(1 << 3) | 2, 1, 0x6b, (2 << 3) | 0, 0x80, 0x80, 0x80, 0x80, 0x10]);
    expect(readKVWrite(bytes).isDelete).toBe(true);
  });

  it('throws on malformed input where google-protobuf throws', () => {
    const good = txRwSet().serializeBinary();
    const truncated = good.subarray(0, good.length - 1);
    expect(() => ledger.rwset.TxReadWriteSet.deserializeBinary(truncated)).toThrow(/Decoder hit an error/);
    expect(() => readTxReadWriteSet(truncated)).toThrow(/past the end/);
    expect(() => readTxReadWriteSet(Uint8Array.from([(1 << 3) | 0]))).toThrow(/varint: past the end/);
    expect(() => readKVRWSet(Uint8Array.from([(1 << 3) | 7]))).toThrow(/wire type 7/);
    // a KVRead inside the KVRWSet whose version length runs past the KVRead
    const badRead = Uint8Array.from([(1 << 3) | 2, 2, (2 << 3) | 2, 5]);
    expect(() => kvrwset.KVRWSet.deserializeBinary(badRead)).toThrow(/Assertion failed/);
    expect(() => readKVRWSet(badRead)).toThrow(/past the end/);
    // a truncated varint inside a Version
    expect(() => readVersion(Uint8Array.from([(1 << 3) | 0, 0xff]))).toThrow(/varint: past the end/);
    // a malformed range query fails the KVRWSet, as in Fabric
    const badRange = Uint8Array.from([(2 << 3) | 2, 2, (1 << 3) | 2, 4]);
    expect(() => readKVRWSet(badRange)).toThrow(/Decoder hit an error/);
    expect(() => readHashedRWSet(Uint8Array.from([(2 << 3) | 2, 3, (1 << 3) | 2, 9, 0]))).toThrow(
      /past the end/,
    );
  });
});
