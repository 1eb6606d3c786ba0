import type { Context } from 'fabric-contract-api';
import { InvalidArgumentError } from './errors';

/**
 * Transaction time. The only clock a chaincode may read is the timestamp the client put in the
 * proposal's channel header: every endorser sees the same value, so state built from it is
 * identical across peers (a wall clock would differ per peer and break endorsement).
 */

/**
 * The transaction's timestamp in milliseconds, by its stub: a registration asks for it about ten
 * times, and fabric-shim answers a protobuf Timestamp whose seconds are a Long.
 */
const millisOf = new WeakMap<object, number>();

/** The transaction timestamp as milliseconds since the Unix epoch (nanos truncated to ms). */
export function txTimestampMillis(ctx: Context): number {
  let millis = millisOf.get(ctx.stub);
  if (millis === undefined) {
    millis = readTimestampMillis(ctx);
    millisOf.set(ctx.stub, millis);
  }
  return millis;
}

/** Reads and checks the proposal header's timestamp. */
function readTimestampMillis(ctx: Context): number {
  const ts = ctx.stub.getTxTimestamp();
  // seconds is a Long in fabric-shim; toString() works for Long and number alike
  const seconds = Number(ts?.seconds?.toString());
  const nanos = Number(ts?.nanos ?? 0);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('transaction timestamp is missing from the proposal header');
  }
  return seconds * 1000 + Math.floor(nanos / 1_000_000);
}

/** The transaction timestamp as an ISO 8601 UTC string, e.g. `2024-05-01T10:00:00.123Z`. */
export function txTimestampISO(ctx: Context): string {
  return new Date(txTimestampMillis(ctx)).toISOString();
}
