import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../errors';
import { TransactionLookup } from '../fabric/transactions';
import { validateRequest } from '../validation';
import { transactionIdSchema } from './common';

/** Path parameters of `GET /:txId`: a Fabric transaction id (64 lower-case hex digits). */
export const txParams = z.object({
  txId: transactionIdSchema('a transaction id: 64 lower-case hex characters'),
});

/**
 * `/api/v1/transactions`: `GET /:txId` answers a transaction's status from the ledger (200
 * `{transactionId, valid, validationCode, blockNumber}`), or 404 while the ledger does not hold
 * it: where a 202 (asynchronous submit or unknown outcome) says to poll.
 */
export function transactionsRouter(transactions: TransactionLookup): Router {
  const router = Router();
  router.get('/:txId', async (req: Request, res: Response) => {
    const { txId } = validateRequest(txParams, req.params, 'params');
    const status = await transactions.lookup(txId);
    if (!status) {
      throw new ApiError(
        'NOT_FOUND',
        `transaction ${txId} is not in the ledger (yet): a transaction just submitted may still commit; poll again`,
        { transactionId: txId },
      );
    }
    res.status(200).json(status);
  });
  return router;
}
