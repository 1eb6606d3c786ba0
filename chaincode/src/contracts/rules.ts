import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { parseScope } from '../lib/authz-scope';
import { canonicalJson, type JsonObject } from '../lib/canonical';
import { InvalidArgumentError, NotFoundError } from '../lib/errors';
import { checkArgument, InputObject } from '../lib/input';
import { readPartialCompositeKey } from '../lib/query';
import { evaluateRules, rulesInForce } from '../lib/rules-engine';
import { RulesObjectType } from '../lib/rules-engine-keys';
import { parsePageSize, readPage } from '../lib/rules-engine-page';
import { readHead, readVersion } from '../lib/rules-engine-store';
import { txTimestampISO } from '../lib/time';
import { articlePath } from '../model/article';
import { RECORD_CATEGORIES } from '../model/record';
import { ID_PATTERN, ID_RULE, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE } from '../model/patterns';
import { versionInForce, type VersionedKind, type VersionHead } from '../model/rule-versioning';

/** Most articles of one law, and rules of one article, the tree query returns. */
const MAX_TREE_CHILDREN = 200;
/** An article's id in queries: `<lawId>/<articleId>`. */
const ARTICLE_PATH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\/[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** An ISO 8601 UTC time argument, or '' for the transaction time. */
const AT_PATTERN = /^(|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)$/;

/**
 * The `rules` contract: the repository of laws, their articles and the machine-checkable rules
 * read from them, all versioned. It only reads: everything changes through the `governance`
 * contract. EvaluateRecord is a dry run of the check RegisterRecord and AmendRecord perform.
 */
@Info({ title: 'rules', description: 'Laws, articles and rules by record type, with their versions' })
export class RulesContract extends Contract {
  constructor() {
    super('rules');
  }

  /**
   * Returns the newest version of a rule.
   * @throws NotFoundError "rule X does not exist".
   */
  @Transaction(false)
  @Param('ruleId', 'string', 'rule id')
  @Returns('JsonObject')
  async GetRule(ctx: Context, ruleId: string): Promise<string> {
    const head = await requireHead(ctx, 'rule', checkArgument('ruleId', ruleId, ID_PATTERN, ID_RULE));
    return canonicalJson(await readVersion(ctx, 'rule', ruleId, head.versions.length));
  }

  /** Returns every version of a law, article or rule, oldest first, with its effective period. */
  @Transaction(false)
  @Param('kind', 'string', 'law, article or rule')
  @Param('id', 'string', 'id')
  @Returns('JsonObject')
  async GetVersions(ctx: Context, kind: string, id: string): Promise<string> {
    const head = await requireHead(ctx, parseKind(kind), id);
    const versions = [];
    for (const ref of head.versions) versions.push(await readVersion(ctx, head.kind, head.id, ref.version));
    return canonicalJson({ kind: head.kind, id: head.id, versions });
  }

  /**
   * Returns the version of a law, article (`<lawId>/<articleId>`) or rule in force at a time.
   * @param at - ISO 8601 UTC time, or '' for the transaction time.
   * @throws NotFoundError when no version is in force then.
   */
  @Transaction(false)
  @Param('kind', 'string', 'law, article or rule')
  @Param('id', 'string', 'id')
  @Param('at', 'string', 'ISO 8601 time; empty for the transaction time')
  @Returns('JsonObject')
  async GetInForce(ctx: Context, kind: string, id: string, at: string): Promise<string> {
    const head = await requireHead(ctx, parseKind(kind), id);
    const time = parseAt(ctx, at);
    const ref = versionInForce(head, time);
    if (!ref) {
      throw new NotFoundError(`${head.kind} ${id} has no version in force at ${time}`);
    }
    return canonicalJson(await readVersion(ctx, head.kind, id, ref.version));
  }

  /** Lists the laws (heads with their versions) by id, one page at a time. */
  @Transaction(false)
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('JsonObject')
  async ListLaws(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
    const page = await readPage(ctx, RulesObjectType.law, [], parsePageSize(pageSize), bookmark, (_k, v) =>
      JSON.parse(Buffer.from(v).toString('utf8')),
    );
    return canonicalJson(page);
  }

  /**
   * Returns the tree of a law as in force at a time: the law version, each article's version and
   * each rule's version (entries not in force then are listed with `inForce: null`).
   * @param at - ISO 8601 UTC time, or '' for the transaction time.
   */
  @Transaction(false)
  @Param('lawId', 'string', 'law id')
  @Param('at', 'string', 'ISO 8601 time; empty for the transaction time')
  @Returns('JsonObject')
  async GetLawTree(ctx: Context, lawId: string, at: string): Promise<string> {
    const law = await requireHead(ctx, 'law', checkArgument('lawId', lawId, ID_PATTERN, ID_RULE));
    const time = parseAt(ctx, at);
    const articles = await readPartialCompositeKey(ctx, RulesObjectType.article, [lawId], MAX_TREE_CHILDREN);
    const children = [];
    for (const entry of articles.entries) {
      const articleId = ctx.stub.splitCompositeKey(entry.key).attributes[1];
      const rules = await readPartialCompositeKey(
        ctx,
        RulesObjectType.articleIndex,
        [lawId, articleId],
        MAX_TREE_CHILDREN,
      );
      const ruleNodes = [];
      for (const r of rules.entries) {
        ruleNodes.push(await nodeAt(ctx, 'rule', ctx.stub.splitCompositeKey(r.key).attributes[2], time));
      }
      children.push({
        ...(await nodeAt(ctx, 'article', articlePath(lawId, articleId), time)),
        rules: ruleNodes,
        rulesTruncated: rules.truncated,
      });
    }
    return canonicalJson({
      at: time,
      law: await nodeAt(ctx, 'law', law.id, time),
      articles: children,
      articlesTruncated: articles.truncated,
    });
  }

  /**
   * Returns the rules in force at a time for a record category and type, ordered by rule id.
   * @param at - ISO 8601 UTC time, or '' for the transaction time.
   */
  @Transaction(false)
  @Param('category', 'string', 'G2C, G2B, G2G or G2E')
  @Param('recordType', 'string', 'dotted record type, e.g. education.credential')
  @Param('at', 'string', 'ISO 8601 time; empty for the transaction time')
  @Returns('JsonObject[]')
  async GetRulesForRecordType(
    ctx: Context,
    category: string,
    recordType: string,
    at: string,
  ): Promise<string> {
    const target = parseScope(
      `${checkCategory(category)}/${checkArgument('recordType', recordType, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE)}`,
    );
    return canonicalJson(await rulesInForce(ctx, target, parseAt(ctx, at)));
  }

  /**
   * Dry run of the rules check: evaluates every rule in force for a record without storing it.
   * @param recordJson - `{category, recordType, payload, metadata?}`.
   * @returns `{legalBasis}`: the rule versions the record passes.
   * @throws RuleViolationError naming the violated rule, its version and article.
   */
  @Transaction(false)
  @Param(
    'recordJson',
    'string',
    'JSON {id, category, recordType, subjectRef, payload, schemaVersion?}; personal fields and the salt go in the transient map',
  )
  @Returns('JsonObject')
  async EvaluateRecord(ctx: Context, recordJson: string): Promise<string> {
    const input = InputObject.parse('recordJson', recordJson);
    input.rejectUnknownFields(['category', 'recordType', 'payload', 'metadata']);
    const legalBasis = await evaluateRules(ctx, {
      category: input.oneOf('category', RECORD_CATEGORIES),
      recordType: input.string('recordType', RECORD_TYPE_PATTERN, RECORD_TYPE_RULE),
      payload: input.object('payload'),
      metadata: input.has('metadata') ? input.object('metadata') : {},
    });
    return canonicalJson({ legalBasis });
  }
}

/** A node of the law tree: id, number of versions, and the version in force (or null). */
interface TreeNode {
  id: string;
  versions: number;
  inForce: JsonObject | null;
}

/** A tree node at `time`. */
async function nodeAt(ctx: Context, kind: VersionedKind, id: string, time: string): Promise<TreeNode> {
  const head = await requireHead(ctx, kind, id);
  const ref = versionInForce(head, time);
  return {
    id,
    versions: head.versions.length,
    inForce: ref ? await readVersion(ctx, kind, id, ref.version) : null,
  };
}

/**
 * Reads a head.
 * @throws NotFoundError "<kind> X does not exist".
 */
async function requireHead(ctx: Context, kind: VersionedKind, id: string): Promise<VersionHead> {
  if (kind === 'article') {
    checkArgument('id', id, ARTICLE_PATH_PATTERN, '<lawId>/<articleId>');
  } else {
    checkArgument('id', id, ID_PATTERN, ID_RULE);
  }
  const head = await readHead(ctx, kind, id);
  if (!head) {
    throw new NotFoundError(`${kind} ${id} does not exist`);
  }
  return head;
}

/** Checks a kind argument. */
function parseKind(kind: string): VersionedKind {
  return checkArgument('kind', kind, /^(law|article|rule)$/, 'law, article or rule') as VersionedKind;
}

/** Checks a category argument. */
function checkCategory(category: string): string {
  return checkArgument('category', category, /^G2[CBGE]$/, `one of ${RECORD_CATEGORIES.join(', ')}`);
}

/** An `at` argument as a normalized time; '' is the transaction time. */
function parseAt(ctx: Context, at: string): string {
  checkArgument('at', at, AT_PATTERN, "an ISO 8601 UTC date-time or ''");
  if (at === '') return txTimestampISO(ctx);
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) {
    throw new InvalidArgumentError('at must be a real date-time');
  }
  return time.toISOString();
}
