import type { Context } from 'fabric-contract-api';
import { asRecord, type LedgerRecord } from '../model/record';
import { recordKey } from './keys';
import { readObject } from './state';
import { GENESIS_HASH, sealEntry, type TrailEntry, type TrailTarget } from './trail-entry';

/**
 * A record's first trail entry, carried by the record itself (issue 19: one key and one message to
 * the peer fewer per registration). Everything entry 1 says is on the record and never changes
 * after its registration: the ministry, identity, transaction and time that registered it
 * (`issuerMsp`, `issuerId`, `registeredTxId`, `createdAt`), its document hash, and, in
 * `trailStart`, the action and the status it was registered with. The entry is rebuilt from those,
 * so it has the same content and hash as the entry key an older chaincode wrote; later entries
 * (status changes, audit outcomes) have keys of their own and link to its hash. A record without
 * `trailStart` (registered by an older chaincode) has its entry 1 under its own key.
 */

/** Entry 1 of a record that carries it, or undefined for a record whose entry 1 has a key. */
export function carriedEntry(record: LedgerRecord): TrailEntry | undefined {
  const start = record.trailStart;
  if (start === undefined || record.registeredTxId === undefined) return undefined;
  return sealEntry({
    docType: 'trailEntry',
    targetType: 'record',
    targetId: record.id,
    seq: 1,
    action: start.action,
    actorMsp: record.issuerMsp,
    actorId: record.issuerId,
    txId: record.registeredTxId,
    at: record.createdAt,
    details: { status: start.status, hash: record.hash },
    prevHash: GENESIS_HASH,
  });
}

/**
 * Entry 1 of a record target whose record carries it (read once per transaction, lib/state), or
 * undefined: the target is not a record, the record does not exist, or its entry 1 has a key.
 */
export async function readCarriedEntry(ctx: Context, target: TrailTarget): Promise<TrailEntry | undefined> {
  if (target.type !== 'record') return undefined;
  const value = await readObject(ctx, recordKey(ctx, target.id), `record ${target.id}`);
  return value ? carriedEntry(asRecord(value, target.id)) : undefined;
}
