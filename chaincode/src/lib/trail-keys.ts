import { sha256Hex } from './canonical';
import { StateCorruptError } from './errors';
import type { TrailTarget } from './trail-entry';

/**
 * World-state keys of the audit trail. Unlike every other egov key these are simple keys (no
 * leading U+0000): the ministry and actor indexes are read by time window with getStateByRange,
 * which Fabric refuses for composite keys. Parts are joined with `|`, which no egov id, MSP ID,
 * time or hash contains (checked), so one key's prefix never is another key's.
 *   trail|e|<type>|<id>|<seq:10>                         → TrailEntry
 *   trail|h|<type>|<id>                                  → TrailHead (last seq and hash; a
 *                                                          record's chain of one entry has none)
 *   trail|m|<actorMsp>|<at>|<txId>|<type>|<id>           → TrailIndexEntry
 *   trail|a|<actorMsp>|<sha256(actorId)>|<at>|<txId>|<type>|<id> → TrailIndexEntry
 */

const SEP = '|';
/** Sorts after every character used in key parts, to end a prefix range. */
const PREFIX_END = '~';

/** A key from parts, refusing a part that holds the separator. */
function trailKey(parts: string[]): string {
  for (const part of parts) {
    if (part.includes(SEP) || part.length === 0) {
      throw new StateCorruptError(`a trail key part must be non-empty and free of "${SEP}"`);
    }
  }
  return ['trail', ...parts].join(SEP);
}

/** Sequence numbers are zero-padded so that key order is chain order. */
export function seqAttr(seq: number): string {
  return String(seq).padStart(10, '0');
}

/** Key of one entry of a target's chain. */
export function entryKey(target: TrailTarget, seq: number): string {
  return trailKey(['e', target.type, target.id, seqAttr(seq)]);
}

/** Key of a target's chain head. */
export function headKey(target: TrailTarget): string {
  return trailKey(['h', target.type, target.id]);
}

/** Key of an entry in its actor's ministry index. */
export function ministryIndexKey(mspId: string, at: string, txId: string, target: TrailTarget): string {
  return trailKey(['m', mspId, at, txId, target.type, target.id]);
}

/** The index part that stands for an actor identity (its ids are long DNs holding any character). */
export function actorAttr(actorId: string): string {
  return sha256Hex(actorId);
}

/** Key of an entry in its actor's index. */
export function actorIndexKey(
  mspId: string,
  actorId: string,
  at: string,
  txId: string,
  target: TrailTarget,
): string {
  return trailKey(['a', mspId, actorAttr(actorId), at, txId, target.type, target.id]);
}

/** [start, end) of a target's chain entries. */
export function chainRange(target: TrailTarget): [string, string] {
  const prefix = `${trailKey(['e', target.type, target.id])}${SEP}`;
  return [prefix, prefix + PREFIX_END];
}

/** [start, end) of a ministry's index entries with `from <= at < to`. */
export function ministryRange(mspId: string, from: string, to: string): [string, string] {
  return [trailKey(['m', mspId, from]), trailKey(['m', mspId, to])];
}

/** [start, end) of an actor's index entries with `from <= at < to`. */
export function actorRange(mspId: string, actorId: string, from: string, to: string): [string, string] {
  const actor = actorAttr(actorId);
  return [trailKey(['a', mspId, actor, from]), trailKey(['a', mspId, actor, to])];
}
