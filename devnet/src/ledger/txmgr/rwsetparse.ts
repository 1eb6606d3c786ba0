import { ledger } from '@hyperledger/fabric-protos';
import {
  readHashedRWSet,
  readKVRWSet,
  readTxReadWriteSet,
  type HashedRWSetView,
  type KVRWSetView,
  type TxReadWriteSetView,
} from '../../protoutil/rwsetviews';

/** One namespace of a parsed read-write set (Fabric's rwsetutil.NsRwSet, public part). */
export interface NsRwSet {
  namespace: string;
  kvRwSet: KVRWSetView;
  /** The collections' hashed read-write sets (private data), in rwset order. */
  collHashed?: { collection: string; rwset: HashedRWSetView }[];
}

/** A parsed read-write set (Fabric's rwsetutil.TxRwSet): each namespace's rwset bytes decoded. */
export interface TxRwSet {
  nsRwSets: NsRwSet[];
}

function parseView(tx: TxReadWriteSetView): TxRwSet {
  if (tx.dataModel !== ledger.rwset.TxReadWriteSet.DataModel.KV) {
    throw new Error(`read-write set has data model ${tx.dataModel}, only KV is supported`);
  }
  return {
    nsRwSets: tx.nsRwset.map((ns) => ({
      namespace: ns.namespace,
      kvRwSet: readKVRWSet(ns.rwset),
      collHashed: ns.collectionHashedRwset.map((c) => ({
        collection: c.collectionName,
        rwset: readHashedRWSet(c.hashedRwset),
      })),
    })),
  };
}

/** Decodes the nested KVRWSet of every namespace of a TxReadWriteSet. */
export function parseTxRwSet(tx: ledger.rwset.TxReadWriteSet): TxRwSet {
  return parseView(readTxReadWriteSet(tx.serializeBinary()));
}

/**
 * Parses serialized TxReadWriteSet bytes (the `results` of a ChaincodeAction) for the committer;
 * throws naming what failed to decode.
 */
export function rwsetFromBytes(bytes: Uint8Array): TxRwSet {
  let tx: TxReadWriteSetView;
  try {
    tx = readTxReadWriteSet(bytes);
  } catch (err) {
    throw new Error(`cannot decode TxReadWriteSet (${bytes.length} bytes): ${(err as Error).message}`);
  }
  try {
    return parseView(tx);
  } catch (err) {
    throw new Error(`cannot decode a namespace's KVRWSet: ${(err as Error).message}`);
  }
}
