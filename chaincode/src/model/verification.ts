import type { RecordStatus } from './record';

/**
 * A verification as the ledger logs it: who verified (an organization's MSP ID, or `public` for
 * the public verification page), when (the transaction time), and what they learned. Nothing
 * personal and no document hash (an unsalted scheme 1 hash could be tested against guesses).
 */
export interface VerificationEntry {
  docType: 'verification';
  /** The verification's transaction: also its id. */
  txId: string;
  verifiedAt: string;
  /** MSP ID of the verifying organization, or {@link PUBLIC_VERIFIER}. */
  verifier: string;
  outcome: VerificationOutcome;
  /** The record verified, when one was found (unknown documents are logged without one). */
  recordId?: string;
  recordType?: string;
  /** Whether the document's hash matched the record's (absent for a lookup by record id alone). */
  matched?: boolean;
}

/**
 * What a verification found: the record's status when the document matched (or when only a record
 * id was given), `MISMATCH` when the document's hash is not the record's (a changed document),
 * `NOT_FOUND` when no record has that id or hash.
 */
export type VerificationOutcome = RecordStatus | 'MISMATCH' | 'NOT_FOUND';

/** The verifier of a verification made through the public page (no login). */
export const PUBLIC_VERIFIER = 'public';
