import type { Context } from 'fabric-contract-api';
import { articlePath } from '../model/article';
import type { Proposal, ProposalContent, ProposalOutcome } from '../model/proposal';
import { asSetting, type Setting } from '../model/proposal-setting';
import { addVersion, type Enactment, type VersionedKind } from '../model/rule-versioning';
import { scopeAttributes, parseScope } from './authz-scope';
import { InvalidArgumentError } from './errors';
import { INDEX_VALUE } from './keys';
import { indexRuleScopes } from './rules-engine-scopes';
import { headKey, readHead, readRuleVersion, versionKey } from './rules-engine-store';
import { rulesKey, RulesObjectType } from './rules-engine-keys';
import { readObject, writeObject } from './state';

/**
 * Enactment: turns an approved proposal into a new version of a law, article, rule or setting.
 * Older versions are never rewritten; a head lists them all with their effective periods.
 */

/**
 * Checks that what a proposal refers to exists: an article's law, a rule's law and article.
 * Run when proposing and again when enacting.
 * @throws InvalidArgumentError naming what is missing.
 */
export async function checkReferences(ctx: Context, p: ProposalContent): Promise<void> {
  if (p.kind === 'setting' && p.content.name === 'currency') {
    const current = await readSetting(ctx, 'currency');
    const code = (current?.versions[current.versions.length - 1].value as { code?: string } | undefined)
      ?.code;
    if (code !== undefined && code !== p.content.value.code) {
      throw new InvalidArgumentError(
        `the currency is ${code}; a supply policy cannot change its code to ${p.content.value.code}`,
      );
    }
  }
  if (p.kind === 'article' && !(await readHead(ctx, 'law', p.content.lawId))) {
    throw new InvalidArgumentError(
      `article ${p.content.id} refers to law ${p.content.lawId}, which was never enacted`,
    );
  }
  if (p.kind === 'rule') {
    const { lawId, articleId } = p.content;
    await checkSameArticle(ctx, p.content.id, lawId, articleId);
    if (!(await readHead(ctx, 'article', articlePath(lawId, articleId)))) {
      throw new InvalidArgumentError(
        `rule ${p.content.id} refers to article ${articleId} of law ${lawId}, which was never enacted`,
      );
    }
  }
}

/**
 * A rule stays under the article it was first enacted for (the tree index is never rewritten).
 * @throws InvalidArgumentError naming the rule's article.
 */
async function checkSameArticle(
  ctx: Context,
  ruleId: string,
  lawId: string,
  articleId: string,
): Promise<void> {
  const head = await readHead(ctx, 'rule', ruleId);
  if (!head) return;
  const first = await readRuleVersion(ctx, ruleId, 1);
  if (first.lawId !== lawId || first.articleId !== articleId) {
    throw new InvalidArgumentError(
      `rule ${ruleId} belongs to article ${first.articleId} of law ${first.lawId}; a new version cannot move it`,
    );
  }
}

/** Enacts an approved proposal as the next version of its target. */
export async function enact(
  ctx: Context,
  p: Proposal,
  facts: { at: string; txId: string },
): Promise<NonNullable<ProposalOutcome['enacted']>> {
  await checkReferences(ctx, p);
  const base = { proposalId: p.id, enactedAt: facts.at, enactedTxId: facts.txId };
  switch (p.kind) {
    case 'law':
      return addEntryVersion(ctx, 'law', p.content.id, p.content, base);
    case 'article':
      return addEntryVersion(ctx, 'article', articlePath(p.content.lawId, p.content.id), p.content, base);
    case 'rule': {
      const { id, lawId, articleId, appliesTo } = p.content;
      await indexRuleScopes(
        ctx,
        id,
        appliesTo.map((scope) => scopeAttributes(parseScope(scope))),
      );
      await ctx.stub.putState(
        rulesKey(ctx, RulesObjectType.articleIndex, [lawId, articleId, id]),
        INDEX_VALUE,
      );
      return addEntryVersion(ctx, 'rule', id, p.content, base);
    }
    case 'setting':
      return enactSetting(ctx, p.content.name, p.content.value, base);
  }
}

/** Writes version n+1 of a law, article or rule and its head. */
async function addEntryVersion(
  ctx: Context,
  kind: VersionedKind,
  id: string,
  content: { effectiveFrom: string; effectiveUntil?: string },
  base: Omit<Enactment, 'version'>,
): Promise<{ kind: VersionedKind; id: string; version: number }> {
  const head = await readHead(ctx, kind, id);
  const version = (head?.versions.length ?? 0) + 1;
  const enactment: Enactment = { version, ...base };
  await writeObject(ctx, versionKey(ctx, kind, id, version), { docType: kind, ...content, ...enactment });
  const ref = {
    ...enactment,
    effectiveFrom: content.effectiveFrom,
    ...(content.effectiveUntil ? { effectiveUntil: content.effectiveUntil } : {}),
  };
  await writeObject(ctx, headKey(ctx, kind, id), addVersion(head, kind, id, ref));
  return { kind, id, version };
}

/** Appends a value to a governed setting. */
async function enactSetting(
  ctx: Context,
  name: Setting['name'],
  value: Setting['versions'][number]['value'],
  base: Omit<Enactment, 'version'>,
): Promise<{ kind: 'setting'; id: string; version: number }> {
  const setting = await readSetting(ctx, name);
  const version = (setting?.versions.length ?? 0) + 1;
  const next: Setting = {
    docType: 'setting',
    name,
    versions: [...(setting?.versions ?? []), { version, ...base, value }],
  };
  await writeObject(ctx, rulesKey(ctx, RulesObjectType.setting, [name]), next);
  return { kind: 'setting', id: name, version };
}

/** Reads a governed setting, or undefined when it was never enacted (its default applies). */
export async function readSetting(ctx: Context, name: string): Promise<Setting | undefined> {
  const value = await readObject(ctx, rulesKey(ctx, RulesObjectType.setting, [name]), `setting ${name}`);
  return value && asSetting(value, name);
}
