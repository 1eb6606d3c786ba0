import type { Context } from 'fabric-contract-api';
import { StateCorruptError } from '../lib/errors';
import { auditCaseKey } from '../lib/keys';

/**
 * World-state keys of audit cases:
 *   `auditcase` [caseId]                                  → AuditCase (lib/keys.ts)
 *   `auditcase.decision` [caseId, mspId, auditorId]       → AuditDecision: one key per decision
 *   `audit|c|<issuerMsp>|<openedAt>|<caseId>`             → caseId: cases by issuing ministry and
 *     opening time, a simple key so that reports read a time window with getStateByRange.
 */
export const AuditObjectType = {
  decision: 'auditcase.decision',
} as const;

export { auditCaseKey };

/** Key of one auditor's decision on a case. */
export function decisionKey(ctx: Context, caseId: string, mspId: string, auditorId: string): string {
  return ctx.stub.createCompositeKey(AuditObjectType.decision, [caseId, mspId, auditorId]);
}

const SEP = '|';

/** Key of a case in the index by issuing ministry and opening time. */
export function caseIndexKey(issuerMsp: string, openedAt: string, caseId: string): string {
  for (const part of [issuerMsp, openedAt, caseId]) {
    if (part.includes(SEP)) throw new StateCorruptError(`an audit case index part holds "${SEP}"`);
  }
  return ['audit', 'c', issuerMsp, openedAt, caseId].join(SEP);
}

/** [start, end) of the cases of records issued by `issuerMsp` opened in [from, to). */
export function caseIndexRange(issuerMsp: string, from: string, to: string): [string, string] {
  return [['audit', 'c', issuerMsp, from].join(SEP), ['audit', 'c', issuerMsp, to].join(SEP)];
}
