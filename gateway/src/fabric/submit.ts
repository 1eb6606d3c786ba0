import { CommitError, Proposal } from '@hyperledger/fabric-gateway';
import { Logger } from 'pino';
import { validationCodeName } from './errors';

/** What a committed submit answers: the endorsed result, its transaction id and block. */
export interface CommittedResult<T> {
  result: T;
  transactionId: string;
  blockNumber: number;
}

/**
 * fabric-gateway's submit flow for one proposal: endorse → `parse` the endorsed result → submit →
 * commit status. The result is checked before ordering, so an unusable answer is never committed;
 * a transaction the committer invalidated throws CommitError (mapped to 409 TRANSACTION_INVALID).
 *
 * @param label - names the transaction in the log lines (`<label> committed`).
 */
export async function endorseAndSubmit<T>(
  proposal: Proposal,
  parse: (result: Uint8Array) => T,
  log: Logger,
  label: string,
): Promise<CommittedResult<T>> {
  log.debug(`endorsing ${label}`);
  const transaction = await proposal.endorse();
  const result = parse(transaction.getResult());
  log.debug(`submitting ${label}`);
  const submitted = await transaction.submit();
  const status = await submitted.getStatus();
  if (!status.successful) {
    throw new CommitError({
      code: status.code,
      transactionId: status.transactionId,
      message: `Transaction ${status.transactionId} failed to commit with status code ${status.code} (${validationCodeName(status.code)})`,
    });
  }
  log.info({ blockNumber: status.blockNumber.toString() }, `${label} committed`);
  return { result, transactionId: status.transactionId, blockNumber: Number(status.blockNumber) };
}
