import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import {
  closeCase,
  inquiryRequirement,
  openCase,
  policiesInForce,
  readCase,
  readDecisions,
} from '../audit/cases';
import {
  checkReason,
  outcomeOf,
  tally,
  type AuditCase,
  type AuditDecision,
  type Verdict,
} from '../audit/case';
import { caseIndexRange, decisionKey } from '../audit/keys';
import { buildReport, parseTime, parseWindow } from '../audit/report';
import { eligibleAuditors, requireAuditor, requireCaseAuditor } from '../lib/authz-auditors';
import { parseScope } from '../lib/authz-scope';
import { canonicalJson } from '../lib/canonical';
import { AlreadyExistsError, InvalidArgumentError } from '../lib/errors';
import { EventName, emitEvent } from '../lib/events';
import { checkArgument } from '../lib/input';
import { readRecord } from '../lib/records';
import { parsePageSize } from '../lib/rules-engine-page';
import { exists, writeObject } from '../lib/state';
import { txTimestampISO } from '../lib/time';
import { appendTrail } from '../lib/trail';
import { TRAIL_TARGET_ID_PATTERN, TRAIL_TARGET_TYPES, type TrailTargetType } from '../lib/trail-entry';
import { actorRange, ministryRange } from '../lib/trail-keys';
import { parseIndexEntry, readChainPage, readRangePage, verifyTrail } from '../lib/trail-read';
import { txFacts } from '../lib/tx';
import { HOLDER_PATTERN, MSP_ID_PATTERN } from '../model/authority';
import { RECORD_CATEGORIES, type RecordCategory } from '../model/record';
import { ID_PATTERN, ID_RULE, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE } from '../model/patterns';

/** A Fabric transaction id: lower-case hex SHA-256 (audit case ids are transaction ids). */
const TX_ID_PATTERN = /^[0-9a-f]{64}$/;

/** Result of OpenCase. */
export interface OpenCaseResult {
  caseId: string;
  recordId: string;
  status: AuditCase['status'];
  deadline: string;
  txId: string;
}

/** Result of Approve, Reject and ExpireCase. */
export interface DecisionResult {
  caseId: string;
  /** The case's status after the transaction. */
  status: AuditCase['status'];
  decision?: Verdict;
  approvals: number;
  outsideApprovals: number;
  rejections: number;
  txId: string;
}

/**
 * The `audit` contract: proof of authority. Audit policies are rules (rules contract, changed
 * through governance); a registration under a policy opens a case here in the same transaction.
 * Eligible auditors (authorities repository) approve or reject, one key per decision; quorum
 * confirms or rejects the case and settles its record; past its deadline anyone records the
 * expiry. Also serves the hash-chained audit trail of every contract and reports.
 */
@Info({ title: 'audit', description: 'Audit policies, cases and decisions; the audit trail; reports' })
export class AuditContract extends Contract {
  constructor() {
    super('audit');
  }

  /**
   * The audit policies in force for a record category and type, and what a case opened now needs.
   * @param at - ISO 8601 UTC time, or '' for the transaction time.
   * @returns canonical JSON `{policies: [{ruleId, version}], requirement | null}`.
   */
  @Transaction(false)
  @Param('category', 'string', 'G2C, G2B, G2G or G2E')
  @Param('recordType', 'string', 'dotted record type, e.g. education.credential')
  @Param('at', 'string', 'ISO 8601 time; empty for the transaction time')
  @Returns('JsonObject')
  async GetPolicies(ctx: Context, category: string, recordType: string, at: string): Promise<string> {
    const scope = parseScope(`${checkCategory(category)}/${checkRecordType(recordType)}`);
    const time = at === '' ? txTimestampISO(ctx) : parseTime('at', at);
    const { requirement, rules } = await policiesInForce(
      ctx,
      { category: scope.category as RecordCategory, recordType },
      time,
    );
    return canonicalJson({ at: time, policies: rules, requirement: requirement ?? null });
  }

