import type { Context } from 'fabric-contract-api';
import { marshal, type JsonObject } from './canonical';
import { StateCorruptError } from './errors';
import { readObject, writeObject } from './state';
import { actorIndexKey, entryKey, headKey, ministryIndexKey } from './trail-keys';
import {
  asTrailEntry,
  GENESIS_HASH,
  indexSummary,
  sealEntry,
  type TrailEntry,
  type TrailTarget,
  type TrailTargetType,
} from './trail-entry';
import { txFacts, type TxFacts } from './tx';
import { carriedEntry, readCarriedEntry } from './record-trail';
import type { LedgerRecord } from '../model/record';

/**
 * Appending to the audit trail: the one helper every contract's state-changing transactions call.
 * An append writes the entry, its target's head (last seq and hash: one key per target, never a
 * key shared by targets) and two index entries (by ministry and by actor, each its own key).
 *
 * A record's chain of one entry has no head key: the registration that starts it writes only the
 * entry (one key and one message to the peer fewer per registration), and a reader that finds no
 * head reads entry 1 as the head ({@link readHead}). The first later append writes the head. Since
 * issue 19's session 11 a registration does not write entry 1 either: the record carries it
 * (lib/record-trail, {@link startCarriedTrail}); records registered before have it under its key.
 */

/**
 * Target types whose chain starts without a head key ({@link startTrail}), so whose readers take a
 * missing head for entry 1. Records only: a record's trail is always started by startCarriedTrail
 * (before: startTrail) in the transaction that creates it; targets of other types get their first entry from appendTrail,
 * which writes the head, and would pay a read more if a missing head were looked for in entry 1.
 */
const HEADLESS_START: ReadonlySet<TrailTargetType> = new Set<TrailTargetType>(['record']);

/** The head of a target's chain, under `trail|h|<type>|<id>`. */
export interface TrailHead {
  docType: 'trailHead';
  seq: number;
  hash: string;
}

/**
 * Heads written by the running transaction: Fabric's getState does not see the transaction's own
 * writes, so a second append to the same target in one transaction continues from here.
 */
const pendingHeads = new WeakMap<object, Map<string, TrailHead>>();

/**
 * Appends one entry for a change of `target` made by the current transaction (actor, ministry,
 * transaction id and time come from the transaction).
 * @param details - action-specific facts; never personal data (the trail is on the channel ledger).
 * @returns the stored entry.
 */
export async function appendTrail(
  ctx: Context,
  type: TrailTargetType,
  id: string,
  action: string,
  details: JsonObject = {},
): Promise<TrailEntry> {
  const target: TrailTarget = { type, id };
  return writeEntry(ctx, target, await readHead(ctx, target), action, details, true);
}

/** Writes the entry that follows `head`, the head itself when `withHead`, and the two index entries. */
async function writeEntry(
  ctx: Context,
  target: TrailTarget,
  head: TrailHead,
  action: string,
  details: JsonObject,
  withHead: boolean,
): Promise<TrailEntry> {
  const tx = txFacts(ctx);
  const entry = nextEntry(target, head, action, details, tx);
  const next: TrailHead = { docType: 'trailHead', seq: entry.seq, hash: entry.hash };
  await writeObject(ctx, entryKey(target, entry.seq), entry);
  if (withHead) await writeObject(ctx, headKey(target), next);
  await writeIndexEntries(ctx, target, entry, tx);
  pendingFor(ctx).set(headKey(target), next);
  return entry;
}

/** Writes an entry's two index entries (by ministry and by actor). */
async function writeIndexEntries(
  ctx: Context,
  target: TrailTarget,
  entry: TrailEntry,
  tx: TxFacts,
): Promise<void> {
  // both index entries hold the same summary: serialized once
  const summary = marshal(indexSummary(entry));
  await ctx.stub.putState(ministryIndexKey(tx.mspId, tx.timestamp, tx.txId, target), summary);
  await ctx.stub.putState(actorIndexKey(tx.mspId, tx.clientId, tx.timestamp, tx.txId, target), summary);
}

/**
 * Starts the trail of a record the running transaction registers (or registers as a new version)
 * with the entry 1 the record carries (lib/record-trail: the record, written by the caller, holds
 * `trailStart`): only the entry's two index entries are written, neither an entry key nor a head.
 * The caller has found the record absent in this transaction, so its chain was empty.
 * @throws StateCorruptError when the record carries no entry (a caller's bug).
 */
export async function startCarriedTrail(ctx: Context, record: LedgerRecord): Promise<TrailEntry> {
  const entry = carriedEntry(record);
  const tx = txFacts(ctx);
  if (entry === undefined || entry.txId !== tx.txId) {
    throw new StateCorruptError(`record ${record.id} does not carry this transaction's trail entry`);
  }
  const target: TrailTarget = { type: 'record', id: record.id };
  await writeIndexEntries(ctx, target, entry, tx);
  pendingFor(ctx).set(headKey(target), { docType: 'trailHead', seq: 1, hash: entry.hash });
  return entry;
}

