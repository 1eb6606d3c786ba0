import { InputObject } from '../lib/input';
import { HASH_PATTERN, HASH_RULE, ID_PATTERN, ID_RULE } from './patterns';
import { effectivePeriod, type Enactment } from './rule-versioning';

/** Printable text without control characters, 1-300 characters. */
export const TITLE_PATTERN = /^[^\p{Cc}]{1,300}$/u;
/** Describes {@link TITLE_PATTERN}. */
export const TITLE_RULE = '1-300 characters without control characters';

/** A law (legal act) as proposed: the text stays off chain, the ledger holds its SHA-256. */
export interface LawContent {
  id: string;
  title: string;
  /** Hex SHA-256 of the official text. */
  textHash: string;
  effectiveFrom: string;
  effectiveUntil?: string;
}

/** One enacted version of a law, under `rules.law~v` [lawId, version]. */
export interface LawVersion extends LawContent, Enactment {
  docType: 'law';
}

const LAW_FIELDS = ['id', 'title', 'textHash', 'effectiveFrom', 'effectiveUntil'] as const;

/**
 * Parses a law proposal's content.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseLawContent(input: InputObject): LawContent {
  input.rejectUnknownFields(LAW_FIELDS);
  return {
    id: input.string('id', ID_PATTERN, ID_RULE),
    title: input.string('title', TITLE_PATTERN, TITLE_RULE),
    textHash: input.string('textHash', HASH_PATTERN, HASH_RULE),
    ...effectivePeriod(input),
  };
}