  /**
   * Opens an inquiry into an existing record: an auditor of the record's scope and issuer only.
   * The case needs what the policies in force require (one approval when none applies); it does
   * not change the record.
   * @param reason - why (1-1000 characters, no personal data: it is on chain).
   * @returns canonical JSON {@link OpenCaseResult}; event `AuditCaseOpened`.
   */
  @Transaction()
  @Param('recordId', 'string', 'record id')
  @Param('reason', 'string', 'why (stored on chain: never personal data)')
  @Returns('OpenCaseResult')
  async OpenCase(ctx: Context, recordId: string, reason: string): Promise<string> {
    checkArgument('recordId', recordId, ID_PATTERN, ID_RULE);
    checkReason(reason);
    const record = await readRecord(ctx, recordId);
    await requireAuditor(ctx, record);
    const tx = txFacts(ctx);
    const requirement = await inquiryRequirement(ctx, record, tx.timestamp);
    const auditCase = await openCase(ctx, record, requirement, 'INQUIRY', tx, reason);
    emitEvent(ctx, EventName.auditCaseOpened, { caseId: auditCase.id, recordId, status: auditCase.status });
    const result: OpenCaseResult = {
      caseId: auditCase.id,
      recordId,
      status: auditCase.status,
      deadline: auditCase.deadline,
      txId: tx.txId,
    };
    return canonicalJson(result);
  }

  /**
   * A case with its decisions and their tally; `overdue` when it is OPEN past its deadline (only
   * ExpireCase closes it then).
   */
  @Transaction(false)
  @Param('caseId', 'string', 'audit case id')
  @Returns('AuditCaseView')
  async GetCase(ctx: Context, caseId: string): Promise<string> {
    const auditCase = await readCase(ctx, checkCaseId(caseId));
    const decisions = await readDecisions(ctx, caseId);
    const overdue = auditCase.status === 'OPEN' && txTimestampISO(ctx) >= auditCase.deadline;
    return canonicalJson({ case: auditCase, decisions, tally: tally(auditCase, decisions), overdue });
  }

  /** The auditors eligible to decide a case (auditor grants in force; root admins are implicit). */
  @Transaction(false)
  @Param('caseId', 'string', 'audit case id')
  @Returns('JsonObject')
  async GetEligibleAuditors(ctx: Context, caseId: string): Promise<string> {
    const auditCase = await readCase(ctx, checkCaseId(caseId));
    const { auditors, truncated } = await eligibleAuditors(ctx, caseTarget(auditCase));
    return canonicalJson({ caseId, required: auditCase.requirement, auditors, truncated });
  }

  /** An eligible auditor approves an open case. @returns canonical JSON {@link DecisionResult}. */
  @Transaction()
  @Param('caseId', 'string', 'audit case id')
  @Param('reason', 'string', 'why (stored on chain: never personal data)')
  @Returns('DecisionResult')
  async Approve(ctx: Context, caseId: string, reason: string): Promise<string> {
    return decide(ctx, caseId, reason, 'APPROVE');
  }

  /** An eligible auditor rejects an open case. @returns canonical JSON {@link DecisionResult}. */
  @Transaction()
  @Param('caseId', 'string', 'audit case id')
  @Param('reason', 'string', 'why (stored on chain: never personal data)')
  @Returns('DecisionResult')
  async Reject(ctx: Context, caseId: string, reason: string): Promise<string> {
    return decide(ctx, caseId, reason, 'REJECT');
  }

  /**
   * Records that an open case passed its deadline (by the transaction time): EXPIRED, and a
   * pending record REJECTED. Anyone on the channel may submit it.
   * @throws InvalidArgumentError while the deadline has not passed.
   */
  @Transaction()
  @Param('caseId', 'string', 'audit case id')
  @Returns('DecisionResult')
  async ExpireCase(ctx: Context, caseId: string): Promise<string> {
    const auditCase = requireOpen(await readCase(ctx, checkCaseId(caseId)));
    const tx = txFacts(ctx);
    if (tx.timestamp < auditCase.deadline) {
      throw new InvalidArgumentError(
        `audit case ${caseId} is open until its deadline ${auditCase.deadline}; it cannot expire at ${tx.timestamp}`,
      );
    }
    const t = tally(auditCase, await readDecisions(ctx, caseId));
    await closeCase(ctx, auditCase, 'EXPIRED', t, tx);
    return canonicalJson(decisionResult(caseId, 'EXPIRED', t, tx.txId));
  }

