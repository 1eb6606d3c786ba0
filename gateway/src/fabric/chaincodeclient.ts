import { CommitError, Contract, EndorseError, StatusCode } from '@hyperledger/fabric-gateway';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from 'pino';
import { ApiError } from '../errors';
import { getLogger } from '../logging';
import { ChaincodeClient, ResultShape, SubmitResult, TransientFields } from '../chaincode/client';
import { endorseAndSubmit } from './submit';
import { endorsersDisagreed } from './errors';
import { metrics } from '../ops/metrics';
import { noteAttempt } from '../ops/context';

/** The part of fabric-gateway's Contract the client uses (tests fake just this). */
export type GatewayContract = Pick<Contract, 'newProposal' | 'evaluate'>;

/**
 * Parses a chaincode result as JSON (of `shape`, when given); anything else is a
 * BAD_CHAINCODE_RESPONSE naming the transaction (and, for a wrong shape, the fields).
 */
export function parseJsonResult(bytes: Uint8Array, transaction: string, shape?: ResultShape): unknown {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ApiError('BAD_CHAINCODE_RESPONSE', `${transaction} returned a result that is not JSON`);
  }
  if (shape === undefined) return value;
  const checked = shape.safeParse(value);
  if (!checked.success) {
    throw new ApiError('BAD_CHAINCODE_RESPONSE', `${transaction} returned an unexpected result`, {
      issues: checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return checked.data;
}

/**
 * Validation codes of a transaction that lost a race with another one (its reads changed before
 * it committed): a new transaction, endorsed again on the new state, may well commit.
 */
const READ_CONFLICTS: ReadonlySet<number> = new Set([
  StatusCode.MVCC_READ_CONFLICT,
  StatusCode.PHANTOM_READ_CONFLICT,
]);

/** How a {@link FabricChaincodeClient} retries read conflicts and endorsers that disagreed. */
export interface RetryPolicy {
  /** New transactions tried after a read conflict or a disagreement (0 = none). */
  retries: number;
  /** Upper bound of the first random wait before a retry, in ms; doubled each time. */
  backoffMs: number;
}

/** 3 retries, waits drawn from up to 50, 100, 200 ms. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, backoffMs: 50 };

/** A random wait before retry `n` (1-based): full jitter, so conflicting clients spread out. */
function backoff(policy: RetryPolicy, n: number): number {
  return Math.floor(Math.random() * policy.backoffMs * 2 ** (n - 1));
}

/**
 * The wait before retry `n` after endorsers disagreed: between one and two times the conflict
 * backoff's cap for that retry (50-100, 100-200, 200-400 ms by default), never near zero, since a
 * lagging peer must first commit the block the others have (it is not a race between clients).
 */
function catchUpWait(policy: RetryPolicy, n: number): number {
  const cap = policy.backoffMs * 2 ** n;
  return Math.floor(cap / 2 + (Math.random() * cap) / 2);
}

/**
 * Why a failed attempt is worth a new transaction, or undefined when it is not.
 * @param endorsers - the endorsing organizations the proposal named (empty: the gateway chose)
 */
function retryReason(
  err: unknown,
  endorsers: readonly string[],
): 'read conflict' | 'endorsers disagreed' | undefined {
  if (err instanceof CommitError) return READ_CONFLICTS.has(err.code) ? 'read conflict' : undefined;
  return endorsersDisagreed(err, endorsers) ? 'endorsers disagreed' : undefined;
}

/** Transient fields as fabric-gateway wants them: each value its UTF-8 JSON bytes, bytes as they are. */
function transientData(transient: TransientFields | undefined): Record<string, Uint8Array> | undefined {
  if (transient === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(transient).map(([key, value]) => [
      key,
      value instanceof Uint8Array ? value : Buffer.from(JSON.stringify(value), 'utf8'),
    ]),
  );
}

/**
 * {@link ChaincodeClient} over fabric-gateway. `contract` must be the egov chaincode without a
 * contract name (`network.getContract(chaincodeName)`), so transaction names are qualified
 * (`ledger:RegisterRecord`).
 */
export class FabricChaincodeClient implements ChaincodeClient {
  /**
   * @param transientEndorsers - organizations that endorse transactions carrying transient data
   *   (Fabric's gateway lets only a private data collection's members endorse those, so the
   *   client must name them when the policy needs more; see {@link transientEndorsingOrgs}).
   * @param retry - how read conflicts (MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT) are retried.
   */
  constructor(
    private readonly contract: GatewayContract,
    private readonly logger: Logger = getLogger('fabric.chaincode'),
    private readonly transientEndorsers: readonly string[] = [],
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  /** Evaluates on the gateway's peer (no ordering) and parses the JSON result. */
  async evaluate(transaction: string, args: readonly string[] = [], shape?: ResultShape): Promise<unknown> {
    const bytes = await metrics.time('evaluate', () =>
      this.contract.evaluate(transaction, { arguments: [...args] }),
    );
    return parseJsonResult(bytes, transaction, shape);
  }

  /**
   * Proposal → endorse → parse the result → submit → commit status. A transaction invalidated by
   * a read conflict, or not endorsed because its endorsers disagreed (results that differ, or a
   * refusal where another endorser succeeded: a peer a block behind; nothing was ordered), is tried
   * again as a new transaction (new id, endorsed on the new state), up to `retry.retries` times
   * after a random wait; the request context counts the attempts. Anything else is never retried:
   * a refusal all endorsers agree on would be refused again, and an unknown outcome may still
   * commit. An invalidated transaction finally throws CommitError, which the error handler maps to
   * 409 TRANSACTION_INVALID.
   */
  async submit(
    transaction: string,
    args: readonly string[] = [],
    transient?: TransientFields,
    shape?: ResultShape,
    endorsingOrganizations?: readonly string[],
  ): Promise<SubmitResult> {
    const endorsers =
      endorsingOrganizations ??
      (transient !== undefined && this.transientEndorsers.length > 0 ? this.transientEndorsers : []);
    for (let attempt = 1; ; attempt++) {
      noteAttempt(attempt);
      try {
        return await this.submitOnce(transaction, args, transient, shape, endorsers);
      } catch (err) {
        const reason = retryReason(err, endorsers);
        if (reason === undefined || attempt > this.retry.retries) throw err;
        const failed = err as CommitError | EndorseError;
        const code = failed instanceof CommitError ? { validationCode: failed.code } : {};
        this.logger.info(
          { transactionId: failed.transactionId, transaction, attempt, ...code },
          `${transaction}: ${reason}; retrying as a new transaction`,
        );
        await sleep(
          reason === 'read conflict' ? backoff(this.retry, attempt) : catchUpWait(this.retry, attempt),
        );
      }
    }
  }

  /** One transaction: a new proposal, endorsed, ordered and waited for. */
  private async submitOnce(
    transaction: string,
    args: readonly string[],
    transient: TransientFields | undefined,
    shape: ResultShape | undefined,
    endorsers: readonly string[],
  ): Promise<SubmitResult> {
    const proposal = this.contract.newProposal(transaction, {
      arguments: [...args],
      transientData: transientData(transient),
      endorsingOrganizations: endorsers.length === 0 ? undefined : [...endorsers],
    });
    const transactionId = proposal.getTransactionId();
    const log = this.logger.child({ transactionId, transaction });
    return endorseAndSubmit(
      proposal,
      (bytes) => parseJsonResult(bytes, transaction, shape),
      log,
      transaction,
    );
  }
}
