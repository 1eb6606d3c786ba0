import type { Context } from 'fabric-contract-api';
import { marshal, unmarshal, type JsonObject } from './canonical';

/**
 * World-state access for egov objects. Note Fabric's semantics: getState reads the committed state
 * (a transaction does not see its own putState), and each read is recorded for MVCC validation.
 */

/**
 * The keys the running transaction has read, with what the peer answered. Committed state does
 * not change while a transaction is simulated (the peer holds commits back until the simulation
 * is done) and a transaction never sees its own writes, so a second read of a key answers what
 * the first did: it is served from here instead of costing another chaincode-to-peer round trip.
 * The read set is the same either way (one entry per key). Keyed by the transaction's stub.
 */
const readsOf = new WeakMap<object, Map<string, Promise<Uint8Array>>>();

/** The committed value of `key` (empty when absent), read from the peer at most once per transaction. */
export function readState(ctx: Context, key: string): Promise<Uint8Array> {
  let reads = readsOf.get(ctx.stub);
  if (reads === undefined) {
    reads = new Map();
    readsOf.set(ctx.stub, reads);
  }
  let bytes = reads.get(key);
  if (bytes === undefined) {
    bytes = ctx.stub.getState(key);
    reads.set(key, bytes);
    // a failed read is not remembered: the transaction fails, or a retry asks the peer again
    bytes.catch(() => reads.delete(key));
  }
  return bytes;
}

/** Reads and parses the object under `key`, or undefined when the key is absent. */
export async function readObject(ctx: Context, key: string, what: string): Promise<JsonObject | undefined> {
  const bytes = await readState(ctx, key);
  if (!bytes || bytes.length === 0) {
    return undefined;
  }
  return unmarshal(bytes, what);
}

/** Whether a value exists under `key`. */
export async function exists(ctx: Context, key: string): Promise<boolean> {
  const bytes = await readState(ctx, key);
  return !!bytes && bytes.length > 0;
}

/** Writes an object under `key` as canonical JSON. */
export async function writeObject(ctx: Context, key: string, value: object): Promise<void> {
  await ctx.stub.putState(key, marshal(value));
}
