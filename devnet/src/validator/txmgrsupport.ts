import { applyWrites, mvccCheck, TxRwSet } from '../ledger/txmgr';
import type { StateDB, UpdateBatch } from '../ledger/statedb';
import type { DecodedTxRwSet } from './rwset';
import type { StateValidationSupport } from './statevalidator';

function toTxRwSet(rwset: DecodedTxRwSet): TxRwSet {
  return {
    nsRwSets: rwset.namespaces.map((ns) => ({
      namespace: ns.namespace,
      kvRwSet: ns.kv,
      collHashed: ns.hashed,
    })),
  };
}

/** The ledger's own MVCC rules (ledger/txmgr mvccCheck + applyWrites) over the peer's world state. */
export function txmgrStateSupport(state: StateDB): StateValidationSupport {
  return {
    mvccCheck: (rwset: DecodedTxRwSet, blockUpdates: UpdateBatch) =>
      mvccCheck(state, toTxRwSet(rwset), blockUpdates),
    applyWrites: (batch: UpdateBatch, rwset: DecodedTxRwSet, blockNum: number, txNum: number) =>
      applyWrites(batch, toTxRwSet(rwset), blockNum, txNum, state),
  };
}
