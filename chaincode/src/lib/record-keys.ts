import type { Context } from 'fabric-contract-api';

/**
 * World-state keys of record indexes and of personal data (composite keys, see lib/keys.ts, where
 * `record` [id] and `hash~record` [hash, id] are). Index entries hold {@link INDEX_VALUE} from
 * lib/keys; each record has its own entries, so no two records ever write the same key.
 */
export const RecordObjectType = {
  /** `record~issuer` [issuerMsp, recordId] → 0x00 */
  byIssuer: 'record~issuer',
  /** `record~type` [recordType, recordId] → 0x00 */
  byType: 'record~type',
  /** `record~status` [status, recordId] → 0x00, moved on every status change */
  byStatus: 'record~status',
  /** `personal` [recordId] → canonical JSON of the personal fields, in the issuer's implicit collection */
  personal: 'personal',
} as const;

/** How ListRecords selects records, and the index it reads. */
export const LIST_INDEXES = {
  issuer: RecordObjectType.byIssuer,
  type: RecordObjectType.byType,
  status: RecordObjectType.byStatus,
} as const;

/** One of {@link LIST_INDEXES}' names. */
export type ListIndex = keyof typeof LIST_INDEXES;

/** The names of {@link LIST_INDEXES}: what ListRecords' `by` takes. */
export const LIST_INDEX_NAMES = Object.keys(LIST_INDEXES) as [ListIndex, ...ListIndex[]];

/** Key of a record's entry in one of the list indexes. */
export function recordIndexKey(ctx: Context, index: ListIndex, value: string, recordId: string): string {
  return ctx.stub.createCompositeKey(LIST_INDEXES[index], [value, recordId]);
}

/** Key of a record's personal data inside its issuer's private data collection. */
export function personalDataKey(ctx: Context, recordId: string): string {
  return ctx.stub.createCompositeKey(RecordObjectType.personal, [recordId]);
}
