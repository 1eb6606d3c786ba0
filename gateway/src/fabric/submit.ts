import { CommitError, Proposal } from '@hyperledger/fabric-gateway';
import { Logger } from 'pino';
import { TransactionPending } from '../errors';
import { currentContext, noteTransaction } from '../ops/context';
import { metrics } from '../ops/metrics';
import { definiteSubmitRefusal, validationCodeName } from './errors';

/** What a committed submit answers: the endorsed result, its transaction id and block. */
export interface CommittedResult<T> {
  result: T;
  transactionId: string;
  blockNumber: number;
}

/**
 * fabric-gateway's submit flow for one proposal: endorse → `parse` the endorsed result → submit →
 * commit status. The result is checked before ordering, so an unusable answer is never committed.
 * Outcomes are told apart:
 * - refused: endorsement failed (EndorseError), the result is unusable, or the orderer refused the
 *   transaction outright (ORDERER_REFUSED, see definiteSubmitRefusal): nothing was ordered;
 * - invalid: committed but invalidated: CommitError (409 TRANSACTION_INVALID);
 * - unknown: the orderer may have it but its commit status is not known (SubmitError,
 *   CommitStatusError): {@link TransactionPending} `unknown` with the transaction id to poll (202);
 * - asynchronous on request (`Prefer: respond-async`): once the orderer accepted it,
 *   {@link TransactionPending} `submitted` (202) without waiting for the commit.
 *
 * @param label - names the transaction in the log lines (`<label> committed`).
 */
export async function endorseAndSubmit<T>(
  proposal: Proposal,
  parse: (result: Uint8Array) => T,
  log: Logger,
  label: string,
): Promise<CommittedResult<T>> {
  const transactionId = proposal.getTransactionId();
  noteTransaction(transactionId);
  log.debug(`endorsing ${label}`);
  let result: T;
  let transaction: Awaited<ReturnType<Proposal['endorse']>>;
  try {
    transaction = await metrics.time('endorse', () => proposal.endorse());
    result = parse(transaction.getResult());
  } catch (err) {
    metrics.transactions.inc({ outcome: 'refused' });
    throw err;
  }
  log.debug(`submitting ${label}`);
  let submitted: Awaited<ReturnType<typeof transaction.submit>>;
  try {
    submitted = await metrics.time('submit', () => transaction.submit());
  } catch (err) {
    const refusal = definiteSubmitRefusal(err, transactionId);
    if (refusal) {
      metrics.transactions.inc({ outcome: 'refused' });
      log.warn({ err }, `${label}: refused before ordering`);
      throw refusal;
    }
    metrics.transactions.inc({ outcome: 'unknown' });
    log.warn({ err }, `${label}: the orderer did not confirm it; outcome unknown`);
    throw new TransactionPending(transactionId, 'unknown', err);
  }
  if (currentContext()?.respondAsync) throw new TransactionPending(transactionId, 'submitted');
  let status: Awaited<ReturnType<typeof submitted.getStatus>>;
  try {
    status = await metrics.time('commit', () => submitted.getStatus());
  } catch (err) {
    metrics.transactions.inc({ outcome: 'unknown' });
    log.warn({ err }, `${label}: commit status not known; outcome unknown`);
    throw new TransactionPending(transactionId, 'unknown', err);
  }
  if (!status.successful) {
    metrics.transactions.inc({ outcome: 'invalid' });
    throw new CommitError({
      code: status.code,
      transactionId: status.transactionId,
      message: `Transaction ${status.transactionId} failed to commit with status code ${status.code} (${validationCodeName(status.code)})`,
    });
  }
  metrics.transactions.inc({ outcome: 'committed' });
  log.info({ blockNumber: status.blockNumber.toString() }, `${label} committed`);
  return { result, transactionId: status.transactionId, blockNumber: Number(status.blockNumber) };
}
