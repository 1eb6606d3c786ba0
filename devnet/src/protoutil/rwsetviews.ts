/**
 * Light read-only views of a transaction's read-write set (ChaincodeAction.results): TxReadWriteSet,
 * NsReadWriteSet, CollectionHashedReadWriteSet, KVRWSet, HashedRWSet and their reads and writes, decoded
 * straight from the wire as views.ts does for the messages above them. The commit path (key-level
 * policies, dispatcher, MVCC, state and history updates, private data) reads each transaction's rwset
 * once per block through these.
 *
 * Rules (as views.ts):
 * - Field numbers are Fabric's (fabric-protos ledger/rwset/rwset.proto, ledger/rwset/kvrwset/kv_rwset.proto).
 * - Unknown fields are skipped, as is a known field sent with another wire type; a singular message field
 *   (KVRead.version, KVReadHash.version) sent more than once is merged, as Go's protobuf does; every
 *   occurrence of a repeated field is an element.
 * - bytes fields are subarrays of the input (no copy); absent ones are an empty array. Never re-encode a
 *   view where the original bytes are what counts (the ledger keeps values as they came).
 * - Malformed input (a truncated varint or length, a length past the end, an invalid wire type) throws,
 *   in the nested messages too: Fabric's rwsetutil decodes the whole set, and the validator answers
 *   BAD_RWSET for any of it.
 * - RangeQueryInfo (phantom-read checks; rare) is decoded by google-protobuf, at once, so a malformed one
 *   fails the decode as in Fabric.
 */
import { ledger } from '@hyperledger/fabric-protos';
import { EMPTY, LENGTH_DELIMITED, merge, VARINT, WireReader } from './views';

/** kvrwset.Version: the height (block, tx) at which a key was read. */
export interface VersionView {
  /** 1: uint64 (exact below 2^53). */
  readonly blockNum: number;
  /** 2: uint64 (exact below 2^53). */
  readonly txNum: number;
}

/** kvrwset.KVRead. */
export interface KVReadView {
  /** 1 */
  readonly key: string;
  /** 2: undefined when absent (the key did not exist). */
  readonly version: VersionView | undefined;
}

/** kvrwset.KVWrite. */
export interface KVWriteView {
  /** 1 */
  readonly key: string;
  /** 2 */
  readonly isDelete: boolean;
  /** 3 */
  readonly value: Uint8Array;
}

/** kvrwset.KVMetadataEntry. */
export interface KVMetadataEntryView {
  /** 1 */
  readonly name: string;
  /** 2 */
  readonly value: Uint8Array;
}

/** kvrwset.KVMetadataWrite. */
export interface KVMetadataWriteView {
  /** 1 */
  readonly key: string;
  /** 2: empty = the key's metadata is deleted. */
  readonly entries: KVMetadataEntryView[];
}

/** kvrwset.KVRWSet: a namespace's public reads and writes. */
export interface KVRWSetView {
  /** 1 */
  readonly reads: KVReadView[];
  /** 2: decoded by google-protobuf (see the module comment). */
  readonly rangeQueriesInfo: ledger.rwset.kvrwset.RangeQueryInfo[];
  /** 3 */
  readonly writes: KVWriteView[];
  /** 4 */
  readonly metadataWrites: KVMetadataWriteView[];
}

/** kvrwset.KVReadHash. */
export interface KVReadHashView {
  /** 1 */
  readonly keyHash: Uint8Array;
  /** 2: undefined when absent. */
  readonly version: VersionView | undefined;
}

/** kvrwset.KVWriteHash. */
export interface KVWriteHashView {
  /** 1 */
  readonly keyHash: Uint8Array;
  /** 2 */
  readonly isDelete: boolean;
  /** 3 */
  readonly valueHash: Uint8Array;
  /** 4 */
  readonly isPurge: boolean;
}

/** kvrwset.KVMetadataWriteHash. */
export interface KVMetadataWriteHashView {
  /** 1 */
  readonly keyHash: Uint8Array;
  /** 2 */
  readonly entries: KVMetadataEntryView[];
}

/** kvrwset.HashedRWSet: a collection's hashed reads and writes. */
export interface HashedRWSetView {
  /** 1 */
  readonly hashedReads: KVReadHashView[];
  /** 2 */
  readonly hashedWrites: KVWriteHashView[];
  /** 3 */
  readonly metadataWrites: KVMetadataWriteHashView[];
}