  /**
   * Cases about records issued by a ministry, opened in [from, to), oldest first, one page at a
   * time (evaluate only).
   */
  @Transaction(false)
  @Param('issuerMsp', 'string', 'MSP id of the issuing ministry')
  @Param('from', 'string', 'window start, ISO 8601 (inclusive)')
  @Param('to', 'string', 'window end, ISO 8601 (exclusive)')
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('AuditCasePage')
  async ListCases(
    ctx: Context,
    issuerMsp: string,
    from: string,
    to: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const window = parseWindow(from, to);
    const page = await readRangePage(
      ctx,
      caseIndexRange(checkMsp(issuerMsp), window.from, window.to),
      parsePageSize(pageSize),
      bookmark ?? '',
      (key) => key.slice(key.lastIndexOf('|') + 1),
    );
    const items = [];
    for (const id of page.items) items.push(await readCase(ctx, id));
    return canonicalJson({ items, bookmark: page.bookmark });
  }

  /**
   * A target's audit trail, oldest first, one page at a time (evaluate only).
   * @param targetType - record, schema, ministry, proposal, approval, rule, law, article, setting, grant or auditcase.
   */
  @Transaction(false)
  @Param('targetType', 'string', 'trail target type (record, schema, grant, ...)')
  @Param('targetId', 'string', 'trail target id')
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('TrailPage')
  async GetTrail(
    ctx: Context,
    targetType: string,
    targetId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const target = { type: checkTargetType(targetType), id: checkTargetId(targetId) };
    return canonicalJson(await readChainPage(ctx, target, parsePageSize(pageSize), bookmark ?? ''));
  }

  /** The trail entries of one ministry's identities in [from, to), oldest first, paged (evaluate only). */
  @Transaction(false)
  @Param('mspId', 'string', 'MSP id')
  @Param('from', 'string', 'window start, ISO 8601 (inclusive)')
  @Param('to', 'string', 'window end, ISO 8601 (exclusive)')
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('TrailIndexPage')
  async ListTrailByMinistry(
    ctx: Context,
    mspId: string,
    from: string,
    to: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const window = parseWindow(from, to);
    const range = ministryRange(checkMsp(mspId), window.from, window.to);
    return canonicalJson(
      await readRangePage(ctx, range, parsePageSize(pageSize), bookmark ?? '', parseIndexEntry),
    );
  }

  /** The trail entries of one identity in [from, to), oldest first, paged (evaluate only). */
  @Transaction(false)
  @Param('mspId', 'string', 'MSP id')
  @Param('actorId', 'string', 'x509::<subject>::<issuer> of an identity')
  @Param('from', 'string', 'window start, ISO 8601 (inclusive)')
  @Param('to', 'string', 'window end, ISO 8601 (exclusive)')
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('TrailIndexPage')
  async ListTrailByActor(
    ctx: Context,
    mspId: string,
    actorId: string,
    from: string,
    to: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const window = parseWindow(from, to);
    checkArgument('actorId', actorId, HOLDER_PATTERN, 'an identity id "x509::<subject>::<issuer>"');
    const range = actorRange(checkMsp(mspId), actorId, window.from, window.to);
    return canonicalJson(
      await readRangePage(ctx, range, parsePageSize(pageSize), bookmark ?? '', parseIndexEntry),
    );
  }

  /**
   * Recomputes a target's hash chain.
   * @returns canonical JSON `{targetType, targetId, entries, valid, headHash?, firstBreak?: {seq, reason}}`.
   */
  @Transaction(false)
  @Param('targetType', 'string', 'trail target type (record, schema, grant, ...)')
  @Param('targetId', 'string', 'trail target id')
  @Returns('JsonObject')
  async VerifyTrail(ctx: Context, targetType: string, targetId: string): Promise<string> {
    const target = { type: checkTargetType(targetType), id: checkTargetId(targetId) };
    return canonicalJson(await verifyTrail(ctx, target));
  }

  /**
   * The report of a ministry for [from, to): its identities' trail entries by action and outcome,
   * and the audit cases about its records (by status, median time to confirmation).
   */
  @Transaction(false)
  @Param('mspId', 'string', 'MSP id')
  @Param('from', 'string', 'window start, ISO 8601 (inclusive)')
  @Param('to', 'string', 'window end, ISO 8601 (exclusive)')
  @Returns('JsonObject')
  async GetReport(ctx: Context, mspId: string, from: string, to: string): Promise<string> {
    const window = parseWindow(from, to);
    return canonicalJson(await buildReport(ctx, checkMsp(mspId), window));
  }
}

