import { peer } from '@hyperledger/fabric-protos';
import { UpdateBatch } from '../ledger/statedb';
import type { DecodedTxRwSet } from './rwset';
import type { BlockValidation } from './txvalidator';
import { validationCodeName } from './txflags';

const Code = peer.TxValidationCode;

/**
 * The ledger's MVCC rules (ledger/txmgr), injected so the validator does not depend on how they are built:
 * `mvccCheck` answers VALID, MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT for one transaction against committed
 * state plus the updates of the earlier valid transactions of the block; `applyWrites` adds a valid
 * transaction's writes to the block's batch with version (blockNum, txNum).
 */
export interface StateValidationSupport {
  mvccCheck(rwset: DecodedTxRwSet, blockUpdates: UpdateBatch): Promise<number>;
  applyWrites(batch: UpdateBatch, rwset: DecodedTxRwSet, blockNum: number, txNum: number): Promise<void>;
}

/** The outcome of {@link validateState}: the block's state updates; `validation.flags` has the final codes. */
export interface StateValidation {
  batch: UpdateBatch;
  /** Transactions that passed every check but MVCC and were invalidated by it, with the code. */
  conflicts: { txNum: number; code: number }[];
}

/**
 * MVCC validation in block order (fabric core/ledger/kvledger/txmgmt/validation/validator.go): each
 * transaction still VALID is checked against committed state and the writes of earlier valid
 * transactions of the same block; a conflict sets its flag; a valid one's writes join the batch. Serial
 * on purpose: a later transaction's reads depend on the earlier ones' outcome.
 */
export async function validateState(
  blockNum: number,
  validation: BlockValidation,
  support: StateValidationSupport,
): Promise<StateValidation> {
  const batch = new UpdateBatch();
  const conflicts: { txNum: number; code: number }[] = [];
  for (const tx of validation.txs) {
    if (!validation.flags.isValid(tx.txNum) || !tx.rwset) continue;
    const code = await support.mvccCheck(tx.rwset, batch);
    if (code !== Code.VALID) {
      validation.flags.setFlag(tx.txNum, code);
      tx.code = code;
      tx.reason = `${validationCodeName(code)} detected during state validation`;
      conflicts.push({ txNum: tx.txNum, code });
      continue;
    }
    await support.applyWrites(batch, tx.rwset, blockNum, tx.txNum);
  }
  return { batch, conflicts };
}

/**
 * The state updates of an already-validated block (crash recovery: Fabric recommits lost blocks with the
 * stored TRANSACTIONS_FILTER and no MVCC): the writes of the transactions the filter marks VALID.
 */
export async function updatesFromFilter(
  blockNum: number,
  rwsets: (DecodedTxRwSet | undefined)[],
  filter: Uint8Array,
  support: Pick<StateValidationSupport, 'applyWrites'>,
): Promise<UpdateBatch> {
  const batch = new UpdateBatch();
  for (let txNum = 0; txNum < rwsets.length; txNum++) {
    const rwset = rwsets[txNum];
    if (rwset && filter[txNum] === Code.VALID) await support.applyWrites(batch, rwset, blockNum, txNum);
  }
  return batch;
}