/** rwset.CollectionHashedReadWriteSet. */
export interface CollectionHashedReadWriteSetView {
  /** 1 */
  readonly collectionName: string;
  /** 2: the marshalled HashedRWSet. */
  readonly hashedRwset: Uint8Array;
  /** 3: hash of the collection's private rwset (empty when it has no writes). */
  readonly pvtRwsetHash: Uint8Array;
}

/** rwset.NsReadWriteSet. */
export interface NsReadWriteSetView {
  /** 1 */
  readonly namespace: string;
  /** 2: the marshalled KVRWSet. */
  readonly rwset: Uint8Array;
  /** 3 */
  readonly collectionHashedRwset: CollectionHashedReadWriteSetView[];
}

/** rwset.TxReadWriteSet. */
export interface TxReadWriteSetView {
  /** 1: rwset.TxReadWriteSet.DataModel (KV = 0). */
  readonly dataModel: number;
  /** 2 */
  readonly nsRwset: NsReadWriteSetView[];
}

function bool(r: WireReader): boolean {
  return r.int64(false) !== 0;
}

/** Reads a kvrwset.Version. */
export function readVersion(bytes: Uint8Array): VersionView {
  const r = new WireReader(bytes);
  let blockNum = 0;
  let txNum = 0;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | VARINT)) blockNum = r.int64(false);
    else if (tag === ((2 << 3) | VARINT)) txNum = r.int64(false);
    else r.skip(tag & 7, tag >>> 3);
  }
  return { blockNum, txNum };
}

/** Reads a kvrwset.KVRead. */
export function readKVRead(bytes: Uint8Array): KVReadView {
  const r = new WireReader(bytes);
  let key = '';
  let version: Uint8Array | undefined;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) key = r.string();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) version = merge(version, r.bytes());
    else r.skip(tag & 7, tag >>> 3);
  }
  return { key, version: version === undefined ? undefined : readVersion(version) };
}

/** Reads a kvrwset.KVWrite. */
export function readKVWrite(bytes: Uint8Array): KVWriteView {
  const r = new WireReader(bytes);
  let key = '';
  let isDelete = false;
  let value = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) key = r.string();
    else if (tag === ((2 << 3) | VARINT)) isDelete = bool(r);
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) value = r.bytes();
    else r.skip(tag & 7, tag >>> 3);
  }
  return { key, isDelete, value };
}

/** Reads a kvrwset.KVMetadataEntry. */
export function readKVMetadataEntry(bytes: Uint8Array): KVMetadataEntryView {
  const r = new WireReader(bytes);
  let name = '';
  let value = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) name = r.string();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) value = r.bytes();
    else r.skip(tag & 7, tag >>> 3);
  }
  return { name, value };
}

/** Reads a kvrwset.KVMetadataWrite. */
export function readKVMetadataWrite(bytes: Uint8Array): KVMetadataWriteView {
  const r = new WireReader(bytes);
  let key = '';
  const entries: KVMetadataEntryView[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) key = r.string();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) entries.push(readKVMetadataEntry(r.bytes()));
    else r.skip(tag & 7, tag >>> 3);
  }
  return { key, entries };
}

/** Reads a kvrwset.KVRWSet. */
export function readKVRWSet(bytes: Uint8Array): KVRWSetView {
  const r = new WireReader(bytes);
  const reads: KVReadView[] = [];
  const rangeQueriesInfo: ledger.rwset.kvrwset.RangeQueryInfo[] = [];
  const writes: KVWriteView[] = [];
  const metadataWrites: KVMetadataWriteView[] = [];
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | LENGTH_DELIMITED:
        reads.push(readKVRead(r.bytes()));
        break;
      case (2 << 3) | LENGTH_DELIMITED:
        rangeQueriesInfo.push(ledger.rwset.kvrwset.RangeQueryInfo.deserializeBinary(r.bytes()));
        break;
      case (3 << 3) | LENGTH_DELIMITED:
        writes.push(readKVWrite(r.bytes()));
        break;
      case (4 << 3) | LENGTH_DELIMITED:
        metadataWrites.push(readKVMetadataWrite(r.bytes()));
        break;
      default:
        r.skip(tag & 7, tag >>> 3);
    }
  }
  return { reads, rangeQueriesInfo, writes, metadataWrites };
}

