import { ledger } from '@hyperledger/fabric-protos';

/** One namespace of a parsed read-write set (Fabric's rwsetutil.NsRwSet, public part). */
export interface NsRwSet {
  namespace: string;
  kvRwSet: ledger.rwset.kvrwset.KVRWSet;
  /** The collections' hashed read-write sets (private data), in rwset order. */
  collHashed?: { collection: string; rwset: ledger.rwset.kvrwset.HashedRWSet }[];
}

/** A parsed read-write set (Fabric's rwsetutil.TxRwSet): each namespace's rwset bytes decoded. */
export interface TxRwSet {
  nsRwSets: NsRwSet[];
}

/** Decodes the nested KVRWSet of every namespace of a TxReadWriteSet. */
export function parseTxRwSet(tx: ledger.rwset.TxReadWriteSet): TxRwSet {
  if (tx.getDataModel() !== ledger.rwset.TxReadWriteSet.DataModel.KV) {
    throw new Error(`read-write set has data model ${tx.getDataModel()}, only KV is supported`);
  }
  return {
    nsRwSets: tx.getNsRwsetList().map((ns) => ({
      namespace: ns.getNamespace(),
      kvRwSet: ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()),
      collHashed: ns.getCollectionHashedRwsetList().map((c) => ({
        collection: c.getCollectionName(),
        rwset: ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(c.getHashedRwset_asU8()),
      })),
    })),
  };
}

/**
 * Parses serialized TxReadWriteSet bytes (the `results` of a ChaincodeAction) for the committer;
 * throws naming what failed to decode.
 */
export function rwsetFromBytes(bytes: Uint8Array): TxRwSet {
  let tx: ledger.rwset.TxReadWriteSet;
  try {
    tx = ledger.rwset.TxReadWriteSet.deserializeBinary(bytes);
  } catch (err) {
    throw new Error(`cannot decode TxReadWriteSet (${bytes.length} bytes): ${(err as Error).message}`);
  }
  try {
    return parseTxRwSet(tx);
  } catch (err) {
    throw new Error(`cannot decode a namespace's KVRWSet: ${(err as Error).message}`);
  }
}
