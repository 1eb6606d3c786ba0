import type { JsonObject } from '../lib/canonical';
import { StateCorruptError } from '../lib/errors';
import { InputObject } from '../lib/input';
import type { TxFacts } from '../lib/tx';
import {
  HASH_PATTERN,
  HASH_RULE,
  ID_PATTERN,
  ID_RULE,
  RECORD_TYPE_PATTERN,
  RECORD_TYPE_RULE,
} from './patterns';

/** An ISO 8601 date or UTC date-time, e.g. `2025-01-01` or `2025-01-01T00:00:00Z`. */
const EFFECTIVE_FROM_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z)?$/;
/** Printable text without control characters, 1-300 characters. */
const TITLE_PATTERN = /^[^\p{Cc}]{1,300}$/u;
/** Most record types one rule may apply to. */
const MAX_APPLIES_TO = 50;

/** The fields of DefineRule's ruleJson argument. */
export interface RuleInput {
  id: string;
  /** Identifier of the law (act) the rule comes from. */
  lawId: string;
  /** Article of that law. */
  articleId: string;
  title: string;
  /** Hex SHA-256 of the legal text; the text itself lives off chain. */
  textHash: string;
  /** Record types the rule governs. */
  appliesTo: string[];
  version: number;
  /** When the rule takes effect (ISO 8601 date or UTC date-time). */
  effectiveFrom: string;
}

/**
 * A rule as stored under `rule` [id]: a machine-readable reference to an article of law. New
 * fields (conditions, governance approvals) must be optional so older rules still parse.
 */
export interface Rule extends RuleInput {
  docType: 'rule';
  /** MSP ID of the admin that defined it. */
  definedByMsp: string;
  /** `x509::<subject>::<issuer>` of that admin. */
  definedBy: string;
  definedAt: string;
  txId: string;
}

/** Fields accepted in ruleJson. */
const RULE_INPUT_FIELDS = [
  'id',
  'lawId',
  'articleId',
  'title',
  'textHash',
  'appliesTo',
  'version',
  'effectiveFrom',
] as const;

/**
 * Parses and checks DefineRule's argument.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseRuleInput(ruleJson: string): RuleInput {
  const input = InputObject.parse('ruleJson', ruleJson);
  input.rejectUnknownFields(RULE_INPUT_FIELDS);
  return {
    id: input.string('id', ID_PATTERN, ID_RULE),
    lawId: input.string('lawId', ID_PATTERN, ID_RULE),
    articleId: input.string('articleId', ID_PATTERN, ID_RULE),
    title: input.string('title', TITLE_PATTERN, '1-300 characters without control characters'),
    textHash: input.string('textHash', HASH_PATTERN, HASH_RULE),
    appliesTo: input.stringSet('appliesTo', RECORD_TYPE_PATTERN, RECORD_TYPE_RULE, MAX_APPLIES_TO),
    version: input.integer('version', 1, 1_000_000),
    effectiveFrom: parseEffectiveFrom(input),
  };
}

/** Checks effectiveFrom is a real calendar date (Date.parse is deterministic; no clock is read). */
function parseEffectiveFrom(input: InputObject): string {
  const rule = 'an ISO 8601 date (2025-01-01) or UTC date-time (2025-01-01T00:00:00Z)';
  const value = input.string('effectiveFrom', EFFECTIVE_FROM_PATTERN, rule);
  const day = value.slice(0, 10);
  const parsed = new Date(`${day}T00:00:00Z`);
  // rejects 2025-02-30, which Date would roll over into March
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw input.fieldError('effectiveFrom', `must be ${rule}; ${day} is not a calendar date`);
  }
  return value;
}

/** Builds the state of a newly defined rule. */
export function newRule(input: RuleInput, tx: TxFacts): Rule {
  return {
    docType: 'rule',
    ...input,
    definedByMsp: tx.mspId,
    definedBy: tx.clientId,
    definedAt: tx.timestamp,
    txId: tx.txId,
  };
}

/**
 * Types a parsed world-state value as a rule.
 * @throws StateCorruptError when it is not one.
 */
export function asRule(value: JsonObject, ruleId: string): Rule {
  if (value.docType !== 'rule' || value.id !== ruleId) {
    throw new StateCorruptError(`state under rule ${ruleId} is not a rule`);
  }
  return value as unknown as Rule;
}
