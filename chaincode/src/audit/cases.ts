import type { Context } from 'fabric-contract-api';
import { unmarshal } from '../lib/canonical';
import { LimitExceededError, NotFoundError } from '../lib/errors';
import { EventName, emitEvent } from '../lib/events';
import { INDEX_VALUE, recordKey } from '../lib/keys';
import { readPartialCompositeKey } from '../lib/query';
import { reindexStatus } from '../lib/record-index';
import { readRecord } from '../lib/records';
import { rulesInForce } from '../lib/rules-engine';
import { readRuleVersion } from '../lib/rules-engine-store';
import { readObject, writeObject } from '../lib/state';
import { payAuditRewards } from '../lib/token-rewards';
import { appendTrail } from '../lib/trail';
import type { TxFacts } from '../lib/tx';
import { withStatus, type LedgerRecord } from '../model/record';
import type { LegalBasis } from '../model/rule';
import {
  asAuditCase,
  asDecision,
  closedCase,
  newAuditCase,
  type AuditCase,
  type AuditCaseStatus,
  type AuditDecision,
  type CaseOrigin,
  type Tally,
} from './case';
import { AuditObjectType, auditCaseKey, caseIndexKey } from './keys';
import { combinePolicies, DEFAULT_MANUAL_POLICY, type AuditRequirement } from './policy';

/** Most decisions one case may hold (a policy requires at most 20 of either kind). */
export const MAX_DECISIONS = 100;

/**
 * The audit requirement of a record checked against `legalBasis` (the rule versions the rules
 * engine found in force for it): the combined `audit` parts of those rules, or undefined when
 * none has one. Reads each rule version once more; they are already in the read set.
 */
export async function requirementOf(
  ctx: Context,
  legalBasis: LegalBasis[],
): Promise<AuditRequirement | undefined> {
  const applied = [];
  for (const basis of legalBasis) {
    const rule = await readRuleVersion(ctx, basis.ruleId, basis.version);
    if (rule.audit) applied.push({ ref: { ruleId: rule.id, version: rule.version }, policy: rule.audit });
  }
  return combinePolicies(applied);
}

/** The audit policies in force at `time` for a record's category and type (rules with an `audit` part). */
export async function policiesInForce(
  ctx: Context,
  record: Pick<LedgerRecord, 'category' | 'recordType'>,
  time: string,
): Promise<{ requirement: AuditRequirement | undefined; rules: { ruleId: string; version: number }[] }> {
  const rules = (
    await rulesInForce(ctx, { category: record.category, path: record.recordType }, time)
  ).filter((r) => r.audit !== undefined);
  const requirement = combinePolicies(
    rules.map((r) => ({ ref: { ruleId: r.id, version: r.version }, policy: r.audit! })),
  );
  return { requirement, rules: rules.map((r) => ({ ruleId: r.id, version: r.version })) };
}

/** The requirement of an inquiry: the policies in force for the record, else {@link DEFAULT_MANUAL_POLICY}. */
export async function inquiryRequirement(
  ctx: Context,
  record: LedgerRecord,
  time: string,
): Promise<AuditRequirement> {
  const { requirement } = await policiesInForce(ctx, record, time);
  return requirement ?? { ...DEFAULT_MANUAL_POLICY, policies: [] };
}

/** Opens a case about `record` in the current transaction: the case, its index entry and its trail. */
export async function openCase(
  ctx: Context,
  record: LedgerRecord,
  requirement: AuditRequirement,
  origin: CaseOrigin,
  tx: TxFacts,
  reason?: string,
): Promise<AuditCase> {
  const auditCase = newAuditCase(record, requirement, origin, tx, reason);
  await writeObject(ctx, auditCaseKey(ctx, auditCase.id), auditCase);
  await ctx.stub.putState(caseIndexKey(auditCase.issuerMsp, auditCase.openedAt, auditCase.id), INDEX_VALUE);
  await appendTrail(ctx, 'auditcase', auditCase.id, 'AUDIT_CASE_OPENED', {
    status: 'OPEN',
    recordId: record.id,
    origin,
    deadline: auditCase.deadline,
    policies: requirement.policies.map((p) => `${p.ruleId}@${p.version}`),
  });
  return auditCase;
}

