import { peer } from '@hyperledger/fabric-protos';
import { StateDB, UpdateBatch, versionsEqual } from '../statedb';
import { hashedKey, hashedNamespace } from '../pvtdatastorage/namespaces';
import { CombinedIterator } from './combinediterator';
import { validateRangeQuery } from './rangequeryvalidator';
import type { NsRwSet, TxRwSet } from './rwsetparse';

/** The codes {@link mvccCheck} returns (values of peer.TxValidationCode). */
export type MvccCode =
  | typeof peer.TxValidationCode.VALID
  | typeof peer.TxValidationCode.MVCC_READ_CONFLICT
  | typeof peer.TxValidationCode.PHANTOM_READ_CONFLICT;

async function readsValid(state: StateDB, ns: NsRwSet, updates: UpdateBatch): Promise<boolean> {
  for (const read of ns.kvRwSet.reads) {
    // A key written by an earlier valid transaction of this block is stale whatever its version.
    if (updates.exists(ns.namespace, read.key)) {
      return false;
    }
    const committed = await state.get(ns.namespace, read.key);
    if (!versionsEqual(committed?.version, read.version)) {
      return false;
    }
  }
  return true;
}

/** Hashed reads of private data: checked against the collection's hashed state like public reads. */
async function hashedReadsValid(state: StateDB, ns: NsRwSet, updates: UpdateBatch): Promise<boolean> {
  for (const c of ns.collHashed ?? []) {
    const hns = hashedNamespace(ns.namespace, c.collection);
    for (const read of c.rwset.hashedReads) {
      const key = hashedKey(read.keyHash);
      if (updates.exists(hns, key)) {
        return false;
      }
      const committed = await state.get(hns, key);
      if (!versionsEqual(committed?.version, read.version)) {
        return false;
      }
    }
  }
  return true;
}

async function rangeQueriesValid(state: StateDB, ns: NsRwSet, updates: UpdateBatch): Promise<boolean> {
  for (const info of ns.kvRwSet.rangeQueriesInfo) {
    const itr = await CombinedIterator.open(
      state,
      updates,
      ns.namespace,
      info.getStartKey(),
      info.getEndKey(),
      !info.getItrExhausted(),
    );
    try {
      if (!(await validateRangeQuery(info, itr))) {
        return false;
      }
    } finally {
      await itr.close();
    }
  }
  return true;
}

/**
 * MVCC validation of one transaction (Fabric's txmgmt/validation/validator.go `validateTx`), per
 * namespace in order: every read must match the committed version and must not have been written by
 * an earlier valid transaction of the same block (`blockUpdates`), else MVCC_READ_CONFLICT; every
 * range query is re-executed over committed state + `blockUpdates` and must return the same keys at
 * the same versions (or the same Merkle summary), else PHANTOM_READ_CONFLICT.
 *
 * The committer calls it for each transaction that passed the other checks, in block order, and
 * then {@link applyWrites} for each VALID one so later transactions see its writes.
 */
export async function mvccCheck(
  state: StateDB,
  txRwset: TxRwSet,
  blockUpdates: UpdateBatch,
): Promise<MvccCode> {
  for (const ns of txRwset.nsRwSets) {
    if (!(await readsValid(state, ns, blockUpdates))) {
      return peer.TxValidationCode.MVCC_READ_CONFLICT;
    }
    if (!(await rangeQueriesValid(state, ns, blockUpdates))) {
      return peer.TxValidationCode.PHANTOM_READ_CONFLICT;
    }
    if (!(await hashedReadsValid(state, ns, blockUpdates))) {
      return peer.TxValidationCode.MVCC_READ_CONFLICT;
    }
  }
  return peer.TxValidationCode.VALID;
}
