import { ledger } from '@hyperledger/fabric-protos';

/** One namespace of a transaction's read-write set with its public KVRWSet decoded. */
export interface DecodedNsRwSet {
  namespace: string;
  kv: ledger.rwset.kvrwset.KVRWSet;
  /** Collection names with hashed read-write sets (private data; validated later). */
  collections: string[];
  /** The decoded hashed read-write set of each collection, in rwset order. */
  hashed?: { collection: string; rwset: ledger.rwset.kvrwset.HashedRWSet }[];
}

/** A decoded TxReadWriteSet: the proto itself (what ledger/txmgr works on) and its namespaces. */
export interface DecodedTxRwSet {
  proto: ledger.rwset.TxReadWriteSet;
  namespaces: DecodedNsRwSet[];
}

/**
 * Decodes ChaincodeAction.results (fabric rwsetutil TxRwSet.FromProtoBytes); throws naming what failed,
 * which the validator reports as BAD_RWSET.
 */
export function decodeTxRwSet(results: Uint8Array): DecodedTxRwSet {
  let proto: ledger.rwset.TxReadWriteSet;
  try {
    proto = ledger.rwset.TxReadWriteSet.deserializeBinary(results);
  } catch (e) {
    throw new Error(`could not unmarshal TxReadWriteSet: ${(e as Error).message}`);
  }
  const namespaces = proto.getNsRwsetList().map((ns) => {
    let kv: ledger.rwset.kvrwset.KVRWSet;
    try {
      kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    } catch (e) {
      throw new Error(
        `could not unmarshal KVRWSet of namespace ${ns.getNamespace()}: ${(e as Error).message}`,
      );
    }
    let hashed: { collection: string; rwset: ledger.rwset.kvrwset.HashedRWSet }[];
    try {
      hashed = ns.getCollectionHashedRwsetList().map((c) => ({
        collection: c.getCollectionName(),
        rwset: ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(c.getHashedRwset_asU8()),
      }));
    } catch (e) {
      throw new Error(
        `could not unmarshal HashedRWSet of namespace ${ns.getNamespace()}: ${(e as Error).message}`,
      );
    }
    return {
      namespace: ns.getNamespace(),
      kv,
      collections: hashed.map((c) => c.collection),
      hashed,
    };
  });
  return { proto, namespaces };
}

/** True when the namespace writes anything (fabric dispatcher.go txWritesToNamespace). */
export function writesToNamespace(
  ns: DecodedNsRwSet,
  proto: ledger.rwset.NsReadWriteSet | undefined,
): boolean {
  if (ns.kv.getWritesList().length > 0 || ns.kv.getMetadataWritesList().length > 0) return true;
  for (const c of proto?.getCollectionHashedRwsetList() ?? []) {
    const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(c.getHashedRwset_asU8());
    if (hashed.getHashedWritesList().length > 0 || hashed.getMetadataWritesList().length > 0) return true;
  }
  return false;
}
