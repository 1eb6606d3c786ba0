import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { auditStateOf } from '../audit/verify';
import { requireVerificationLogReader } from '../lib/authz-verifications';
import { canonicalJson, unmarshal } from '../lib/canonical';
import { InvalidArgumentError } from '../lib/errors';
import { checkArgument } from '../lib/input';
import { checkHash, findByHash, findById } from '../lib/record-lookup';
import { parsePageSize, readPage, type Page } from '../lib/rules-engine-page';
import { txFacts } from '../lib/tx';
import { unmatchedVerificationKey, VerificationObjectType, verificationKey } from '../lib/verification-keys';
import { notFound, verifyResult, type VerifyResult } from '../lib/verify-result';
import { writeObject } from '../lib/state';
import { ID_PATTERN, ID_RULE } from '../model/patterns';
import type { LedgerRecord } from '../model/record';
import { SUBJECT_REF_PATTERN } from '../model/record';
import { PUBLIC_VERIFIER, type VerificationEntry, type VerificationOutcome } from '../model/verification';

/** Result of Verify: what the verifier learns (never a personal field) and the log entry. */
export interface VerificationResult extends VerifyResult {
  outcome: VerificationOutcome;
  /** Whether the document's hash is the record's (absent for a lookup by record id alone). */
  matched?: boolean;
  /** The verification as logged (its key is named by this transaction). */
  verification: Pick<VerificationEntry, 'txId' | 'verifiedAt' | 'verifier'>;
}

/**
 * The `verification` contract: verifying a document is itself a transaction, so the ledger keeps
 * who verified which record and when (the subject's right to know), one key per verification.
 * Anyone on the channel verifies; the issuing ministry lists its records' verifications by subject.
 */
@Info({ title: 'verification', description: 'Logged verification of documents and records' })
export class VerificationContract extends Contract {
  constructor() {
    super('verification');
  }

  /**
   * Verifies a document by its record id and hash (as the holder's file or QR code carries them),
   * a record by id alone, or a document by hash alone, and logs the verification.
   * @param recordId - the record's id, or `` to look the document up by hash.
   * @param hash - hex SHA-256 the verifier recomputed from the document, or `` to check the
   *   record's status only.
   * @param onBehalfOfPublic - `true` when the caller verifies for the public verification page
   *   (logged as `public`), `false` for the caller's own organization (logged as its MSP ID).
   * @returns canonical JSON {@link VerificationResult}.
   */
  @Transaction()
  @Returns('string')
  async Verify(ctx: Context, recordId: string, hash: string, onBehalfOfPublic: string): Promise<string> {
    const { id, documentHash } = checkVerifyArguments(recordId, hash);
    const verifier = verifierOf(ctx, onBehalfOfPublic);
    const record = id !== undefined ? await findById(ctx, id) : await findByHash(ctx, documentHash!);
    const matched = record && documentHash !== undefined ? documentHash === record.hash : undefined;
    const outcome: VerificationOutcome = !record
      ? 'NOT_FOUND'
      : matched === false
        ? 'MISMATCH'
        : record.status;
    const tx = txFacts(ctx);
    const entry: VerificationEntry = {
      docType: 'verification',
      txId: tx.txId,
      verifiedAt: tx.timestamp,
      verifier,
      outcome,
      ...(record ? { recordId: record.id, recordType: record.recordType } : {}),
      ...(matched === undefined ? {} : { matched }),
    };
    await writeObject(
      ctx,
      record ? verificationKey(ctx, record, tx.txId) : unmatchedVerificationKey(ctx, tx.txId),
      entry,
    );
    const result: VerificationResult = {
      ...(record ? await foundResult(ctx, record) : notFound()),
      outcome,
      ...(matched === undefined ? {} : { matched }),
      verification: { txId: tx.txId, verifiedAt: tx.timestamp, verifier },
    };
    return canonicalJson(result);
  }

  /**
   * Lists who verified a subject's records issued by the caller's ministry, and when, one page at
   * a time in record id then transaction id order. Paginated range query: call it as an evaluate.
   * @param subjectRef - the subject's pseudonymous reference, as on their records.
   * @param pageSize - 1 to 100.
   * @param bookmark - `` for the first page, else the previous page's bookmark.
   * @returns canonical JSON `{items: VerificationEntry[], bookmark}` (bookmark `` on the last page).
   */
  @Transaction(false)
  @Returns('string')
  async ListVerifications(
    ctx: Context,
    subjectRef: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const subject = checkArgument(
      'subjectRef',
      subjectRef,
      SUBJECT_REF_PATTERN,
      'a pseudonymous reference: 16-128 characters of A-Z a-z 0-9 . _ : -',
    );
    const size = parsePageSize(pageSize);
    const mspId = await requireVerificationLogReader(ctx);
    const page: Page<VerificationEntry> = await readPage(
      ctx,
      VerificationObjectType.entry,
      [mspId, subject],
      size,
      bookmark ?? '',
      (_key, value) => unmarshal(value, 'verification') as unknown as VerificationEntry,
    );
    return canonicalJson(page);
  }
}

/** What Verify reveals about a found record: VerifyRecord's answer, audit state included. */
async function foundResult(ctx: Context, record: LedgerRecord): Promise<VerifyResult> {
  return { ...verifyResult(record), ...(await auditStateOf(ctx, record)) };
}

/**
 * Checks Verify's record id and hash: either may be empty, not both.
 * @throws InvalidArgumentError naming the argument.
 */
function checkVerifyArguments(recordId: string, hash: string): { id?: string; documentHash?: string } {
  if (!recordId && !hash) {
    throw new InvalidArgumentError('recordId or hash is required: a record id, a document hash, or both');
  }
  return {
    ...(recordId ? { id: checkArgument('recordId', recordId, ID_PATTERN, ID_RULE) } : {}),
    ...(hash ? { documentHash: checkHash(hash) } : {}),
  };
}

/**
 * The verifier to log: `public` when the caller verifies for the public page, else the caller's
 * MSP ID (from its certificate: an organization cannot log a verification as another).
 */
function verifierOf(ctx: Context, onBehalfOfPublic: string): string {
  if (onBehalfOfPublic !== 'true' && onBehalfOfPublic !== 'false') {
    throw new InvalidArgumentError('onBehalfOfPublic must be true or false');
  }
  return onBehalfOfPublic === 'true' ? PUBLIC_VERIFIER : txFacts(ctx).mspId;
}
