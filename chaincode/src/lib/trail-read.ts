import type { Context } from 'fabric-contract-api';
import { unmarshal } from './canonical';
import { LimitExceededError } from './errors';
import { checkRangeBookmark } from './query';
import type { Page } from './rules-engine-page';
import { readCarriedEntry } from './record-trail';
import { readHead } from './trail';
import { chainRange } from './trail-keys';
import {
  asTrailEntry,
  entryHash,
  GENESIS_HASH,
  type TrailEntry,
  type TrailIndexEntry,
  type TrailTarget,
} from './trail-entry';

/**
 * Reading the audit trail: pages of a target's chain or of an index window (Fabric's paginated
 * range query, so evaluate only), bounded whole reads for reports, and chain verification.
 */

/** Most entries VerifyTrail recomputes, and most index entries a report reads. */
export const MAX_TRAIL_READ = 5000;

/**
 * Reads one page of a key range with getStateByRangeWithPagination.
 * @param bookmark - '' or the bookmark of the previous page of the same range.
 * @throws InvalidArgumentError for a bookmark outside the range (a forged one could reach other keys).
 */
export async function readRangePage<T>(
  ctx: Context,
  [start, end]: [string, string],
  pageSize: number,
  bookmark: string,
  map: (key: string, value: Uint8Array) => T,
): Promise<Page<T>> {
  checkRangeBookmark([start, end], bookmark);
  const { iterator, metadata } = await ctx.stub.getStateByRangeWithPagination(
    bookmark === '' ? start : bookmark,
    end,
    pageSize,
    '',
  );
  const items: T[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      items.push(map(r.value.key, r.value.value));
    }
  } finally {
    await iterator.close();
  }
  return { items, bookmark: metadata?.bookmark ?? '' };
}

/**
 * Reads a whole key range, at most `limit` entries.
 * @throws LimitExceededError beyond `limit`, naming `what`.
 */
export async function readRangeAll<T>(
  ctx: Context,
  [start, end]: [string, string],
  limit: number,
  what: string,
  map: (key: string, value: Uint8Array) => T,
): Promise<T[]> {
  const iterator = await ctx.stub.getStateByRange(start, end);
  const items: T[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      if (items.length === limit) {
        throw new LimitExceededError(`${what} has more than ${limit} entries; narrow the query`);
      }
      items.push(map(r.value.key, r.value.value));
    }
  } finally {
    await iterator.close();
  }
  return items;
}

/**
 * One page of a target's chain, oldest first. A record that carries its entry 1 (lib/record-trail)
 * has it first on the first page, followed by its stored entries; with a page size of 1 the
 * first page holds it alone and bookmarks the start of the stored ones.
 * @param bookmark - '' for the first page, else the previous page's bookmark.
 */
export async function readChainPage(
  ctx: Context,
  target: TrailTarget,
  pageSize: number,
  bookmark: string,
): Promise<Page<TrailEntry>> {
  const range = chainRange(target);
  const carried = bookmark === '' ? await readCarriedEntry(ctx, target) : undefined;
  if (carried === undefined) return readRangePage(ctx, range, pageSize, bookmark, parseEntry);
  if (pageSize === 1) return { items: [carried], bookmark: range[0] };
  const rest = await readRangePage(ctx, range, pageSize - 1, '', parseEntry);
  return { items: [carried, ...rest.items], bookmark: rest.bookmark };
}

/** Parses a trail entry read from a range. */
export function parseEntry(key: string, value: Uint8Array): TrailEntry {
  return asTrailEntry(unmarshal(value, `trail entry ${JSON.stringify(key)}`), key);
}

/** Parses an index entry read from a range. */
export function parseIndexEntry(key: string, value: Uint8Array): TrailIndexEntry {
  return unmarshal(value, `trail index entry ${JSON.stringify(key)}`) as unknown as TrailIndexEntry;
}

/** The first place a chain does not hold, as VerifyTrail reports it. */
export interface TrailBreak {
  seq: number;
  reason: string;
}

/** Result of verifying a target's chain. */
export interface TrailVerification {
  targetType: string;
  targetId: string;
  /** Entries read. */
  entries: number;
  valid: boolean;
  /** Hash of the last entry (the chain's head) when valid. */
  headHash?: string;
  firstBreak?: TrailBreak;
}

/**
 * Recomputes a target's chain: every entry's hash, each link to its predecessor, gapless sequence
 * numbers and the head. Reports the first break, if any.
 * @throws LimitExceededError beyond {@link MAX_TRAIL_READ} entries.
 */
export async function verifyTrail(ctx: Context, target: TrailTarget): Promise<TrailVerification> {
  const carried = await readCarriedEntry(ctx, target);
  const stored = await readRangeAll(
    ctx,
    chainRange(target),
    carried ? MAX_TRAIL_READ - 1 : MAX_TRAIL_READ,
    `the trail of ${target.type} ${target.id}`,
    parseEntry,
  );
  const entries = carried ? [carried, ...stored] : stored;
  const head = await readHead(ctx, target);
  const base = { targetType: target.type, targetId: target.id, entries: entries.length };
  const firstBreak = findBreak(entries, target, head);
  return firstBreak ? { ...base, valid: false, firstBreak } : { ...base, valid: true, headHash: head.hash };
}

/** The first break of a chain read in key (= seq) order, or undefined. */
export function findBreak(
  entries: TrailEntry[],
  target: TrailTarget,
  head: { seq: number; hash: string },
): TrailBreak | undefined {
  let prev = GENESIS_HASH;
  for (const [i, entry] of entries.entries()) {
    const seq = i + 1;
    if (entry.seq !== seq) {
      return { seq, reason: `entry ${seq} is missing (found seq ${entry.seq} in its place)` };
    }
    if (entry.targetType !== target.type || entry.targetId !== target.id) {
      return { seq, reason: `entry ${seq} names another target` };
    }
    if (entry.prevHash !== prev) {
      return { seq, reason: `entry ${seq} does not link to the hash of entry ${seq - 1}` };
    }
    if (entryHash(entry) !== entry.hash) {
      return { seq, reason: `entry ${seq} was altered: its content does not match its hash` };
    }
    prev = entry.hash;
  }
  if (head.seq !== entries.length) {
    return {
      seq: Math.min(head.seq, entries.length) + 1,
      reason: `the chain head names entry ${head.seq} but ${entries.length} entries end the chain`,
    };
  }
  if (head.hash !== prev) {
    return { seq: entries.length, reason: `entry ${entries.length} does not match the chain head's hash` };
  }
  return undefined;
}
