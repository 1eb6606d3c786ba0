import { ledger } from '@hyperledger/fabric-protos';
import * as jspb from 'google-protobuf';
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

/**
 * What google-protobuf's toObject gives for a message holding these records: repeated fields named
 * `<name>List`, bytes in base64, nested google-protobuf messages as their own toObject.
 */
function asProtoObject(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(asProtoObject);
  if (v instanceof jspb.Message) return v.toObject();
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [Array.isArray(x) ? `${k}List` : k, asProtoObject(x)]),
  );
}

/**
 * Checks an encoding against google-protobuf: it parses to the records, and google-protobuf writes the
 * parsed message back to the same bytes (fields in number order, defaults left out, as Go's Marshal).
 */
function expectAsGoogleProtobuf(
  encoded: Uint8Array,
  records: object,
  type: { deserializeBinary(b: Uint8Array): jspb.Message },
): void {
  const parsed = type.deserializeBinary(encoded);
  expect(parsed.toObject()).toEqual(asProtoObject(records));
  expect(hex(parsed.serializeBinary())).toBe(hex(encoded));
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
      'keys with surrogate pairs (characters above U+FFFF)',
      {
        reads: [{ key: '\u{10000}', version: { blockNum: 1, txNum: 1 } }],
        rangeQueriesInfo: [],
        writes: [{ key: 'a\u{1F600}b', isDelete: false, value: bytes('v') }],
        metadataWrites: [{ key: '\u{10FFFF}', entries: [{ name: '\u{1D11E}', value: bytes('p') }] }],
      },
    ],
  ];

  it.each(cases)('writes %s byte for byte as google-protobuf', (_name, kv) => {
    const encoded = encodeKVRWSet(kv);
    expectAsGoogleProtobuf(encoded, kv, kvrwset.KVRWSet);
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

  it.each([
    ['read key', { reads: [{ key: 'a\uD800b', version: undefined }] }],
    ['write key', { writes: [{ key: '\uDC00', isDelete: false, value: bytes('v') }] }],
    ['metadata key', { metadataWrites: [{ key: 'x\uD83D', entries: [] }] }],
    [
      'metadata entry name',
      { metadataWrites: [{ key: 'k', entries: [{ name: '\uDE00', value: bytes('') }] }] },
    ],
  ])('refuses a %s with a lone surrogate, as Go refuses invalid UTF-8', (what, part) => {
    const kv: KVRWSetView = { reads: [], rangeQueriesInfo: [], writes: [], metadataWrites: [], ...part };
    expect(() => encodeKVRWSet(kv)).toThrow(`${what} `);
    expect(() => encodeKVRWSet(kv)).toThrow('is not valid UTF-8');
  });
});

describe('encodeHashedRWSet', () => {
  const h32 = (c: string) => Uint8Array.from(Buffer.alloc(32, c));
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
          { keyHash: h32('i'), entries: [{ name: 'pair \u{1F600}', value: new Uint8Array(0) }] },
        ],
      },
    ],
  ];

  it.each(hashedCases)('writes %s byte for byte as google-protobuf', (_name, h) => {
    expectAsGoogleProtobuf(encodeHashedRWSet(h), h, kvrwset.HashedRWSet);
  });

  it('refuses a metadata entry name with a lone surrogate', () => {
    const entries = [{ name: 'lone \uD800', value: bytes('') }];
    expect(() =>
      encodeHashedRWSet({
        hashedReads: [],
        hashedWrites: [],
        metadataWrites: [{ keyHash: h32('k'), entries }],
      }),
    ).toThrow('metadata entry name "lone \\ud800" is not valid UTF-8');
  });

  it('reads back as the records written', () => {
    const h = hashedCases[1][1];
    const back = readHashedRWSet(encodeHashedRWSet(h));
    expect(back.hashedReads.map((r) => [hex(r.keyHash), r.version])).toEqual(
      h.hashedReads.map((r) => [hex(r.keyHash), r.version]),
    );
    expect(back.hashedWrites.map((w) => [w.isDelete, w.isPurge, hex(w.valueHash)])).toEqual(
      h.hashedWrites.map((w) => [w.isDelete, w.isPurge, hex(w.valueHash)]),
    );
    expect(back.metadataWrites[0].entries[0].name).toBe('VALIDATION_PARAMETER');
  });
});
