import type { Context } from 'fabric-contract-api';
import { NotFoundError, StateCorruptError } from './errors';
import { checkArgument } from './input';
import { ObjectType } from './keys';
import { readPartialCompositeKey } from './query';
import { readRecord } from './records';
import type { LedgerRecord } from '../model/record';

/** Reads a record an index points at; a dangling entry means the state was changed outside egov. */
export async function readIndexedRecord(ctx: Context, recordId: string): Promise<LedgerRecord> {
  return readRecord(ctx, recordId).catch((err: unknown) => {
    throw err instanceof NotFoundError
      ? new StateCorruptError(`an index points at missing record ${recordId}`)
      : err;
  });
}

/** Any-case hex SHA-256 accepted by VerifyHash (stored hashes are lower case). */
const HASH_ARGUMENT_PATTERN = /^[0-9a-fA-F]{64}$/;

/** Checks a document hash argument; lower-cased as stored. */
export function checkHash(hash: string): string {
  return checkArgument(
    'hash',
    hash,
    HASH_ARGUMENT_PATTERN,
    'a SHA-256 digest: 64 hex characters',
  ).toLowerCase();
}

/**
 * The record registered with a document hash, in one bounded read of the hash index; when several
 * records share it, the one with the smallest id. Undefined when none.
 */
export async function findByHash(ctx: Context, hash: string): Promise<LedgerRecord | undefined> {
  const { entries } = await readPartialCompositeKey(ctx, ObjectType.hashIndex, [hash], 1);
  if (entries.length === 0) return undefined;
  return readIndexedRecord(ctx, ctx.stub.splitCompositeKey(entries[0].key).attributes[1]);
}

/** The record with an id, or undefined. */
export async function findById(ctx: Context, id: string): Promise<LedgerRecord | undefined> {
  return readRecord(ctx, id).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
}
