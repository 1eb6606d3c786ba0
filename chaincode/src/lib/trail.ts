import type { Context } from 'fabric-contract-api';
import { asAuditEntry, compareAuditEntries, type AuditEntry } from '../model/audit';
import { unmarshal } from './canonical';
import { LimitExceededError } from './errors';
import { auditEntryKey, ObjectType } from './keys';
import { readPartialCompositeKey } from './query';
import { writeObject } from './state';

/** Most audit entries GetTrail returns; a longer trail needs the paginated query added later. */
export const MAX_TRAIL_ENTRIES = 1000;

/** Appends an entry to its record's audit trail (one key per record and transaction). */
export async function appendAuditEntry(ctx: Context, entry: AuditEntry): Promise<void> {
  await writeObject(ctx, auditEntryKey(ctx, entry.recordId, entry.txId), entry);
}

/**
 * Reads a record's audit trail, oldest first, with one bounded range query.
 * @throws LimitExceededError when the trail is longer than {@link MAX_TRAIL_ENTRIES}: a silently
 * cut audit trail would mislead the auditor.
 */
export async function readAuditTrail(ctx: Context, recordId: string): Promise<AuditEntry[]> {
  const { entries, truncated } = await readPartialCompositeKey(
    ctx,
    ObjectType.auditEntry,
    [recordId],
    MAX_TRAIL_ENTRIES,
  );
  if (truncated) {
    throw new LimitExceededError(
      `the audit trail of record ${recordId} has more than ${MAX_TRAIL_ENTRIES} entries; GetTrail cannot return it whole`,
    );
  }
  return entries
    .map(({ key, value }) => asAuditEntry(unmarshal(value, `audit entry ${JSON.stringify(key)}`), key))
    .sort(compareAuditEntries);
}
