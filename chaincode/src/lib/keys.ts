import type { Context } from 'fabric-contract-api';

/**
 * World-state key layout. Every egov key but the audit trail's is a Fabric composite key (U+0000 objectType U+0000 attr
 * U+0000 ...), so egov keys never collide with each other, stay out of plain getStateByRange
 * results, and can be listed with bounded partial-composite-key range queries.
 */
export const ObjectType = {
  /** `record` [recordId] → LedgerRecord */
  record: 'record',
  /** `hash~record` [hash, recordId] → 0x00; index for VerifyHash (several records may share a hash) */
  hashIndex: 'hash~record',
  // rules, governance and authorities keep their keys in lib/rules-engine-keys.ts and lib/authz-keys.ts;
  // the audit trail (simple keys, read by time window) in lib/trail-keys.ts, audit cases' in audit/keys.ts
  /** `auditcase` [caseId] → AuditCase */
  auditCase: 'auditcase',
} as const;

/** Value stored under index keys: only the key matters (Fabric treats an empty value as a delete). */
export const INDEX_VALUE: Uint8Array = Uint8Array.of(0);

/** Key of a record. */
export function recordKey(ctx: Context, recordId: string): string {
  return ctx.stub.createCompositeKey(ObjectType.record, [recordId]);
}

/** Key of one hash-index entry: the record `recordId` has payload hash `hash`. */
export function hashIndexKey(ctx: Context, hash: string, recordId: string): string {
  return ctx.stub.createCompositeKey(ObjectType.hashIndex, [hash, recordId]);
}

/** Key of an audit case. */
export function auditCaseKey(ctx: Context, caseId: string): string {
  return ctx.stub.createCompositeKey(ObjectType.auditCase, [caseId]);
}
