import type { JsonObject } from '../lib/canonical';
import { StateCorruptError } from '../lib/errors';
import type { InputObject } from '../lib/input';

/**
 * Versioning shared by laws, articles and rules: every enactment adds a version with its own
 * effective period; older versions stay. Times are ISO 8601 UTC with milliseconds, so string
 * order is time order.
 */

/** What the governance process adds to every enacted version. */
export interface Enactment {
  version: number;
  /** The proposal that enacted it. */
  proposalId: string;
  /** Transaction time of the enacting approval. */
  enactedAt: string;
  enactedTxId: string;
}

/** One entry of a head's version list. */
export interface VersionRef extends Enactment {
  effectiveFrom: string;
  effectiveUntil?: string;
}

/** The head of a versioned law, article or rule: its versions, oldest first. */
export interface VersionHead {
  docType: 'versions';
  kind: VersionedKind;
  /** The id (for an article `<lawId>/<articleId>`). */
  id: string;
  versions: VersionRef[];
}

/** What is versioned. */
export const VERSIONED_KINDS = ['law', 'article', 'rule'] as const;
/** One of {@link VERSIONED_KINDS}. */
export type VersionedKind = (typeof VERSIONED_KINDS)[number];

/** Most versions one law, article or rule may have. */
export const MAX_VERSIONS = 500;

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)?$/;
const TIME_RULE = 'an ISO 8601 date (2025-01-01) or UTC date-time (2025-01-01T00:00:00Z)';

/**
 * Reads an effective-from / effective-until field and normalizes it to `YYYY-MM-DDTHH:mm:ss.sssZ`
 * (a date means its first millisecond, UTC).
 * @throws InvalidArgumentError when it is not a real calendar date or time.
 */
export function effectiveTime(input: InputObject, field: string): string {
  const value = input.string(field, DATE_OR_TIME, TIME_RULE);
  const full = value.length === 10 ? `${value}T00:00:00Z` : value;
  const parsed = new Date(full); // parsing a fixed string reads no clock
  // rejects 2025-02-30, which Date would roll over into March
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== full.slice(0, 19)) {
    throw input.fieldError(field, `must be ${TIME_RULE}; ${value.slice(0, 10)} is not a calendar date`);
  }
  return parsed.toISOString();
}

/** Reads effectiveFrom and the optional effectiveUntil, which must come after it. */
export function effectivePeriod(input: InputObject): { effectiveFrom: string; effectiveUntil?: string } {
  const effectiveFrom = effectiveTime(input, 'effectiveFrom');
  if (!input.has('effectiveUntil')) {
    return { effectiveFrom };
  }
  const effectiveUntil = effectiveTime(input, 'effectiveUntil');
  if (effectiveUntil <= effectiveFrom) {
    throw input.fieldError('effectiveUntil', 'must be after effectiveFrom');
  }
  return { effectiveFrom, effectiveUntil };
}

/**
 * The version in force at `time`: of the versions enacted by then and effective from then, the
 * newest; none when that one's effective period has ended (a newer version replaces an older one
 * from its own effectiveFrom on, even when the older had no end).
 */
export function versionInForce(head: VersionHead, time: string): VersionRef | undefined {
  let current: VersionRef | undefined;
  for (const ref of head.versions) {
    if (ref.enactedAt <= time && ref.effectiveFrom <= time) {
      current = ref;
    }
  }
  if (current && current.effectiveUntil !== undefined && current.effectiveUntil <= time) {
    return undefined;
  }
  return current;
}

/** A new head, or `head` with one more version. */
export function addVersion(
  head: VersionHead | undefined,
  kind: VersionedKind,
  id: string,
  ref: VersionRef,
): VersionHead {
  const versions = head ? [...head.versions, ref] : [ref];
  if (versions.length > MAX_VERSIONS) {
    throw new StateCorruptError(`${kind} ${id} already has ${MAX_VERSIONS} versions`);
  }
  return { docType: 'versions', kind, id, versions };
}

/**
 * Types a parsed world-state value as a version head.
 * @throws StateCorruptError when it is not one.
 */
export function asVersionHead(value: JsonObject, kind: VersionedKind, id: string): VersionHead {
  if (
    value.docType !== 'versions' ||
    value.kind !== kind ||
    value.id !== id ||
    !Array.isArray(value.versions)
  ) {
    throw new StateCorruptError(`state under ${kind} ${id} is not a version list`);
  }
  return value as unknown as VersionHead;
}
