import type { Context } from 'fabric-contract-api';

/**
 * World-state keys of the verification log (composite keys, see lib/keys.ts). One key per
 * verification, named by its transaction id: verifications never contend for a key (no hot keys),
 * and a ministry lists a subject's verifications with one bounded range read.
 */
export const VerificationObjectType = {
  /** `verification` [issuerMsp, subjectRef, recordId, txId] → VerificationEntry of a found record */
  entry: 'verification',
  /** `verification.unmatched` [txId] → VerificationEntry of a document or id no record matched */
  unmatched: 'verification.unmatched',
} as const;

/** Key of the verification of a record. */
export function verificationKey(
  ctx: Context,
  record: { issuerMsp: string; subjectRef: string; id: string },
  txId: string,
): string {
  return ctx.stub.createCompositeKey(VerificationObjectType.entry, [
    record.issuerMsp,
    record.subjectRef,
    record.id,
    txId,
  ]);
}

/** Key of a verification that matched no record. */
export function unmatchedVerificationKey(ctx: Context, txId: string): string {
  return ctx.stub.createCompositeKey(VerificationObjectType.unmatched, [txId]);
}
