import type { Context } from 'fabric-contract-api';
import { LimitExceededError } from './errors';

/** One committed change of a key, as GetHistoryForKey reports it. */
export interface KeyChange {
  txId: string;
  /** Transaction timestamp, ISO 8601 UTC. */
  timestamp: string;
  isDelete: boolean;
  value: Uint8Array;
}

/**
 * Reads the committed changes of one key, oldest first (Fabric's history iterator goes newest to
 * oldest). Bounded: a key with more than `limit` changes fails loudly instead of returning a cut
 * history. The iterator is always closed. Needs the peer's history database
 * (core.yaml ledger.history.enableHistoryDatabase, on by default).
 * @throws LimitExceededError when the key changed more than `limit` times.
 */
export async function readKeyHistory(
  ctx: Context,
  key: string,
  limit: number,
  what: string,
): Promise<KeyChange[]> {
  const iterator = await ctx.stub.getHistoryForKey(key);
  const changes: KeyChange[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      if (changes.length === limit) {
        throw new LimitExceededError(
          `${what} changed more than ${limit} times; its history cannot be returned whole`,
        );
      }
      changes.push({
        txId: r.value.txId,
        timestamp: timestampISO(r.value.timestamp),
        isDelete: r.value.isDelete,
        value: r.value.value,
      });
    }
  } finally {
    await iterator.close();
  }
  return changes.reverse();
}

/** A protobuf Timestamp ({seconds: Long | number, nanos}) as ISO 8601 UTC with milliseconds. */
function timestampISO(ts: { seconds?: unknown; nanos?: number } | undefined): string {
  const seconds = Number(String(ts?.seconds ?? 0));
  const nanos = Number(ts?.nanos ?? 0);
  return new Date(seconds * 1000 + Math.floor(nanos / 1_000_000)).toISOString();
}
