import type { Context } from 'fabric-contract-api';
import type { Iterators } from 'fabric-shim';
import { marshal, unmarshal, type JsonObject } from './canonical';
import { EgovError } from './errors';
import { collectBounded, readPartialCompositeKey, type BoundedResult } from './query';
import { readState } from './state';

/**
 * Where the currency keeps an account's outputs and movements: the channel's world state for
 * public accounts, the ministry's `accounts<MSP>` collection for citizens' accounts. The currency
 * code reads and writes through a book, so public and private accounts share one implementation;
 * a private book never touches world state.
 */
export interface Book {
  /** The private data collection, or undefined for world state. */
  collection?: string;
}

/** The public book. */
export const PUBLIC_BOOK: Book = {};

/**
 * What Fabric's query executor answers when a key's hash is on the channel but this peer does not
 * hold the value (not a member of the collection).
 */
const NOT_HELD_MESSAGE = 'private data matching public hash version is not available';

/** Reads and parses the object under `key`, or undefined. */
export async function bookRead(
  ctx: Context,
  book: Book,
  key: string,
  what: string,
): Promise<JsonObject | undefined> {
  let bytes: Uint8Array;
  if (book.collection === undefined) {
    bytes = await readState(ctx, key);
  } else {
    try {
      bytes = await ctx.stub.getPrivateData(book.collection, key);
    } catch (err) {
      if (String((err as Error)?.message ?? err).includes(NOT_HELD_MESSAGE)) {
        throw new NotMemberError(book.collection);
      }
      throw err;
    }
  }
  return bytes && bytes.length > 0 ? unmarshal(bytes, what) : undefined;
}

/** Writes an object as canonical JSON. */
export async function bookWrite(ctx: Context, book: Book, key: string, value: object): Promise<void> {
  await bookPut(ctx, book, key, marshal(value));
}

/** Writes raw bytes. */
export async function bookPut(ctx: Context, book: Book, key: string, bytes: Uint8Array): Promise<void> {
  if (book.collection === undefined) await ctx.stub.putState(key, bytes);
  else await ctx.stub.putPrivateData(book.collection, key, bytes);
}

/** Deletes a key. */
export async function bookDelete(ctx: Context, book: Book, key: string): Promise<void> {
  if (book.collection === undefined) await ctx.stub.deleteState(key);
  else await ctx.stub.deletePrivateData(book.collection, key);
}

/**
 * Reads at most `limit` entries under a partial composite key; the iterator is always closed.
 * @returns the entries in key order and whether more matched.
 */
export async function bookRange(
  ctx: Context,
  book: Book,
  objectType: string,
  attributes: string[],
  limit: number,
): Promise<BoundedResult> {
  if (book.collection === undefined) return readPartialCompositeKey(ctx, objectType, attributes, limit);
  // fabric-shim resolves its private range queries to {iterator} (its public ones to the iterator)
  const result = (await ctx.stub.getPrivateDataByPartialCompositeKey(
    book.collection,
    objectType,
    attributes,
  )) as Iterators.StateQueryIterator | { iterator: Iterators.StateQueryIterator };
  return collectBounded('iterator' in result ? result.iterator : result, limit);
}

/** This peer is not a member of the collection: evaluate on a peer of the ministry or the central bank. */
export class NotMemberError extends EgovError {
  constructor(collection: string) {
    super(
      `this peer does not hold collection ${collection}; evaluate on a peer of its ministry or of the central bank`,
    );
  }
}
