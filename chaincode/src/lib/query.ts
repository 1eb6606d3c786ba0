import type { Context } from 'fabric-contract-api';
import type { Iterators } from 'fabric-shim';
import { InvalidArgumentError } from './errors';

/** One key/value read by a range query. */
export interface StateEntry {
  key: string;
  value: Uint8Array;
}

/** Result of a bounded range query. */
export interface BoundedResult {
  /** At most `limit` entries, in key order. */
  entries: StateEntry[];
  /** True when more entries matched than `limit` (they were not read). */
  truncated: boolean;
}

/**
 * Reads at most `limit` entries under a partial composite key. The iterator is always closed,
 * also on error: the peer keeps an open query per iterator until the transaction ends. Rich
 * queries (getQueryResult) are never used: they do not exist on LevelDB and are not re-validated.
 */
export async function readPartialCompositeKey(
  ctx: Context,
  objectType: string,
  attributes: string[],
  limit: number,
): Promise<BoundedResult> {
  return collectBounded(await ctx.stub.getStateByPartialCompositeKey(objectType, attributes), limit);
}

/**
 * Reads at most `limit` entries from a range iterator (world state or private data) and closes
 * it, also on error. An iterator read to its end is closed already: the peer sends the last
 * results with has_more = false and drops the query in the same step (Fabric's
 * QueryResponseGenerator calls CleanupQueryContext; devnet's buildQueryResponse likewise), so a
 * QueryStateClose then would be one more chaincode-to-peer round trip that does nothing.
 */
export async function collectBounded(
  iterator: Iterators.StateQueryIterator,
  limit: number,
): Promise<BoundedResult> {
  const entries: StateEntry[] = [];
  let exhausted = false;
  try {
    // read one past the limit to learn whether the result was cut
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
      if (entries.length === limit) {
        return { entries, truncated: true };
      }
      entries.push({ key: result.value.key, value: result.value.value });
    }
    exhausted = true;
    return { entries, truncated: false };
  } finally {
    if (!exhausted) await iterator.close();
  }
}

/**
 * Refuses a bookmark that does not lie inside the range a paginated query serves. Fabric starts a
 * paginated range at the bookmark itself (the next page's first key), so a forged one such as
 * `\u0000` would walk other object types' keys; every paginated query checks here, so peer CLI
 * and SDK callers get the same answer as the HTTP gateway's.
 * @param bookmark - '' for the first page, else a key under the partial composite key
 *   `objectType`/`attributes`.
 * @throws InvalidArgumentError when it is neither.
 */
export function checkBookmark(
  ctx: Context,
  objectType: string,
  attributes: string[],
  bookmark: string,
): void {
  if (typeof bookmark === 'string') {
    if (bookmark === '') return;
    if (bookmark.startsWith(ctx.stub.createCompositeKey(objectType, attributes))) return;
  }
  throw new InvalidArgumentError(
    'bookmark must be empty or the bookmark of the previous page of the same listing',
  );
}

/**
 * Like {@link checkBookmark} for a paginated query over a range of simple keys [start, end) (the
 * audit trail's time-window indexes): the bookmark must be '' or a key inside the range.
 * @throws InvalidArgumentError when it is neither.
 */
export function checkRangeBookmark([start, end]: [string, string], bookmark: string): void {
  if (typeof bookmark === 'string' && (bookmark === '' || (bookmark >= start && bookmark < end))) return;
  throw new InvalidArgumentError(
    'bookmark must be empty or the bookmark of the previous page of the same listing',
  );
}
