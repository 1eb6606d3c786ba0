import { ledger } from '@hyperledger/fabric-protos';
import { hashedKey, hashOf } from '../ledger/pvtdatastorage/namespaces';
import type { Version } from '../ledger/statedb';
import { sortedByKey } from '../ledger/statedb/keyorder';
import { encodeHashedRWSet, encodeKVRWSet } from '../ledger/txmgr/kvrwsetencode';
import type {
  KVMetadataEntryView,
  KVMetadataWriteHashView,
  KVMetadataWriteView,
  KVReadHashView,
  KVWriteHashView,
  KVWriteView,
} from '../protoutil/rwsetviews';

const rwset = ledger.rwset;
const EMPTY = new Uint8Array(0);

/** One collection's records, as plain views serialized by the hand encoders of ledger/txmgr kvrwsetencode. */
interface CollBuilder {
  hashedReads: Map<string, KVReadHashView>;
  hashedWrites: Map<string, KVWriteHashView>;
  hashedMetadataWrites: Map<string, KVMetadataWriteHashView>;
  pvtWrites: Map<string, KVWriteView>;
  pvtMetadataWrites: Map<string, KVMetadataWriteView>;
}

const byName = <T>(m: Map<string, T>): [string, T][] =>
  [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const values = <T>(m: Map<string, T>): T[] => byName(m).map(([, v]) => v);

/** Hashed and private parts of one namespace, ready to be merged into the TxReadWriteSet. */
export interface PvtResults {
  /** namespace → its collections' hashed rwsets (collections sorted by name). */
  hashed: Map<string, ledger.rwset.CollectionHashedReadWriteSet[]>;
  /** The private write set (undefined when nothing was written to a collection). */
  pvt?: ledger.rwset.TxPvtReadWriteSet;
}

/**
 * Accumulates private reads and writes (Fabric's rwsetutil.RWSetBuilder, private part): hashed reads
 * (key hash + version), hashed writes (key hash + value hash, delete / purge flags) and hashed metadata
 * writes go into the public rwset; the plain writes form the private write set whose hash each
 * collection's hashed rwset carries (pvt_rwset_hash). Keys are sorted by their hash; collections and
 * namespaces by name.
 */
export class PvtRWSetBuilder {
  private readonly colls = new Map<string, Map<string, CollBuilder>>();

  /** Records a private read by its key hash and the hashed state version. */
  addToHashedReadSet(ns: string, coll: string, key: string, version: Version | undefined): void {
    const keyHash = hashOf(key);
    this.coll(ns, coll).hashedReads.set(hashedKey(keyHash), {
      keyHash,
      version: version && { blockNum: version.blockNum, txNum: version.txNum },
    });
  }

  /** Records a private write (undefined/empty value = delete; purge = delete + purge flag). */
  addToPvtAndHashedWriteSet(
    ns: string,
    coll: string,
    key: string,
    value: Uint8Array | undefined,
    purge = false,
  ): void {
    const keyHash = hashOf(key);
    const b = this.coll(ns, coll);
    const isDelete = value === undefined || value.length === 0;
    b.hashedWrites.set(hashedKey(keyHash), {
      keyHash,
      isDelete,
      valueHash: isDelete ? EMPTY : hashOf(value),
      isPurge: isDelete && purge,
    });
    b.pvtWrites.set(key, { key, isDelete, value: isDelete ? EMPTY : value });
  }

  /** Records a metadata write of a private key (undefined = delete its metadata). */
  addToHashedMetadataWriteSet(
    ns: string,
    coll: string,
    key: string,
    metadata: Record<string, Uint8Array> | undefined,
  ): void {
    const keyHash = hashOf(key);
    const entries: KVMetadataEntryView[] = Object.keys(metadata ?? {})
      .sort()
      .map((name) => ({ name, value: (metadata as Record<string, Uint8Array>)[name] }));
    const b = this.coll(ns, coll);
    b.hashedMetadataWrites.set(hashedKey(keyHash), { keyHash, entries });
    // As Fabric: the plain key's metadata write also goes to the private write set (member peers use it
    // to renew the private value's version after a metadata-only update).
    b.pvtMetadataWrites.set(key, { key, entries });
  }

  /** True when any private read or write was recorded. */
  isEmpty(): boolean {
    return this.colls.size === 0;
  }

  /** Builds the hashed rwsets and the private write set. */
  build(): PvtResults {
    const hashed = new Map<string, ledger.rwset.CollectionHashedReadWriteSet[]>();
    const nsPvt: ledger.rwset.NsPvtReadWriteSet[] = [];
    for (const [ns, colls] of byName(this.colls)) {
      const collPvt: ledger.rwset.CollectionPvtReadWriteSet[] = [];
      const hashedList = byName(colls).map(([coll, b]) => {
        const c = new rwset.CollectionHashedReadWriteSet();
        c.setCollectionName(coll);
        c.setHashedRwset(
          encodeHashedRWSet({
            hashedReads: values(b.hashedReads),
            hashedWrites: values(b.hashedWrites),
            metadataWrites: values(b.hashedMetadataWrites),
          }),
        );
        if (b.pvtWrites.size > 0 || b.pvtMetadataWrites.size > 0) {
          const pvtBytes = encodeKVRWSet({
            reads: [],
            rangeQueriesInfo: [],
            // Plain keys in UTF-8 order, as Fabric's Go sort (their hashes above sort alike either way).
            writes: sortedByKey(b.pvtWrites.values(), (w) => w.key),
            metadataWrites: sortedByKey(b.pvtMetadataWrites.values(), (m) => m.key),
          });
          c.setPvtRwsetHash(hashOf(pvtBytes));
          const cp = new rwset.CollectionPvtReadWriteSet();
          cp.setCollectionName(coll);
          cp.setRwset(pvtBytes);
          collPvt.push(cp);
        }
        return c;
      });
      hashed.set(ns, hashedList);
      if (collPvt.length > 0) {
        const n = new rwset.NsPvtReadWriteSet();
        n.setNamespace(ns);
        n.setCollectionPvtRwsetList(collPvt);
        nsPvt.push(n);
      }
    }
    if (nsPvt.length === 0) return { hashed };
    const pvt = new rwset.TxPvtReadWriteSet();
    pvt.setDataModel(rwset.TxReadWriteSet.DataModel.KV);
    pvt.setNsPvtRwsetList(nsPvt);
    return { hashed, pvt };
  }

  private coll(ns: string, coll: string): CollBuilder {
    let n = this.colls.get(ns);
    if (!n) {
      n = new Map();
      this.colls.set(ns, n);
    }
    let b = n.get(coll);
    if (!b) {
      b = {
        hashedReads: new Map(),
        hashedWrites: new Map(),
        hashedMetadataWrites: new Map(),
        pvtWrites: new Map(),
        pvtMetadataWrites: new Map(),
      };
      n.set(coll, b);
    }
    return b;
  }
}

/**
 * Adds the collections' hashed rwsets to a public TxReadWriteSet: into the namespace's entry, or a new
 * entry (empty public KVRWSet) inserted in namespace order.
 */
export function mergeHashedRwSets(
  tx: ledger.rwset.TxReadWriteSet,
  hashed: Map<string, ledger.rwset.CollectionHashedReadWriteSet[]>,
): void {
  const list = tx.getNsRwsetList();
  for (const [ns, colls] of hashed) {
    let entry = list.find((n) => n.getNamespace() === ns);
    if (!entry) {
      const created = new rwset.NsReadWriteSet();
      created.setNamespace(ns);
      created.setRwset(EMPTY);
      list.push(created);
      entry = created;
    }
    entry.setCollectionHashedRwsetList(colls);
  }
  list.sort((a, b) =>
    a.getNamespace() < b.getNamespace() ? -1 : a.getNamespace() > b.getNamespace() ? 1 : 0,
  );
  tx.setNsRwsetList(list);
}
