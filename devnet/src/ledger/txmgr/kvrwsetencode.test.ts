import { ledger } from '@hyperledger/fabric-protos';
import {
  readHashedRWSet,
  readKVRWSet,
  type HashedRWSetView,
  type KVRWSetView,
} from '../../protoutil/rwsetviews';
import { encodeHashedRWSet, encodeKVRWSet } from './kvrwsetencode';

const { kvrwset } = ledger.rwset;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (s: string) => Uint8Array.from(Buffer.from(s));

/** A reference Version, built with google-protobuf. */
function refVersion(v: { blockNum: number; txNum: number }): ledger.rwset.kvrwset.Version {
  const pv = new kvrwset.Version();
  pv.setBlockNum(v.blockNum);
  pv.setTxNum(v.txNum);
  return pv;
}

/** Reference metadata entries, built with google-protobuf. */
function refEntries(
  entries: readonly { name: string; value: Uint8Array }[],
): ledger.rwset.kvrwset.KVMetadataEntry[] {
  return entries.map((e) => {
    const pe = new kvrwset.KVMetadataEntry();
    pe.setName(e.name);
    pe.setValue(e.value);
    return pe;
  });
}

/** google-protobuf's serialization of the same records (the reference the endorsers must agree on). */
function reference(kv: KVRWSetView): Uint8Array {
  const m = new kvrwset.KVRWSet();
  for (const r of kv.reads) {
    const p = new kvrwset.KVRead();
    p.setKey(r.key);
    if (r.version) p.setVersion(refVersion(r.version));
    m.addReads(p);
  }
  m.setRangeQueriesInfoList(kv.rangeQueriesInfo);
  for (const w of kv.writes) {
    const p = new kvrwset.KVWrite();
    p.setKey(w.key);
    p.setIsDelete(w.isDelete);
    p.setValue(w.value);
    m.addWrites(p);
  }
  for (const mw of kv.metadataWrites) {
    const p = new kvrwset.KVMetadataWrite();
    p.setKey(mw.key);
    p.setEntriesList(refEntries(mw.entries));
    m.addMetadataWrites(p);
  }
  return m.serializeBinary();
}

function rangeQuery(start: string, end: string): ledger.rwset.kvrwset.RangeQueryInfo {
  const q = new kvrwset.RangeQueryInfo();
  q.setStartKey(start);
  q.setEndKey(end);
  q.setItrExhausted(true);
  return q;
}

describe('encodeKVRWSet', () => {
  const cases: [string, KVRWSetView][] = [
    ['an empty set', { reads: [], rangeQueriesInfo: [], writes: [], metadataWrites: [] }],
    [
      'one read and one write (the benchmark Put)',
      {
        reads: [{ key: 'bench-1', version: { blockNum: 12, txNum: 3 } }],
        rangeQueriesInfo: [],
        writes: [{ key: 'bench-1', isDelete: false, value: bytes('x'.repeat(100)) }],
        metadataWrites: [],
      },
    ],
    [
      'versions at 0, absent, large; empty keys; deletes; long values; non-ASCII keys',
      {
        reads: [
          { key: '', version: { blockNum: 0, txNum: 0 } },
          { key: 'absent', version: undefined },
          { key: 'ä€', version: { blockNum: 2 ** 40 + 5, txNum: 0 } },
          { key: 'k'.repeat(300), version: { blockNum: 0, txNum: 200 } },
        ],
        rangeQueriesInfo: [rangeQuery('a', 'z'), rangeQuery('', '')],
        writes: [
          { key: 'del', isDelete: true, value: new Uint8Array() },
          { key: '', isDelete: false, value: bytes('v') },
          { key: 'big', isDelete: false, value: new Uint8Array(70_000).fill(7) },
        ],
        metadataWrites: [
          { key: 'vp', entries: [{ name: 'VALIDATION_PARAMETER', value: bytes('policy') }] },
          { key: 'none', entries: [] },
          {
            key: 'odd',
            entries: [
              { name: '', value: new Uint8Array() },
              { name: 'n', value: bytes('') },
            ],
          },
        ],
      },
    ],
    [
      'keys with surrogate pairs and a lone surrogate (google-protobuf path)',
      {
        reads: [{ key: '\u{10000}', version: { blockNum: 1, txNum: 1 } }],
        rangeQueriesInfo: [],
        writes: [{ key: 'a\uD800b', isDelete: false, value: bytes('v') }],
        metadataWrites: [],
      },
    ],
  ];

  it.each(cases)('writes %s byte for byte as google-protobuf', (_name, kv) => {
    const encoded = encodeKVRWSet(kv);
    expect(hex(encoded)).toBe(hex(reference(kv)));
    expect(encoded.byteOffset).toBe(0);
    expect(encoded.buffer.byteLength).toBe(encoded.length); // not a slice of a shared pool
  });

  it('reads back as the records written', () => {
    const kv = cases[2][1];
    const back = readKVRWSet(encodeKVRWSet(kv));
    expect(back.reads).toEqual(kv.reads);
    expect(back.writes.map((w) => [w.key, w.isDelete, hex(w.value)])).toEqual(
      kv.writes.map((w) => [w.key, w.isDelete, hex(w.value)]),
    );
    expect(back.rangeQueriesInfo.map((q) => q.toObject())).toEqual(
      kv.rangeQueriesInfo.map((q) => q.toObject()),
    );
  });
});