/** Approve / Reject: one decision per eligible auditor on an open case before its deadline. */
async function decide(ctx: Context, caseId: string, reason: string, verdict: Verdict): Promise<string> {
  const auditCase = requireOpen(await readCase(ctx, checkCaseId(caseId)));
  const why = checkReason(reason);
  const tx = txFacts(ctx);
  if (tx.timestamp >= auditCase.deadline) {
    throw new InvalidArgumentError(
      `audit case ${caseId} passed its deadline ${auditCase.deadline}; submit audit:ExpireCase to record the expiry`,
    );
  }
  const grant = await requireCaseAuditor(ctx, caseTarget(auditCase));
  const key = decisionKey(ctx, caseId, tx.mspId, tx.clientId);
  if (await exists(ctx, key)) {
    throw new AlreadyExistsError(
      `${tx.clientId} (${tx.mspId}) already decided on audit case ${caseId}; an auditor decides once`,
    );
  }
  const decision: AuditDecision = {
    docType: 'auditDecision',
    caseId,
    mspId: tx.mspId,
    auditorId: tx.clientId,
    decision: verdict,
    reason: why,
    grantId: grant.id,
    at: tx.timestamp,
    txId: tx.txId,
  };
  await writeObject(ctx, key, decision);
  await appendTrail(ctx, 'auditcase', caseId, verdict === 'APPROVE' ? 'AUDIT_APPROVED' : 'AUDIT_REJECTED', {
    status: verdict,
    grantId: grant.id,
  });
  const decisions = [...(await readDecisions(ctx, caseId)), decision];
  const t = tally(auditCase, decisions);
  const outcome = outcomeOf(auditCase, t);
  if (outcome) {
    await closeCase(ctx, auditCase, outcome, t, tx, decisions);
  } else {
    emitEvent(ctx, EventName.auditDecided, { caseId, decision: verdict, status: 'OPEN' });
  }
  return canonicalJson({ ...decisionResult(caseId, outcome ?? 'OPEN', t, tx.txId), decision: verdict });
}

/** The result of a decision or expiry. */
function decisionResult(
  caseId: string,
  status: AuditCase['status'],
  t: { approvals: number; outsideApprovals: number; rejections: number },
  txId: string,
): DecisionResult {
  return {
    caseId,
    status,
    approvals: t.approvals,
    outsideApprovals: t.outsideApprovals,
    rejections: t.rejections,
    txId,
  };
}

/** Who may decide a case, as the authorization module needs it. */
function caseTarget(c: AuditCase) {
  return {
    category: c.category,
    recordType: c.recordType,
    issuerMsp: c.issuerMsp,
    issuerId: c.issuerId,
    ...(c.requirement.ministries ? { ministries: c.requirement.ministries } : {}),
  };
}

/** Refuses a case that is already closed. */
function requireOpen(c: AuditCase): AuditCase {
  if (c.status !== 'OPEN') {
    throw new InvalidArgumentError(`audit case ${c.id} is ${c.status}, not OPEN`);
  }
  return c;
}

function checkCaseId(caseId: string): string {
  return checkArgument('caseId', caseId, TX_ID_PATTERN, 'a transaction id: 64 lower-case hex characters');
}

function checkMsp(mspId: string): string {
  return checkArgument('mspId', mspId, MSP_ID_PATTERN, 'an MSP ID such as EducationMSP');
}

function checkCategory(category: string): string {
  return checkArgument('category', category, /^G2[CBGE]$/, `one of ${RECORD_CATEGORIES.join(', ')}`);
}

function checkRecordType(recordType: string): string {
  return checkArgument('recordType', recordType, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE);
}

function checkTargetType(targetType: string): TrailTargetType {
  if (!(TRAIL_TARGET_TYPES as readonly string[]).includes(targetType)) {
    throw new InvalidArgumentError(`targetType must be one of ${TRAIL_TARGET_TYPES.join(', ')}`);
  }
  return targetType as TrailTargetType;
}

function checkTargetId(targetId: string): string {
  return checkArgument(
    'targetId',
    targetId,
    TRAIL_TARGET_ID_PATTERN,
    'an object id (1-257 characters of A-Z a-z 0-9 . _ : / -)',
  );
}
