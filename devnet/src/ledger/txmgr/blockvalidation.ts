import { peer } from '@hyperledger/fabric-protos';
import { StateDB, UpdateBatch } from '../statedb';
import { applyWrites } from './applywrites';
import { mvccCheck } from './mvcc';
import type { TxRwSet } from './rwsetparse';

/** One transaction of a block for state validation. */
export interface BlockTx {
  /** Index of the transaction in the block (its txNum). */
  txNum: number;
  /** Its parsed rwset; undefined for transactions without one (e.g. config). */
  rwset?: TxRwSet;
  /** The code earlier checks gave; only VALID transactions are MVCC-checked. */
  code: number;
}

/**
 * Runs {@link mvccCheck} and {@link applyWrites} over a block's transactions in order (Fabric's
 * `validateAndPrepareBatch`). Returns the final code of each transaction (same order) and the
 * block's UpdateBatch, ready for `StateDB.applyUpdates(batch, blockNum)`.
 */
export async function validateAndPrepareBatch(
  state: StateDB,
  blockNum: number,
  txs: BlockTx[],
): Promise<{ codes: number[]; batch: UpdateBatch }> {
  const batch = new UpdateBatch();
  const codes: number[] = [];
  for (const tx of txs) {
    let code = tx.code;
    if (code === peer.TxValidationCode.VALID && tx.rwset) {
      code = await mvccCheck(state, tx.rwset, batch);
      if (code === peer.TxValidationCode.VALID) {
        await applyWrites(batch, tx.rwset, blockNum, tx.txNum, state);
      }
    }
    codes.push(code);
  }
  return { codes, batch };
}
