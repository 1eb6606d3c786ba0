import type { Context } from 'fabric-contract-api';
import { asRecord, type LedgerRecord } from '../model/record';
import { unmarshal } from './canonical';
import { LimitExceededError } from './errors';
import { readKeyHistory } from './history';
import { recordKey } from './keys';
import { readRecord } from './records';

/** Most versions a record's chain may have for GetRecordHistory. */
export const MAX_VERSIONS = 50;
/** Most committed changes of one version GetRecordHistory reads. */
export const MAX_CHANGES_PER_VERSION = 100;

/** One committed change of one version of a record. */
export interface RecordChange {
  recordId: string;
  txId: string;
  /** Transaction time of the change, ISO 8601 UTC. */
  timestamp: string;
  isDelete: boolean;
  /** The record as that transaction left it (absent for a delete). */
  record?: LedgerRecord;
}

/**
 * The ids of a record's version chain, oldest first: followed backwards through `supersedes` and
 * forwards through `supersededBy`, at most {@link MAX_VERSIONS} records.
 * @throws LimitExceededError on a longer chain.
 */
export async function versionChain(ctx: Context, id: string): Promise<string[]> {
  const start = await readRecord(ctx, id);
  const older: LedgerRecord[] = [];
  for (let r = start; r.supersedes !== undefined; ) {
    r = await readRecord(ctx, r.supersedes);
    older.unshift(r);
    checkLength(id, older.length + 1);
  }
  const newer: LedgerRecord[] = [];
  for (let r = start; r.supersededBy !== undefined; ) {
    r = await readRecord(ctx, r.supersededBy);
    newer.push(r);
    checkLength(id, older.length + newer.length + 1);
  }
  return [...older, start, ...newer].map((r) => r.id);
}

/** Every committed change of every version of a record, oldest version first, oldest change first. */
export async function readRecordHistory(ctx: Context, id: string): Promise<RecordChange[]> {
  const changes: RecordChange[] = [];
  for (const recordId of await versionChain(ctx, id)) {
    const history = await readKeyHistory(
      ctx,
      recordKey(ctx, recordId),
      MAX_CHANGES_PER_VERSION,
      `record ${recordId}`,
    );
    for (const change of history) {
      changes.push({
        recordId,
        txId: change.txId,
        timestamp: change.timestamp,
        isDelete: change.isDelete,
        ...(change.isDelete
          ? {}
          : { record: asRecord(unmarshal(change.value, `record ${recordId}`), recordId) }),
      });
    }
  }
  return changes;
}

/** Refuses a chain longer than {@link MAX_VERSIONS}. */
function checkLength(id: string, length: number): void {
  if (length > MAX_VERSIONS) {
    throw new LimitExceededError(
      `record ${id} has more than ${MAX_VERSIONS} versions; its history cannot be returned whole`,
    );
  }
}
