import { InputObject } from '../lib/input';
import { TITLE_PATTERN, TITLE_RULE } from './law';
import { HASH_PATTERN, HASH_RULE, ID_PATTERN, ID_RULE } from './patterns';
import { effectivePeriod, type Enactment } from './rule-versioning';

/** An article of a law as proposed; its id is unique within its law. */
export interface ArticleContent {
  lawId: string;
  id: string;
  title: string;
  /** Hex SHA-256 of the article's official text. */
  textHash: string;
  effectiveFrom: string;
  effectiveUntil?: string;
}

/** One enacted version of an article, under `rules.article~v` [lawId, articleId, version]. */
export interface ArticleVersion extends ArticleContent, Enactment {
  docType: 'article';
}

const ARTICLE_FIELDS = ['lawId', 'id', 'title', 'textHash', 'effectiveFrom', 'effectiveUntil'] as const;

/**
 * Parses an article proposal's content.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseArticleContent(input: InputObject): ArticleContent {
  input.rejectUnknownFields(ARTICLE_FIELDS);
  return {
    lawId: input.string('lawId', ID_PATTERN, ID_RULE),
    id: input.string('id', ID_PATTERN, ID_RULE),
    title: input.string('title', TITLE_PATTERN, TITLE_RULE),
    textHash: input.string('textHash', HASH_PATTERN, HASH_RULE),
    ...effectivePeriod(input),
  };
}

/** The id of an article's version head: `<lawId>/<articleId>`. */
export function articlePath(lawId: string, articleId: string): string {
  return `${lawId}/${articleId}`;
}
