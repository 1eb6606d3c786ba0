import type { Context } from 'fabric-contract-api';

/**
 * World-state keys of the rules repository and its governance (composite keys, see lib/keys.ts).
 * Laws, articles and rules are versioned: a head (the list of versions and when each is in
 * force) and one key per version, so enacting a version never rewrites an older one.
 */
export const RulesObjectType = {
  /** `rules.law` [lawId] → VersionHead; `rules.law~v` [lawId, v] → LawVersion */
  law: 'rules.law',
  lawVersion: 'rules.law~v',
  /** `rules.article` [lawId, articleId] → VersionHead; `rules.article~v` [lawId, articleId, v] */
  article: 'rules.article',
  articleVersion: 'rules.article~v',
  /** `rules.rule` [ruleId] → VersionHead; `rules.rule~v` [ruleId, v] → RuleVersion */
  rule: 'rules.rule',
  ruleVersion: 'rules.rule~v',
  /** `rules.scope~rule` [category|*, path|*, ruleId] → 0x00: rules by the scope they apply to */
  scopeIndex: 'rules.scope~rule',
  /** `rules.scope-node` [category|*, path|*] → the rule ids of that node (lib/rules-engine-scopes) */
  scopeNode: 'rules.scope-node',
  /** `rules.scope-nodes` [] → the nodes that have a `rules.scope-node` key */
  scopeNodes: 'rules.scope-nodes',
  /** `rules.article~rule` [lawId, articleId, ruleId] → 0x00: the tree below an article */
  articleIndex: 'rules.article~rule',
  /** `gov.proposal` [proposalId] → Proposal */
  proposal: 'gov.proposal',
  /** `gov.approval` [proposalId, mspId] → Approval: one key per ministry and proposal */
  approval: 'gov.approval',
  /** `gov.setting` [name] → Setting (versioned in its own value history) */
  setting: 'gov.setting',
} as const;

/** Version numbers are zero-padded in keys so that key order is version order. */
export function versionAttr(version: number): string {
  return String(version).padStart(7, '0');
}

/** A composite key of the rules repository. */
export function rulesKey(
  ctx: Context,
  type: (typeof RulesObjectType)[keyof typeof RulesObjectType],
  attributes: string[],
): string {
  return ctx.stub.createCompositeKey(type, attributes);
}
