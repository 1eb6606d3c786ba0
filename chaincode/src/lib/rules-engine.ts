import type { Context } from 'fabric-contract-api';
import type { RecordCategory } from '../model/record';
import type { LegalBasis, Rule } from '../model/rule';
import { versionInForce } from '../model/rule-versioning';
import { covers, parseScope, type Scope } from './authz-scope';
import type { JsonObject } from './canonical';
import { EgovError } from './errors';
import { ruleIdsCovering } from './rules-engine-scopes';
import { readRuleHead, readRuleVersion } from './rules-engine-store';
import { evaluateCondition } from './rules-engine-logic';
import { txTimestampISO } from './time';

export type { LegalBasis } from '../model/rule';

/** A record breaks a rule in force; the message names the rule, its version, article and law. */
export class RuleViolationError extends EgovError {}

/** What the rules are evaluated over (the ledger passes the record being registered or amended). */
export interface RuleSubject {
  recordType: string;
  category: RecordCategory;
  payload: JsonObject;
  /** Non-personal facts about the record, e.g. `{issuerMsp, schemaId, schemaVersion}`. */
  metadata: JsonObject;
}

export { MAX_RULES_PER_NODE } from './rules-engine-scopes';

/**
 * Evaluates every rule in force (at the transaction time) for a record's category and type: each
 * rule whose in-force version applies to a scope covering `{category}/{recordType}`. Conditions
 * are JSON Logic over `{payload, metadata, recordType, category}`; rules without one pass.
 * Reads the scope index's keys of the covering nodes (lib/rules-engine-scopes) and the rules found,
 * so it may run in any transaction.
 * @returns the legal basis of the record: every rule version it passed, ordered by rule id.
 * @throws RuleViolationError "record violates rule R version V (article A of law L): <title>"
 *   on the first violated rule (in rule id order).
 * @throws LimitExceededError when more than {@link MAX_RULES_PER_NODE} rules are indexed on one node.
 */
export async function evaluateRules(ctx: Context, subject: RuleSubject): Promise<LegalBasis[]> {
  const target: Scope = { category: subject.category, path: subject.recordType };
  const now = txTimestampISO(ctx);
  const data = {
    payload: subject.payload,
    metadata: subject.metadata,
    recordType: subject.recordType,
    category: subject.category,
  };
  const basis: LegalBasis[] = [];
  for (const rule of await rulesInForce(ctx, target, now)) {
    if (rule.condition !== undefined) {
      const outcome = evaluateCondition(rule.condition, data);
      if (!outcome.passed) {
        throw new RuleViolationError(violationMessage(rule, outcome.error));
      }
    }
    basis.push({ ruleId: rule.id, version: rule.version, articleId: rule.articleId, lawId: rule.lawId });
  }
  return basis;
}

/** The error message of a violated rule (never echoes payload values). */
export function violationMessage(rule: Rule, error?: string): string {
  const why = error === undefined ? '' : ` (condition could not be evaluated: ${error})`;
  return (
    `record violates rule ${rule.id} version ${rule.version} (article ${rule.articleId} of law ${rule.lawId}): ` +
    `${rule.title}${why}`
  );
}

/**
 * The rule versions in force at `time` that apply to `target`, ordered by rule id.
 * @throws LimitExceededError when one node has more than {@link MAX_RULES_PER_NODE} rules.
 */
export async function rulesInForce(ctx: Context, target: Scope, time: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  for (const id of await ruleIdsCovering(ctx, target)) {
    const head = await readRuleHead(ctx, id);
    const ref = head && versionInForce(head, time);
    if (!ref) continue;
    const rule = await readRuleVersion(ctx, id, ref.version);
    // the index keeps every scope a rule ever had; the version in force decides
    if (rule.appliesTo.some((s) => covers(parseScope(s), target))) {
      rules.push(rule);
    }
  }
  return rules;
}
