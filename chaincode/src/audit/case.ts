import type { JsonObject } from '../lib/canonical';
import { StateCorruptError } from '../lib/errors';
import type { TxFacts } from '../lib/tx';
import type { LedgerRecord, RecordCategory } from '../model/record';

/** Reasons of inquiries and decisions are checked like a record's status reasons (on chain, no personal data). */
export { checkStatusReason as checkReason } from '../model/record';
import type { AuditRequirement } from './policy';

/**
 * Audit cases: an inquiry into one record, decided by eligible auditors. A case opened by a
 * registration or amendment under an audit policy holds the record PENDING_AUDIT until it closes;
 * a case opened by hand (an authority's inquiry) does not change the record. The case pins the
 * requirement of the policy versions in force when it opened, so later policy changes never
 * change an open case. Its outcome is derived from its decisions (one key each).
 */

/** OPEN until approvals reach the quorum (CONFIRMED), rejections do (REJECTED), or the deadline passes and someone records it (EXPIRED). */
export const AUDIT_CASE_STATUSES = ['OPEN', 'CONFIRMED', 'REJECTED', 'EXPIRED'] as const;
/** One of {@link AUDIT_CASE_STATUSES}. */
export type AuditCaseStatus = (typeof AUDIT_CASE_STATUSES)[number];

/** Why a case was opened. */
export type CaseOrigin = 'REGISTRATION' | 'AMENDMENT' | 'INQUIRY';

/** An auditor's decision. */
export type Verdict = 'APPROVE' | 'REJECT';

/** An audit case, under `auditcase` [caseId]; the id is the opening transaction's id. */
export interface AuditCase {
  docType: 'auditCase';
  id: string;
  recordId: string;
  category: RecordCategory;
  recordType: string;
  /** The ministry that issued the record. */
  issuerMsp: string;
  /** The identity that issued the record: it never audits it. */
  issuerId: string;
  origin: CaseOrigin;
  /** Why an inquiry was opened (cases opened by a registration have none). */
  reason?: string;
  status: AuditCaseStatus;
  requirement: AuditRequirement;
  openedByMsp: string;
  openedBy: string;
  openedAt: string;
  /** openedAt + requirement.deadlineSeconds. */
  deadline: string;
  txId: string;
  closedAt?: string;
  closedTxId?: string;
  /** Ministries whose auditors approved, when CONFIRMED. */
  confirmedBy?: string[];
}

/** One auditor's decision on a case, under `auditcase.decision` [caseId, mspId, auditorId]. */
export interface AuditDecision {
  docType: 'auditDecision';
  caseId: string;
  mspId: string;
  auditorId: string;
  decision: Verdict;
  reason: string;
  /** The auditor grant that made the auditor eligible (`root:<msp>` for a root admin). */
  grantId: string;
  at: string;
  txId: string;
}

/** The count of a case's decisions. */
export interface Tally {
  approvals: number;
  /** Approvals by auditors outside the issuing ministry. */
  outsideApprovals: number;
  rejections: number;
  /** Ministries of the approving auditors, sorted. */
  approvingMinistries: string[];
}

/** Builds a newly opened case about `record`. */
export function newAuditCase(
  record: LedgerRecord,
  requirement: AuditRequirement,
  origin: CaseOrigin,
  tx: TxFacts,
  reason?: string,
): AuditCase {
  const deadline = new Date(Date.parse(tx.timestamp) + requirement.deadlineSeconds * 1000).toISOString();
  return {
    docType: 'auditCase',
    id: tx.txId,
    recordId: record.id,
    category: record.category,
    recordType: record.recordType,
    issuerMsp: record.issuerMsp,
    issuerId: record.issuerId,
    origin,
    ...(reason === undefined ? {} : { reason }),
    status: 'OPEN',
    requirement,
    openedByMsp: tx.mspId,
    openedBy: tx.clientId,
    openedAt: tx.timestamp,
    deadline,
    txId: tx.txId,
  };
}

/** Counts a case's decisions. */
export function tally(auditCase: AuditCase, decisions: AuditDecision[]): Tally {
  const approving = decisions.filter((d) => d.decision === 'APPROVE');
  return {
    approvals: approving.length,
    outsideApprovals: approving.filter((d) => d.mspId !== auditCase.issuerMsp).length,
    rejections: decisions.length - approving.length,
    approvingMinistries: [...new Set(approving.map((d) => d.mspId))].sort(),
  };
}

/** The closed status the decisions reach, or undefined while they reach none. */
export function outcomeOf(auditCase: AuditCase, t: Tally): 'CONFIRMED' | 'REJECTED' | undefined {
  const r = auditCase.requirement;
  if (t.rejections >= r.rejections) return 'REJECTED';
  if (t.approvals >= r.approvals && t.outsideApprovals >= r.outsideIssuer) return 'CONFIRMED';
  return undefined;
}

/** The case closed by the current transaction. */
export function closedCase(
  auditCase: AuditCase,
  status: Exclude<AuditCaseStatus, 'OPEN'>,
  t: Tally,
  tx: TxFacts,
): AuditCase {
  return {
    ...auditCase,
    status,
    closedAt: tx.timestamp,
    closedTxId: tx.txId,
    ...(status === 'CONFIRMED' ? { confirmedBy: t.approvingMinistries } : {}),
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

/**
 * Types a parsed world-state value as a decision.
 * @throws StateCorruptError when it is not one.
 */
export function asDecision(value: JsonObject, key: string): AuditDecision {
  if (value.docType !== 'auditDecision' || (value.decision !== 'APPROVE' && value.decision !== 'REJECT')) {
    throw new StateCorruptError(`state under decision ${JSON.stringify(key)} is not an audit decision`);
  }
  return value as unknown as AuditDecision;
}
