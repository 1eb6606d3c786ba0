import type { Context } from 'fabric-contract-api';
import { articlePath, type ArticleVersion } from '../model/article';
import type { LawVersion } from '../model/law';
import type { Rule } from '../model/rule';
import { asVersionHead, type VersionedKind, type VersionHead } from '../model/rule-versioning';
import type { JsonObject } from './canonical';
import { NotFoundError, StateCorruptError } from './errors';
import { rulesKey, RulesObjectType, versionAttr } from './rules-engine-keys';
import { readObject } from './state';

/** Reads of the versioned rules repository (laws, articles, rules). */

/** Key attributes of a versioned entry's head. */
function headAttrs(kind: VersionedKind, id: string): string[] {
  return kind === 'article' ? id.split('/') : [id];
}

/** The object types of a kind's head and versions. */
export const KIND_TYPES = {
  law: { head: RulesObjectType.law, version: RulesObjectType.lawVersion },
  article: { head: RulesObjectType.article, version: RulesObjectType.articleVersion },
  rule: { head: RulesObjectType.rule, version: RulesObjectType.ruleVersion },
} as const;

/** Key of a versioned entry's head. */
export function headKey(ctx: Context, kind: VersionedKind, id: string): string {
  return rulesKey(ctx, KIND_TYPES[kind].head, headAttrs(kind, id));
}

/** Key of one version of a versioned entry. */
export function versionKey(ctx: Context, kind: VersionedKind, id: string, version: number): string {
  return rulesKey(ctx, KIND_TYPES[kind].version, [...headAttrs(kind, id), versionAttr(version)]);
}

/** Reads a head, or undefined when nothing of that id was ever enacted. */
export async function readHead(
  ctx: Context,
  kind: VersionedKind,
  id: string,
): Promise<VersionHead | undefined> {
  const value = await readObject(ctx, headKey(ctx, kind, id), `${kind} ${id}`);
  return value && asVersionHead(value, kind, id);
}

/**
 * Reads one version.
 * @throws NotFoundError "<kind> X has no version N".
 */
export async function readVersion(
  ctx: Context,
  kind: VersionedKind,
  id: string,
  version: number,
): Promise<JsonObject> {
  const value = await readObject(ctx, versionKey(ctx, kind, id, version), `${kind} ${id} version ${version}`);
  if (!value) {
    throw new NotFoundError(`${kind} ${id} has no version ${version}`);
  }
  if (value.docType !== kind || value.version !== version) {
    throw new StateCorruptError(`state under ${kind} ${id} version ${version} is not a ${kind}`);
  }
  return value;
}

/** Reads a rule's head. */
export function readRuleHead(ctx: Context, ruleId: string): Promise<VersionHead | undefined> {
  return readHead(ctx, 'rule', ruleId);
}

/** Reads one version of a rule. */
export async function readRuleVersion(ctx: Context, ruleId: string, version: number): Promise<Rule> {
  return (await readVersion(ctx, 'rule', ruleId, version)) as unknown as Rule;
}

/** Reads one version of a law. */
export async function readLawVersion(ctx: Context, lawId: string, version: number): Promise<LawVersion> {
  return (await readVersion(ctx, 'law', lawId, version)) as unknown as LawVersion;
}

/** Reads one version of an article. */
export async function readArticleVersion(
  ctx: Context,
  lawId: string,
  articleId: string,
  version: number,
): Promise<ArticleVersion> {
  return (await readVersion(
    ctx,
    'article',
    articlePath(lawId, articleId),
    version,
  )) as unknown as ArticleVersion;
}
