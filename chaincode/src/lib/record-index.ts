import type { Context } from 'fabric-contract-api';
import type { LedgerRecord, RecordStatus } from '../model/record';
import { hashIndexKey, INDEX_VALUE } from './keys';
import { issuerIndexKey, statusIndexKey, UNINDEXED_STATUS } from './record-keys';

/**
 * Maintains a record's index entries: hash (VerifyHash), issuer and type, status other than
 * ACTIVE (ListRecords; lib/record-keys). Every entry is the record's own key, so indexing never
 * creates a hot key.
 */

/** Writes every index entry of a newly registered record. */
export async function indexNewRecord(ctx: Context, record: LedgerRecord): Promise<void> {
  await ctx.stub.putState(hashIndexKey(ctx, record.hash, record.id), INDEX_VALUE);
  await ctx.stub.putState(issuerIndexKey(ctx, record.issuerMsp, record.recordType, record.id), INDEX_VALUE);
  if (record.status !== UNINDEXED_STATUS) {
    await ctx.stub.putState(statusIndexKey(ctx, record.status, record.id), INDEX_VALUE);
  }
}

/**
 * Moves a record's status index entry from its current status to `to`: an ACTIVE record has
 * none, unless an older chaincode registered it (no `trailStart`), which wrote one for ACTIVE too.
 */
export async function reindexStatus(ctx: Context, record: LedgerRecord, to: RecordStatus): Promise<void> {
  if (record.status !== UNINDEXED_STATUS || record.trailStart === undefined) {
    await ctx.stub.deleteState(statusIndexKey(ctx, record.status, record.id));
  }
  if (to !== UNINDEXED_STATUS) {
    await ctx.stub.putState(statusIndexKey(ctx, to, record.id), INDEX_VALUE);
  }
}
