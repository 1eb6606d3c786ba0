import { parseAuditPolicy, type AuditPolicy } from '../audit/policy';
import type { JsonValue } from '../lib/canonical';
import { formatScope, parseScope } from '../lib/authz-scope';
import { InputObject } from '../lib/input';
import { checkCondition } from '../lib/rules-engine-logic';
import { TITLE_PATTERN, TITLE_RULE } from './law';
import { HASH_PATTERN, HASH_RULE, ID_PATTERN, ID_RULE } from './patterns';
import { effectivePeriod, type Enactment } from './rule-versioning';
import type { FeeRule } from './token';
import { parseFeeRule } from './token-input';

/** Most scopes one rule may apply to. */
const MAX_APPLIES_TO = 50;

/**
 * A rule as proposed: a machine-readable reading of one article of a law, applying to nodes of
 * the service hierarchy, optionally with a JSON Logic condition every record of those types
 * must satisfy. Ids of law and article must name enacted ones.
 */
export interface RuleContent {
  id: string;
  lawId: string;
  articleId: string;
  title: string;
  /** Hex SHA-256 of the rule's official wording. */
  textHash: string;
  /** Scopes (lib/authz-scope notation), e.g. `G2C/education.credential` or `education`. */
  appliesTo: string[];
  /** JSON Logic over `{payload, metadata, recordType, category}`; truthy means the record complies. */
  condition?: JsonValue;
  effectiveFrom: string;
  effectiveUntil?: string;
  /** An audit policy: records of the types the rule applies to need confirming by auditors. */
  audit?: AuditPolicy;
  /** A service fee: registering a record of the types the rule applies to costs this. */
  fee?: FeeRule;
}

/** One enacted version of a rule, under `rules.rule~v` [ruleId, version]. */
export interface Rule extends RuleContent, Enactment {
  docType: 'rule';
}

/** A rule version a record was checked against: the legal basis the record stores. */
export interface LegalBasis {
  ruleId: string;
  version: number;
  articleId: string;
  lawId: string;
}

const RULE_FIELDS = [
  'id',
  'lawId',
  'articleId',
  'title',
  'textHash',
  'appliesTo',
  'condition',
  'effectiveFrom',
  'effectiveUntil',
  'audit',
  'fee',
] as const;

/**
 * Parses a rule proposal's content, checking the condition's operators.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseRuleContent(input: InputObject): RuleContent {
  input.rejectUnknownFields(RULE_FIELDS);
  const rule: RuleContent = {
    id: input.string('id', ID_PATTERN, ID_RULE),
    lawId: input.string('lawId', ID_PATTERN, ID_RULE),
    articleId: input.string('articleId', ID_PATTERN, ID_RULE),
    title: input.string('title', TITLE_PATTERN, TITLE_RULE),
    textHash: input.string('textHash', HASH_PATTERN, HASH_RULE),
    appliesTo: parseAppliesTo(input),
    ...effectivePeriod(input),
  };
  if (input.has('condition')) {
    const condition = input.required('condition');
    checkCondition(condition, `${input.argName}: field "condition"`);
    rule.condition = condition;
  }
  if (input.has('audit')) {
    rule.audit = parseAuditPolicy(input.required('audit'), `${input.argName}: field "audit"`);
  }
  if (input.has('fee')) {
    rule.fee = parseFeeRule(input.required('fee'), `${input.argName}: field "fee"`);
  }
  return rule;
}

/** Reads appliesTo as canonical scopes, without repeats. */
function parseAppliesTo(input: InputObject): string[] {
  const raw = input.stringSet('appliesTo', /^[^\p{Cc}]{1,200}$/u, 'a scope', MAX_APPLIES_TO);
  const scopes = raw.map((s, i) => formatScope(parseScope(s, `${input.argName}: field "appliesTo[${i}]"`)));
  if (new Set(scopes).size !== scopes.length) {
    throw input.fieldError('appliesTo', 'must not repeat a scope');
  }
  return scopes;
}