describe('encodeHashedRWSet', () => {
  const h32 = (c: string) => Uint8Array.from(Buffer.alloc(32, c));
  /** google-protobuf's serialization of the same records. */
  function hashedReference(h: HashedRWSetView): Uint8Array {
    const m = new kvrwset.HashedRWSet();
    for (const r of h.hashedReads) {
      const p = new kvrwset.KVReadHash();
      p.setKeyHash(r.keyHash);
      if (r.version) p.setVersion(refVersion(r.version));
      m.addHashedReads(p);
    }
    for (const w of h.hashedWrites) {
      const p = new kvrwset.KVWriteHash();
      p.setKeyHash(w.keyHash);
      p.setIsDelete(w.isDelete);
      p.setValueHash(w.valueHash);
      p.setIsPurge(w.isPurge);
      m.addHashedWrites(p);
    }
    for (const mw of h.metadataWrites) {
      const p = new kvrwset.KVMetadataWriteHash();
      p.setKeyHash(mw.keyHash);
      p.setEntriesList(refEntries(mw.entries));
      m.addMetadataWrites(p);
    }
    return m.serializeBinary();
  }
  const hashedCases: [string, HashedRWSetView][] = [
    ['nothing', { hashedReads: [], hashedWrites: [], metadataWrites: [] }],
    [
      'reads (a version {0, 0} and none), a write, a delete, a purge, metadata set and removed',
      {
        hashedReads: [
          { keyHash: h32('a'), version: { blockNum: 0, txNum: 0 } },
          { keyHash: h32('b'), version: { blockNum: 300, txNum: 7 } },
          { keyHash: h32('c'), version: undefined },
        ],
        hashedWrites: [
          { keyHash: h32('d'), isDelete: false, valueHash: h32('v'), isPurge: false },
          { keyHash: h32('e'), isDelete: true, valueHash: new Uint8Array(0), isPurge: false },
          { keyHash: h32('f'), isDelete: true, valueHash: new Uint8Array(0), isPurge: true },
        ],
        metadataWrites: [
          { keyHash: h32('g'), entries: [{ name: 'VALIDATION_PARAMETER', value: bytes('policy') }] },
          { keyHash: h32('h'), entries: [] },
          { keyHash: h32('i'), entries: [{ name: 'lone \ud800', value: new Uint8Array(0) }] },
        ],
      },
    ],
  ];

  it.each(hashedCases)('writes %s byte for byte as google-protobuf', (_name, h) => {
    expect(hex(encodeHashedRWSet(h))).toBe(hex(hashedReference(h)));
  });

  it('reads back as the records written', () => {
    const h = hashedCases[1][1];
    const back = readHashedRWSet(encodeHashedRWSet({ ...h, metadataWrites: h.metadataWrites.slice(0, 2) }));
    expect(back.hashedReads.map((r) => [hex(r.keyHash), r.version])).toEqual(
      h.hashedReads.map((r) => [hex(r.keyHash), r.version]),
    );
    expect(back.hashedWrites.map((w) => [w.isDelete, w.isPurge, hex(w.valueHash)])).toEqual(
      h.hashedWrites.map((w) => [w.isDelete, w.isPurge, hex(w.valueHash)]),
    );
    expect(back.metadataWrites[0].entries[0].name).toBe('VALIDATION_PARAMETER');
  });
});
