import type { ChaincodeClient } from '../chaincode/client';
import { ApiError } from '../errors';
import type { TransactionLookup } from '../fabric/transactions';
import type { VerifyRequest } from './schema';

/** Where a transaction is on the ledger: what proves a record's registration or last change. */
export interface LedgerProof {
  transactionId: string;
  /** The block holding it, from qscc GetBlockByTxID; absent when the ledger does not hold it. */
  blockNumber?: number;
  /** Its validation code (`VALID` for a committed change). */
  validationCode?: string;
}

/**
 * What a verification answers: the chaincode's `verification:Verify` result (found or not,
 * outcome, issuing ministry, record type, status, newer version, audit state; never a personal
 * field), where the record's registration and last change are on the ledger, and where the
 * verification itself was logged.
 */
export interface VerificationAnswer {
  found: boolean;
  outcome: string;
  matched?: boolean;
  id?: string;
  registeredTxId?: string;
  txId?: string;
  [field: string]: unknown;
  proof?: { registration: LedgerProof; lastChange?: LedgerProof };
  logged: { transactionId: string; blockNumber: number; verifier: string; verifiedAt: string };
}

/** The verification use cases: verify (and log) a document or record, list a subject's verifications. */
export class VerificationService {
  constructor(
    private readonly chaincode: ChaincodeClient,
    private readonly transactions?: TransactionLookup,
  ) {}

  /**
   * Verifies a document by record id and hash, a record by id, or a document by hash, logging the
   * verification on the ledger (as `public`, or as the caller's organization).
   */
  async verify(request: VerifyRequest, onBehalfOfPublic: boolean): Promise<VerificationAnswer> {
    const submitted = await this.chaincode.submit('verification:Verify', [
      request.recordId ?? '',
      request.hash ?? '',
      String(onBehalfOfPublic),
    ]);
    const result = submitted.result as Partial<VerificationAnswer> & {
      verification?: { verifier: string; verifiedAt: string };
    };
    if (typeof result?.found !== 'boolean' || typeof result.outcome !== 'string' || !result.verification) {
      throw new ApiError('BAD_CHAINCODE_RESPONSE', 'verification:Verify returned no outcome');
    }
    const { verification, ...answer } = result;
    const proof = result.found ? await this.proof(result) : undefined;
    return {
      ...(answer as VerificationAnswer),
      ...(proof ? { proof } : {}),
      logged: {
        transactionId: submitted.transactionId,
        blockNumber: submitted.blockNumber,
        verifier: verification.verifier,
        verifiedAt: verification.verifiedAt,
      },
    };
  }

  /** Lists who verified a subject's records issued by the caller's ministry (one page). */
  async list(subjectRef: string, pageSize: number, bookmark: string): Promise<unknown> {
    return this.chaincode.evaluate('verification:ListVerifications', [
      subjectRef,
      String(pageSize),
      bookmark,
    ]);
  }

  /** Where the record's registration and its last change are: qscc, through the gateway. */
  private async proof(result: Partial<VerificationAnswer>): Promise<VerificationAnswer['proof'] | undefined> {
    const registered = result.registeredTxId;
    if (!this.transactions || typeof registered !== 'string') return undefined;
    const registration = await this.locate(registered);
    const last = result.txId;
    return {
      registration,
      ...(typeof last === 'string' && last !== registered ? { lastChange: await this.locate(last) } : {}),
    };
  }

  private async locate(transactionId: string): Promise<LedgerProof> {
    const status = await this.transactions!.lookup(transactionId);
    return status
      ? { transactionId, blockNumber: status.blockNumber, validationCode: status.validationCode }
      : { transactionId };
  }
}