/** Reads a kvrwset.KVReadHash. */
export function readKVReadHash(bytes: Uint8Array): KVReadHashView {
  const r = new WireReader(bytes);
  let keyHash = EMPTY;
  let version: Uint8Array | undefined;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) keyHash = r.bytes();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) version = merge(version, r.bytes());
    else r.skip(tag & 7, tag >>> 3);
  }
  return { keyHash, version: version === undefined ? undefined : readVersion(version) };
}

/** Reads a kvrwset.KVWriteHash. */
export function readKVWriteHash(bytes: Uint8Array): KVWriteHashView {
  const r = new WireReader(bytes);
  let keyHash = EMPTY;
  let isDelete = false;
  let valueHash = EMPTY;
  let isPurge = false;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) keyHash = r.bytes();
    else if (tag === ((2 << 3) | VARINT)) isDelete = bool(r);
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) valueHash = r.bytes();
    else if (tag === ((4 << 3) | VARINT)) isPurge = bool(r);
    else r.skip(tag & 7, tag >>> 3);
  }
  return { keyHash, isDelete, valueHash, isPurge };
}

/** Reads a kvrwset.KVMetadataWriteHash. */
export function readKVMetadataWriteHash(bytes: Uint8Array): KVMetadataWriteHashView {
  const r = new WireReader(bytes);
  let keyHash = EMPTY;
  const entries: KVMetadataEntryView[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) keyHash = r.bytes();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) entries.push(readKVMetadataEntry(r.bytes()));
    else r.skip(tag & 7, tag >>> 3);
  }
  return { keyHash, entries };
}

/** Reads a kvrwset.HashedRWSet. */
export function readHashedRWSet(bytes: Uint8Array): HashedRWSetView {
  const r = new WireReader(bytes);
  const hashedReads: KVReadHashView[] = [];
  const hashedWrites: KVWriteHashView[] = [];
  const metadataWrites: KVMetadataWriteHashView[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) hashedReads.push(readKVReadHash(r.bytes()));
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) hashedWrites.push(readKVWriteHash(r.bytes()));
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) metadataWrites.push(readKVMetadataWriteHash(r.bytes()));
    else r.skip(tag & 7, tag >>> 3);
  }
  return { hashedReads, hashedWrites, metadataWrites };
}

/** Reads a rwset.CollectionHashedReadWriteSet. */
export function readCollectionHashedReadWriteSet(bytes: Uint8Array): CollectionHashedReadWriteSetView {
  const r = new WireReader(bytes);
  let collectionName = '';
  let hashedRwset = EMPTY;
  let pvtRwsetHash = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) collectionName = r.string();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) hashedRwset = r.bytes();
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) pvtRwsetHash = r.bytes();
    else r.skip(tag & 7, tag >>> 3);
  }
  return { collectionName, hashedRwset, pvtRwsetHash };
}

/** Reads a rwset.NsReadWriteSet. */
export function readNsReadWriteSet(bytes: Uint8Array): NsReadWriteSetView {
  const r = new WireReader(bytes);
  let namespace = '';
  let rwset = EMPTY;
  const collectionHashedRwset: CollectionHashedReadWriteSetView[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) namespace = r.string();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) rwset = r.bytes();
    else if (tag === ((3 << 3) | LENGTH_DELIMITED))
      collectionHashedRwset.push(readCollectionHashedReadWriteSet(r.bytes()));
    else r.skip(tag & 7, tag >>> 3);
  }
  return { namespace, rwset, collectionHashedRwset };
}

/** Reads a rwset.TxReadWriteSet (the namespaces' KVRWSet bytes stay undecoded: {@link readKVRWSet}). */
export function readTxReadWriteSet(bytes: Uint8Array): TxReadWriteSetView {
  const r = new WireReader(bytes);
  let dataModel = 0;
  const nsRwset: NsReadWriteSetView[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | VARINT)) dataModel = r.uint32() | 0;
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) nsRwset.push(readNsReadWriteSet(r.bytes()));
    else r.skip(tag & 7, tag >>> 3);
  }
  return { dataModel, nsRwset };
}
