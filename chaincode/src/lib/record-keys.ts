import type { Context } from 'fabric-contract-api';

/**
 * World-state keys of record indexes and of personal data (composite keys, see lib/keys.ts, where
 * `record` [id] and `hash~record` [hash, id] are). Index entries hold {@link INDEX_VALUE} from
 * lib/keys; each record has its own entries, so no two records ever write the same key.
 *
 * A registration writes two list index entries (issue 19: each key costs every peer a message,
 * a validation and a commit): its issuer-and-type entry, which serves listing by issuer (its
 * prefix) and by type (a type's records all come from its domain's owner, which never changes),
 * and a status entry only when it starts in a status other than ACTIVE. ACTIVE records are listed
 * from the record keys themselves (lib/record-list). Records an older chaincode registered have
 * `record~issuer` [issuerMsp, recordId], `record~type` [recordType, recordId] and an ACTIVE status
 * entry; the listings read those too (the ACTIVE entry is no longer read, and is deleted at the
 * record's first status change).
 */
export const RecordObjectType = {
  /** `record~issuer` [issuerMsp, recordType, recordId] → 0x00 (older records: [issuerMsp, recordId]) */
  byIssuer: 'record~issuer',
  /** `record~type` [recordType, recordId] → 0x00, written by older chaincodes only */
  byType: 'record~type',
  /** `record~status` [status, recordId] → 0x00 for any status but ACTIVE, moved on every status change */
  byStatus: 'record~status',
  /** `personal` [recordId] → canonical JSON of the personal fields, in the issuer's implicit collection */
  personal: 'personal',
} as const;

/** The status a registration starts in unless an audit policy holds it: listed without index entries. */
export const UNINDEXED_STATUS = 'ACTIVE';

/** How ListRecords selects records, and the index each reads first. */
export const LIST_INDEXES = {
  issuer: RecordObjectType.byIssuer,
  type: RecordObjectType.byType,
  status: RecordObjectType.byStatus,
} as const;

/** One of {@link LIST_INDEXES}' names. */
export type ListIndex = keyof typeof LIST_INDEXES;

/** The names of {@link LIST_INDEXES}: what ListRecords' `by` takes. */
export const LIST_INDEX_NAMES = Object.keys(LIST_INDEXES) as [ListIndex, ...ListIndex[]];

/** Key of a record's issuer-and-type index entry. */
export function issuerIndexKey(
  ctx: Context,
  issuerMsp: string,
  recordType: string,
  recordId: string,
): string {
  return ctx.stub.createCompositeKey(RecordObjectType.byIssuer, [issuerMsp, recordType, recordId]);
}

/** Key of a record's status index entry. */
export function statusIndexKey(ctx: Context, status: string, recordId: string): string {
  return ctx.stub.createCompositeKey(RecordObjectType.byStatus, [status, recordId]);
}

/** The record id a list index entry names: its last attribute, in the older layout as in the newer. */
export function indexedRecordId(ctx: Context, key: string): string {
  const { attributes } = ctx.stub.splitCompositeKey(key);
  return attributes[attributes.length - 1];
}

/** Key of a record's personal data inside its issuer's private data collection. */
export function personalDataKey(ctx: Context, recordId: string): string {
  return ctx.stub.createCompositeKey(RecordObjectType.personal, [recordId]);
}
