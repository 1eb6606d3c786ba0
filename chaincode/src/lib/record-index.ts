import type { Context } from 'fabric-contract-api';
import type { LedgerRecord, RecordStatus } from '../model/record';
import { hashIndexKey, INDEX_VALUE } from './keys';
import { recordIndexKey } from './record-keys';

/**
 * Maintains a record's index entries: hash (VerifyHash), issuer, type and status (ListRecords).
 * Every entry is the record's own key, so indexing never creates a hot key.
 */

/** Writes every index entry of a newly registered record. */
export async function indexNewRecord(ctx: Context, record: LedgerRecord): Promise<void> {
  await ctx.stub.putState(hashIndexKey(ctx, record.hash, record.id), INDEX_VALUE);
  await ctx.stub.putState(recordIndexKey(ctx, 'issuer', record.issuerMsp, record.id), INDEX_VALUE);
  await ctx.stub.putState(recordIndexKey(ctx, 'type', record.recordType, record.id), INDEX_VALUE);
  await ctx.stub.putState(recordIndexKey(ctx, 'status', record.status, record.id), INDEX_VALUE);
}

/** Moves a record's status index entry from one status to another. */
export async function reindexStatus(
  ctx: Context,
  recordId: string,
  from: RecordStatus,
  to: RecordStatus,
): Promise<void> {
  await ctx.stub.deleteState(recordIndexKey(ctx, 'status', from, recordId));
  await ctx.stub.putState(recordIndexKey(ctx, 'status', to, recordId), INDEX_VALUE);
}
