import type { JsonObject } from './canonical';
import { canonicalJson, sha256Hex } from './canonical';
import { StateCorruptError } from './errors';

/**
 * The audit trail's entries: one per state change of any egov object, each chained to the
 * previous entry of the same target by its hash, so a target's trail is a hash chain that anyone
 * can recompute (lib/trail-read.ts verifies it).
 */

/** What kind of object an entry is about. */
export const TRAIL_TARGET_TYPES = [
  'record',
  'schema',
  'ministry',
  'proposal',
  'approval',
  'rule',
  'law',
  'article',
  'setting',
  'grant',
  'auditcase',
  'movement',
  'rate',
  'conversion',
  'currency',
] as const;
/** One of {@link TRAIL_TARGET_TYPES}. */
export type TrailTargetType = (typeof TRAIL_TARGET_TYPES)[number];
/** A trail target id: any egov id, record type, article path (`law/article`) or transaction id. */
export const TRAIL_TARGET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,256}$/;

/** The hash an entry without predecessor chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The object an entry is about. */
export interface TrailTarget {
  type: TrailTargetType;
  id: string;
}

/**
 * One audit entry, stored under its target's chain (lib/trail-keys.ts). `hash` is the hex SHA-256
 * of the canonical JSON of every other field, `prevHash` the hash of the previous entry of the
 * same target (`seq - 1`), {@link GENESIS_HASH} for the first.
 */
export interface TrailEntry {
  docType: 'trailEntry';
  targetType: TrailTargetType;
  targetId: string;
  /** Position in the target's chain, from 1. */
  seq: number;
  /** What happened, e.g. `RECORD_REGISTERED`, `AUDIT_APPROVED`. */
  action: string;
  actorMsp: string;
  actorId: string;
  txId: string;
  /** Transaction time, ISO 8601 UTC. */
  at: string;
  /** Action-specific facts, never personal data (status, hash, case id, ...). */
  details: JsonObject;
  prevHash: string;
  hash: string;
}

/** An entry before its hash is computed. */
export type UnhashedEntry = Omit<TrailEntry, 'hash'>;

/** The hash of an entry: hex SHA-256 of the canonical JSON of all fields but `hash`. */
export function entryHash(entry: UnhashedEntry | TrailEntry): string {
  const unhashed: Partial<TrailEntry> = { ...entry };
  delete unhashed.hash;
  return sha256Hex(canonicalJson(unhashed));
}

/** Completes an entry with its hash. */
export function sealEntry(entry: UnhashedEntry): TrailEntry {
  return { ...entry, hash: entryHash(entry) };
}

/**
 * Types a parsed world-state value as a trail entry (the chain itself is checked by VerifyTrail).
 * @throws StateCorruptError when it is not one.
 */
export function asTrailEntry(value: JsonObject, key: string): TrailEntry {
  if (
    value.docType !== 'trailEntry' ||
    typeof value.seq !== 'number' ||
    typeof value.hash !== 'string' ||
    typeof value.at !== 'string'
  ) {
    throw new StateCorruptError(`state under trail key ${JSON.stringify(key)} is not a trail entry`);
  }
  return value as unknown as TrailEntry;
}

/**
 * What the ministry and actor indexes hold for an entry: enough for reports and listings without
 * reading the entry itself.
 */
export interface TrailIndexEntry {
  targetType: TrailTargetType;
  targetId: string;
  seq: number;
  action: string;
  actorMsp: string;
  at: string;
  txId: string;
  /** details.status of the entry, when it has one (an outcome: CONFIRMED, ACTIVE, APPROVE ...). */
  outcome?: string;
}

/** The index summary of an entry. */
export function indexSummary(entry: TrailEntry): TrailIndexEntry {
  const outcome = entry.details.status;
  return {
    targetType: entry.targetType,
    targetId: entry.targetId,
    seq: entry.seq,
    action: entry.action,
    actorMsp: entry.actorMsp,
    at: entry.at,
    txId: entry.txId,
    ...(typeof outcome === 'string' ? { outcome } : {}),
  };
}
