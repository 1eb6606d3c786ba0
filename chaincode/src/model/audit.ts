import type { JsonObject } from '../lib/canonical';
import { InvalidArgumentError, StateCorruptError } from '../lib/errors';
import type { TxFacts } from '../lib/tx';
import type { RecordStatus } from './record';

/** What changed in an audit entry. New actions are added as transactions grow. */
export type AuditAction =
  | 'RECORD_REGISTERED'
  | 'RECORD_AMENDED'
  | 'RECORD_SUPERSEDED'
  | 'RECORD_SUSPENDED'
  | 'RECORD_REINSTATED'
  | 'RECORD_REVOKED'
  | 'AUDIT_CASE_OPENED';

/**
 * One entry of a record's audit trail, stored under `audit~record~txId` [recordId, txId]: who
 * did what to the record, in which transaction, at which transaction time.
 */
export interface AuditEntry {
  docType: 'auditEntry';
  recordId: string;
  txId: string;
  action: AuditAction;
  actorMsp: string;
  actorId: string;
  at: string;
  /** Record status after the change, when the change concerns the record's content. */
  status?: RecordStatus;
  /** Record hash after the change, when the change concerns the record's content. */
  hash?: string;
  /** The audit case opened, for AUDIT_CASE_OPENED. */
  caseId?: string;
}

/** Builds an audit entry for the current transaction; `details` adds the action-specific fields. */
export function newAuditEntry(
  recordId: string,
  action: AuditAction,
  tx: TxFacts,
  details: Pick<AuditEntry, 'status' | 'hash' | 'caseId'> = {},
): AuditEntry {
  return {
    docType: 'auditEntry',
    recordId,
    txId: tx.txId,
    action,
    actorMsp: tx.mspId,
    actorId: tx.clientId,
    at: tx.timestamp,
    ...details,
  };
}

/** Orders a trail chronologically (transaction time, then txId for equal times). */
export function compareAuditEntries(a: AuditEntry, b: AuditEntry): number {
  if (a.at !== b.at) {
    return a.at < b.at ? -1 : 1;
  }
  return a.txId < b.txId ? -1 : a.txId > b.txId ? 1 : 0;
}

/**
 * Types a parsed world-state value as an audit entry.
 * @throws StateCorruptError when it is not one.
 */
export function asAuditEntry(value: JsonObject, key: string): AuditEntry {
  if (value.docType !== 'auditEntry' || typeof value.at !== 'string' || typeof value.txId !== 'string') {
    throw new StateCorruptError(`state under audit entry ${JSON.stringify(key)} is not an audit entry`);
  }
  return value as unknown as AuditEntry;
}

/** Status of an audit case. Only OPEN is set today; findings and closing come later. */
export type AuditCaseStatus = 'OPEN' | 'CLOSED';

/** Longest reason accepted when opening a case. */
export const MAX_REASON_LENGTH = 1000;
/** Printable text without control characters. */
const REASON_PATTERN = /^[^\p{Cc}]+$/u;

/**
 * An audit case stored under `auditcase` [caseId]: an authority's inquiry into a record. The case
 * id is the id of the transaction that opened it. The reason is stored on the channel ledger, so
 * callers must not put personal data in it.
 */
export interface AuditCase {
  docType: 'auditCase';
  id: string;
  recordId: string;
  reason: string;
  status: AuditCaseStatus;
  openedByMsp: string;
  openedBy: string;
  openedAt: string;
  txId: string;
}

/**
 * Checks OpenCase's reason argument.
 * @throws InvalidArgumentError when it is empty, too long or holds control characters.
 */
export function checkReason(reason: string): string {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw new InvalidArgumentError('reason is missing');
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw new InvalidArgumentError(
      `reason is ${reason.length} characters; at most ${MAX_REASON_LENGTH} are allowed`,
    );
  }
  if (!REASON_PATTERN.test(reason)) {
    throw new InvalidArgumentError('reason must not contain control characters (line breaks, tabs)');
  }
  return reason;
}

/** Builds the state of a newly opened audit case. */
export function newAuditCase(recordId: string, reason: string, tx: TxFacts): AuditCase {
  return {
    docType: 'auditCase',
    id: tx.txId,
    recordId,
    reason,
    status: 'OPEN',
    openedByMsp: tx.mspId,
    openedBy: tx.clientId,
    openedAt: tx.timestamp,
    txId: tx.txId,
  };
}

/**
 * Types a parsed world-state value as an audit case.
 * @throws StateCorruptError when it is not one.
 */
export function asAuditCase(value: JsonObject, caseId: string): AuditCase {
  if (value.docType !== 'auditCase' || value.id !== caseId) {
    throw new StateCorruptError(`state under audit case ${caseId} is not an audit case`);
  }
  return value as unknown as AuditCase;
}
