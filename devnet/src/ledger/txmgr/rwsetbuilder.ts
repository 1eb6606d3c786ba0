import { ledger } from '@hyperledger/fabric-protos';
import { sortedByKey } from '../statedb/keyorder';
import type { Version } from '../statedb';
import {
  readKVRWSet,
  type KVMetadataWriteView,
  type KVReadView,
  type KVRWSetView,
  type KVWriteView,
} from '../../protoutil/rwsetviews';
import { encodeKVRWSet } from './kvrwsetencode';

const { rwset } = ledger;
type RangeQueryInfo = ledger.rwset.kvrwset.RangeQueryInfo;

interface NsBuilder {
  reads: Map<string, KVReadView>;
  writes: Map<string, KVWriteView>;
  metadataWrites: Map<string, KVMetadataWriteView>;
  rangeQueries: Map<string, RangeQueryInfo>;
}

const EMPTY = new Uint8Array(0);

/** Fabric's `newKVWrite`: an empty or absent value is a delete. */
function newKVWrite(key: string, value: Uint8Array | undefined): KVWriteView {
  return value === undefined || value.length === 0
    ? { key, isDelete: true, value: EMPTY }
    : { key, isDelete: false, value };
}

/** Fabric's `mapToMetadataWrite`: entries sorted by name; no entries means "delete the metadata". */
function newKVMetadataWrite(
  key: string,
  metadata: Record<string, Uint8Array> | undefined,
): KVMetadataWriteView {
  const names = sortedByKey(Object.keys(metadata ?? {}), (n) => n);
  return {
    key,
    entries: names.map((name) => ({ name, value: (metadata as Record<string, Uint8Array>)[name] })),
  };
}

/** The KVRWSet each built NsReadWriteSet was serialized from, so its reader need not decode the bytes again. */
const builtKvRwSets = new WeakMap<ledger.rwset.NsReadWriteSet, KVRWSetView>();

/**
 * The public KVRWSet of a namespace's read-write set: the records {@link RWSetBuilder.build} serialized into
 * it (not to be changed), else read from its bytes.
 */
export function kvRwSetOf(nsRwSet: ledger.rwset.NsReadWriteSet): KVRWSetView {
  return builtKvRwSets.get(nsRwSet) ?? readKVRWSet(nsRwSet.getRwset_asU8());
}

/**
 * Accumulates a transaction's reads, writes, metadata writes and range queries (Fabric's
 * rwsetutil.RWSetBuilder) and builds a deterministic TxReadWriteSet: namespaces, reads, writes and
 * metadata writes sorted by key in UTF-8 order; range queries in the order they were made.
 */
export class RWSetBuilder {
  private readonly namespaces = new Map<string, NsBuilder>();

  /** Records a read; a later read of the same key replaces it. */
  addToReadSet(ns: string, key: string, version: Version | undefined): void {
    this.ns(ns).reads.set(key, {
      key,
      version: version === undefined ? undefined : { blockNum: version.blockNum, txNum: version.txNum },
    });
  }

  /** Records a write (undefined or empty value = delete); the last write of a key wins. */
  addToWriteSet(ns: string, key: string, value: Uint8Array | undefined): void {
    this.ns(ns).writes.set(key, newKVWrite(key, value));
  }

  /** Records a metadata write (undefined = delete all metadata of the key). */
  addToMetadataWriteSet(ns: string, key: string, metadata: Record<string, Uint8Array> | undefined): void {
    this.ns(ns).metadataWrites.set(key, newKVMetadataWrite(key, metadata));
  }

  /** Records a range query; a second query with the same (start, end, exhausted) is dropped, as in Fabric. */
  addToRangeQuerySet(ns: string, info: RangeQueryInfo): void {
    const id = JSON.stringify([info.getStartKey(), info.getEndKey(), info.getItrExhausted()]);
    const queries = this.ns(ns).rangeQueries;
    if (!queries.has(id)) {
      queries.set(id, info);
    }
  }

  /** The public read-write set (data model KV). */
  build(): ledger.rwset.TxReadWriteSet {
    const tx = new rwset.TxReadWriteSet();
    tx.setDataModel(rwset.TxReadWriteSet.DataModel.KV);
    const nsList = sortedByKey(this.namespaces.entries(), ([name]) => name).map(([name, b]) => {
      const kv: KVRWSetView = {
        reads: sortedByKey(b.reads.values(), (r) => r.key),
        rangeQueriesInfo: [...b.rangeQueries.values()],
        writes: sortedByKey(b.writes.values(), (w) => w.key),
        metadataWrites: sortedByKey(b.metadataWrites.values(), (m) => m.key),
      };
      const nsRwSet = new rwset.NsReadWriteSet();
      nsRwSet.setNamespace(name);
      nsRwSet.setRwset(encodeKVRWSet(kv));
      builtKvRwSets.set(nsRwSet, kv);
      return nsRwSet;
    });
    tx.setNsRwsetList(nsList);
    return tx;
  }

  private ns(name: string): NsBuilder {
    let b = this.namespaces.get(name);
    if (!b) {
      b = { reads: new Map(), writes: new Map(), metadataWrites: new Map(), rangeQueries: new Map() };
      this.namespaces.set(name, b);
    }
    return b;
  }
}
