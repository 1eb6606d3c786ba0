import type { Context } from 'fabric-contract-api';
import { asRecord, type LedgerRecord } from '../model/record';
import { NotFoundError } from './errors';
import { recordKey } from './keys';
import { readObject } from './state';

/**
 * Reads a record by id (used by the ledger and audit contracts).
 * @throws NotFoundError "record X does not exist".
 */
export async function readRecord(ctx: Context, id: string): Promise<LedgerRecord> {
  const value = await readObject(ctx, recordKey(ctx, id), `record ${id}`);
  if (!value) {
    throw new NotFoundError(`record ${id} does not exist`);
  }
  return asRecord(value, id);
}
