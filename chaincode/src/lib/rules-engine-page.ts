import type { Context } from 'fabric-contract-api';
import { InvalidArgumentError } from './errors';
import { checkBookmark } from './query';

/** Largest page a list query returns. */
export const MAX_PAGE_SIZE = 100;

/** One page of a list query. */
export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; '' when this was the last one. */
  bookmark: string;
}

/**
 * Checks a pageSize argument (a decimal string, 1 to {@link MAX_PAGE_SIZE}).
 * @throws InvalidArgumentError naming the limit.
 */
export function parsePageSize(pageSize: string): number {
  const n = /^[0-9]{1,4}$/.test(pageSize) ? Number(pageSize) : NaN;
  if (!(n >= 1 && n <= MAX_PAGE_SIZE)) {
    throw new InvalidArgumentError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return n;
}

/**
 * Reads one page of entries under a partial composite key with Fabric's paginated query, closing
 * the iterator. Fabric allows paginated queries only in transactions that write nothing, so only
 * evaluate (query) transactions may call this.
 * @param bookmark - '' for the first page, else the bookmark of the previous page.
 * @throws InvalidArgumentError for a bookmark outside the range ({@link checkBookmark}).
 */
export async function readPage<T>(
  ctx: Context,
  objectType: string,
  attributes: string[],
  pageSize: number,
  bookmark: string,
  map: (key: string, value: Uint8Array) => Promise<T> | T,
): Promise<Page<T>> {
  checkBookmark(ctx, objectType, attributes, bookmark);
  const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
    objectType,
    attributes,
    pageSize,
    bookmark,
  );
  const items: T[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      items.push(await map(r.value.key, r.value.value));
    }
  } finally {
    await iterator.close();
  }
  return { items, bookmark: metadata?.bookmark ?? '' };
}