/**
 * Reads a case.
 * @throws NotFoundError "audit case X does not exist".
 */
export async function readCase(ctx: Context, caseId: string): Promise<AuditCase> {
  const value = await readObject(ctx, auditCaseKey(ctx, caseId), `audit case ${caseId}`);
  if (!value) {
    throw new NotFoundError(`audit case ${caseId} does not exist`);
  }
  return asAuditCase(value, caseId);
}

/**
 * Reads every decision on a case, ordered by ministry and auditor.
 * @throws LimitExceededError beyond {@link MAX_DECISIONS}.
 */
export async function readDecisions(ctx: Context, caseId: string): Promise<AuditDecision[]> {
  const { entries, truncated } = await readPartialCompositeKey(
    ctx,
    AuditObjectType.decision,
    [caseId],
    MAX_DECISIONS,
  );
  if (truncated) {
    throw new LimitExceededError(`audit case ${caseId} has more than ${MAX_DECISIONS} decisions`);
  }
  return entries.map((e) => asDecision(unmarshal(e.value, `a decision on audit case ${caseId}`), e.key));
}

/** What closing a case does to the record it opened PENDING_AUDIT. */
const RECORD_OUTCOMES: Record<
  Exclude<AuditCaseStatus, 'OPEN'>,
  { status: 'ACTIVE' | 'REJECTED'; action: string }
> = {
  CONFIRMED: { status: 'ACTIVE', action: 'RECORD_CONFIRMED' },
  REJECTED: { status: 'REJECTED', action: 'RECORD_REJECTED' },
  EXPIRED: { status: 'REJECTED', action: 'RECORD_AUDIT_EXPIRED' },
};

/**
 * Closes a case in the current transaction; a registration's or amendment's case also settles its
 * record: ACTIVE when confirmed, REJECTED when rejected or expired. A confirmed case under a policy
 * with a reward pays each approving auditor of `decisions` (all of the case's, this transaction's
 * included) in the same transaction. Emits `AuditCaseClosed`.
 */
export async function closeCase(
  ctx: Context,
  auditCase: AuditCase,
  status: Exclude<AuditCaseStatus, 'OPEN'>,
  t: Tally,
  tx: TxFacts,
  decisions: AuditDecision[] = [],
): Promise<AuditCase> {
  const closed = closedCase(auditCase, status, t, tx);
  await writeObject(ctx, auditCaseKey(ctx, closed.id), closed);
  const reward = closed.requirement.reward;
  if (status === 'CONFIRMED' && reward) {
    const approvers = decisions.filter((d) => d.decision === 'APPROVE');
    await payAuditRewards(ctx, closed.id, closed.issuerMsp, reward, approvers);
  }
  await appendTrail(ctx, 'auditcase', closed.id, `AUDIT_CASE_${status}`, {
    status,
    recordId: closed.recordId,
    approvals: t.approvals,
    rejections: t.rejections,
    ...(closed.confirmedBy ? { confirmedBy: closed.confirmedBy } : {}),
  });
  const record = await readRecord(ctx, closed.recordId);
  if (closed.origin !== 'INQUIRY' && record.status === 'PENDING_AUDIT' && record.auditCaseId === closed.id) {
    const outcome = RECORD_OUTCOMES[status];
    const settled = withStatus(record, outcome.status, `audit case ${closed.id} ${status}`, tx);
    await writeObject(ctx, recordKey(ctx, record.id), settled);
    await reindexStatus(ctx, record, outcome.status);
    await appendTrail(ctx, 'record', record.id, outcome.action, {
      status: outcome.status,
      hash: record.hash,
      caseId: closed.id,
    });
  }
  emitEvent(ctx, EventName.auditCaseClosed, {
    caseId: closed.id,
    recordId: closed.recordId,
    status,
  });
  return closed;
}