/**
 * Appends the first entry of a target the running transaction creates: the caller has found the
 * target absent in this transaction (so the read set guards against a concurrent creation), and a
 * target gets entries only while it exists, so its chain is empty and its head is not read (one
 * round trip to the peer fewer). A record's head is not written either (see HEADLESS_START).
 * Otherwise as {@link appendTrail}.
 */
export async function startTrail(
  ctx: Context,
  type: TrailTargetType,
  id: string,
  action: string,
  details: JsonObject = {},
): Promise<TrailEntry> {
  const target: TrailTarget = { type, id };
  const pending = pendingFor(ctx).get(headKey(target));
  if (pending !== undefined) return writeEntry(ctx, target, pending, action, details, true);
  const genesis: TrailHead = { docType: 'trailHead', seq: 0, hash: GENESIS_HASH };
  return writeEntry(ctx, target, genesis, action, details, !HEADLESS_START.has(type));
}

/** The entry that follows `head` in a target's chain, sealed. */
function nextEntry(
  target: TrailTarget,
  head: TrailHead,
  action: string,
  details: JsonObject,
  tx: TxFacts,
): TrailEntry {
  return sealEntry({
    docType: 'trailEntry',
    targetType: target.type,
    targetId: target.id,
    seq: head.seq + 1,
    action,
    actorMsp: tx.mspId,
    actorId: tx.clientId,
    txId: tx.txId,
    at: tx.timestamp,
    details,
    prevHash: head.hash,
  });
}

/**
 * The head of a target's chain (seq 0 and the genesis hash for a target without entries). A
 * record without a head key has a chain of at most one entry: its entry 1, if any, is the head,
 * carried by the record (lib/record-trail) or under its own key.
 */
export async function readHead(ctx: Context, target: TrailTarget): Promise<TrailHead> {
  const key = headKey(target);
  const pending = pendingFor(ctx).get(key);
  if (pending) return pending;
  const value = await readObject(ctx, key, `trail head of ${target.type} ${target.id}`);
  if (!value) return HEADLESS_START.has(target.type) ? firstEntryAsHead(ctx, target) : genesisHead();
  if (value.docType !== 'trailHead' || typeof value.seq !== 'number' || typeof value.hash !== 'string') {
    throw new StateCorruptError(`state under the trail head of ${target.type} ${target.id} is not a head`);
  }
  return value as unknown as TrailHead;
}

/** The head of an empty chain. */
function genesisHead(): TrailHead {
  return { docType: 'trailHead', seq: 0, hash: GENESIS_HASH };
}

/** The head of a chain without a head key: its entry 1, or the genesis head when it has none. */
async function firstEntryAsHead(ctx: Context, target: TrailTarget): Promise<TrailHead> {
  // a status change has read the record already (lib/state): no message to the peer
  const carried = await readCarriedEntry(ctx, target);
  if (carried !== undefined) return { docType: 'trailHead', seq: 1, hash: carried.hash };
  const key = entryKey(target, 1);
  const value = await readObject(ctx, key, `trail entry 1 of ${target.type} ${target.id}`);
  if (!value) return genesisHead();
  const first = asTrailEntry(value, key);
  if (first.seq !== 1) {
    throw new StateCorruptError(
      `state under trail entry 1 of ${target.type} ${target.id} is entry ${first.seq}`,
    );
  }
  return { docType: 'trailHead', seq: 1, hash: first.hash };
}

/** This transaction's pending heads. */
function pendingFor(ctx: Context): Map<string, TrailHead> {
  let map = pendingHeads.get(ctx.stub);
  if (!map) {
    map = new Map();
    pendingHeads.set(ctx.stub, map);
  }
  return map;
}

/**
 * Appends an entry for a target kept in a private data collection (a citizen's movement): the
 * entry and its head go to the collection, never to world state, and no public index is written
 * (the channel then holds only their hashes). The actor is the transaction's, as in the public trail.
 */
export async function appendPrivateTrail(
  ctx: Context,
  collection: string,
  type: TrailTargetType,
  id: string,
  action: string,
  details: JsonObject = {},
): Promise<TrailEntry> {
  const target: TrailTarget = { type, id };
  const stored = await ctx.stub.getPrivateData(collection, headKey(target));
  const head: TrailHead =
    stored && stored.length > 0
      ? (JSON.parse(Buffer.from(stored).toString('utf8')) as TrailHead)
      : { docType: 'trailHead', seq: 0, hash: GENESIS_HASH };
  const entry = nextEntry(target, head, action, details, txFacts(ctx));
  await ctx.stub.putPrivateData(collection, entryKey(target, entry.seq), marshal(entry));
  const next: TrailHead = { docType: 'trailHead', seq: entry.seq, hash: entry.hash };
  await ctx.stub.putPrivateData(collection, headKey(target), marshal(next));
  return entry;
}
