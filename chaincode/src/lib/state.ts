import type { Context } from 'fabric-contract-api';
import { marshal, unmarshal, type JsonObject } from './canonical';

/**
 * World-state access for egov objects. Note Fabric's semantics: getState reads the committed state
 * (a transaction does not see its own putState), and each read is recorded for MVCC validation.
 */

/** Reads and parses the object under `key`, or undefined when the key is absent. */
export async function readObject(ctx: Context, key: string, what: string): Promise<JsonObject | undefined> {
  const bytes = await ctx.stub.getState(key);
  if (!bytes || bytes.length === 0) {
    return undefined;
  }
  return unmarshal(bytes, what);
}

/** Whether a value exists under `key`. */
export async function exists(ctx: Context, key: string): Promise<boolean> {
  const bytes = await ctx.stub.getState(key);
  return !!bytes && bytes.length > 0;
}

/** Writes an object under `key` as canonical JSON. */
export async function writeObject(ctx: Context, key: string, value: object): Promise<void> {
  await ctx.stub.putState(key, marshal(value));
}
