import { LEGACY_HASH_SCHEME } from './commitment';
import type { LedgerRecord } from '../model/record';
import type { AuditState } from '../audit/verify';

/**
 * Result of VerifyHash and VerifyRecord: what a verifier may learn about a document from its hash
 * or its record id, and nothing personal.
 */
export interface VerifyResult {
  found: boolean;
  id?: string;
  status?: LedgerRecord['status'];
  issuerMsp?: string;
  recordType?: string;
  version?: number;
  /** When the record was registered (transaction time) and by which transaction. */
  registeredAt?: string;
  registeredTxId?: string;
  /** When the record last changed (status, supersession) and by which transaction. */
  updatedAt?: string;
  txId?: string;
  supersededBy?: string;
  /** How the document hash was computed (lib/commitment): 1 unsalted, 2 salted. */
  hashScheme?: number;
  /** For a record registered under an audit policy: its case's state, policy versions and confirming ministries. */
  audit?: AuditState;
}

/** What verification reveals about a record. */
export function verifyResult(record: LedgerRecord): VerifyResult {
  return {
    found: true,
    id: record.id,
    status: record.status,
    issuerMsp: record.issuerMsp,
    recordType: record.recordType,
    version: record.version,
    registeredAt: record.createdAt,
    registeredTxId: record.registeredTxId ?? record.txId,
    updatedAt: record.updatedAt,
    txId: record.txId,
    ...(record.supersededBy === undefined ? {} : { supersededBy: record.supersededBy }),
    hashScheme: record.hashScheme ?? LEGACY_HASH_SCHEME,
  };
}

/** The answer for an unknown document or id. */
export function notFound(): VerifyResult {
  return { found: false };
}
