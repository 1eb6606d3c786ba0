import {
  readHashedRWSet,
  readKVRWSet,
  readTxReadWriteSet,
  type HashedRWSetView,
  type KVRWSetView,
  type TxReadWriteSetView,
} from '../protoutil/rwsetviews';

/** One namespace of a transaction's read-write set with its public KVRWSet decoded. */
export interface DecodedNsRwSet {
  namespace: string;
  kv: KVRWSetView;
  /** Collection names with hashed read-write sets (private data; validated later). */
  collections: string[];
  /** The decoded hashed read-write set of each collection, in rwset order. */
  hashed?: { collection: string; rwset: HashedRWSetView; pvtRwsetHash: Uint8Array }[];
}

/** A decoded TxReadWriteSet: the message read (protoutil/rwsetviews) and its namespaces' sets decoded. */
export interface DecodedTxRwSet {
  view: TxReadWriteSetView;
  namespaces: DecodedNsRwSet[];
}

/**
 * Decodes ChaincodeAction.results (fabric rwsetutil TxRwSet.FromProtoBytes: the TxReadWriteSet, every
 * namespace's KVRWSet and every collection's HashedRWSet); throws naming what failed, which the validator
 * reports as BAD_RWSET.
 */
export function decodeTxRwSet(results: Uint8Array): DecodedTxRwSet {
  let view: TxReadWriteSetView;
  try {
    view = readTxReadWriteSet(results);
  } catch (e) {
    throw new Error(`could not unmarshal TxReadWriteSet: ${(e as Error).message}`);
  }
  const namespaces = view.nsRwset.map((ns): DecodedNsRwSet => {
    let kv: KVRWSetView;
    try {
      kv = readKVRWSet(ns.rwset);
    } catch (e) {
      throw new Error(`could not unmarshal KVRWSet of namespace ${ns.namespace}: ${(e as Error).message}`);
    }
    let hashed: { collection: string; rwset: HashedRWSetView; pvtRwsetHash: Uint8Array }[];
    try {
      hashed = ns.collectionHashedRwset.map((c) => ({
        collection: c.collectionName,
        rwset: readHashedRWSet(c.hashedRwset),
        pvtRwsetHash: c.pvtRwsetHash,
      }));
    } catch (e) {
      throw new Error(
        `could not unmarshal HashedRWSet of namespace ${ns.namespace}: ${(e as Error).message}`,
      );
    }
    return {
      namespace: ns.namespace,
      kv,
      collections: hashed.map((c) => c.collection),
      hashed,
    };
  });
  return { view, namespaces };
}

/** True when the namespace writes anything (fabric dispatcher.go txWritesToNamespace). */
export function writesToNamespace(ns: DecodedNsRwSet): boolean {
  if (ns.kv.writes.length > 0 || ns.kv.metadataWrites.length > 0) return true;
  for (const c of ns.hashed ?? []) {
    if (c.rwset.hashedWrites.length > 0 || c.rwset.metadataWrites.length > 0) return true;
  }
  return false;
}
