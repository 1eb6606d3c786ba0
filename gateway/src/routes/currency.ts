import { randomBytes } from 'node:crypto';
import { Request, Response, Router } from 'express';
import {
  ACCOUNT_ID_RULE,
  CENTRAL_BANK_MSP,
  RATE_PATTERN,
  TOKEN_CONTRACT,
  TRANSIENT_TOKEN_KEY,
  TokenTx,
  accountsCollection,
  parseAccountId,
  type AccountRef,
  type TokenTxName,
} from 'egov/dist/model/token';
import { TRANSIENT_SALT_KEY } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { ChaincodeClients } from '../chaincode/client';
import {
  accountIdSchema,
  amountSchema,
  conversionReferenceSchema,
  currencyCodeSchema,
  hexSaltSchema,
  memoSchema,
  movementIdSchema,
  positiveAmountSchema,
  publicAccountIdSchema,
  voucherSchema,
} from '../currency/schema';
import { depositCommitment } from '../documents/commitment';
import { newSalt } from '../documents/salt';
import { ApiError } from '../errors';
import { validateRequest } from '../validation';
import { atSchema, pageQuerySchema, requireJson, submittedBody, transactionIdSchema } from './common';

/** `token:<Function>`. */
const tx = (name: TokenTxName): string => `${TOKEN_CONTRACT}:${name}`;

/** Body of `POST /mint`. */
export const mintBody = z.strictObject({
  amount: amountSchema,
  /** Credited account; default the central bank's treasury. */
  to: accountIdSchema.optional(),
  memo: memoSchema.optional(),
});
/** Body of `POST /burn`. */
export const burnBody = z.strictObject({ amount: amountSchema, memo: memoSchema.optional() });
/** Body of `POST /transfers`. */
export const transferBody = z.strictObject({
  from: accountIdSchema,
  to: accountIdSchema,
  amount: amountSchema,
  memo: memoSchema.optional(),
});
/** Body of `POST /allowances`. */
export const approveBody = z.strictObject({
  owner: accountIdSchema,
  spender: accountIdSchema,
  amount: amountSchema,
});
/** Query of `GET /allowances`. */
export const allowanceQuery = z.object({ owner: accountIdSchema, spender: accountIdSchema });
/** Body of `POST /transfer-from`. */
export const transferFromBody = z.strictObject({
  spender: accountIdSchema,
  owner: accountIdSchema,
  to: accountIdSchema,
  amount: amountSchema,
  memo: memoSchema.optional(),
});
/** Path parameters of the `/accounts/:accountId/...` routes. */
export const accountParams = z.object({ accountId: accountIdSchema });
/** Query of `GET /accounts/:accountId/movements`. */
export const movementsQuery = pageQuerySchema;
/** Path parameters of `GET /movements/:movementId` (`<txId>.<7-digit sequence>`, as the chaincode checks it). */
export const movementParams = z.object({ movementId: movementIdSchema });
/** Body of `POST /rates`. */
export const rateBody = z.strictObject({
  quote: currencyCodeSchema,
  rate: z.string().regex(RATE_PATTERN, 'a decimal rate such as "0.000245"'),
  quoteMinorUnits: z.number().int().min(0).max(4),
});
/** Path parameters of `GET /rates/:quote`. */
export const quoteParams = z.object({ quote: currencyCodeSchema });
/** Query of `GET /rates/:quote`. */
export const rateQuery = z.object({ at: atSchema });
/** Body of `POST /conversions`. */
export const conversionBody = z.strictObject({
  direction: z.enum(['IN', 'OUT']),
  quote: currencyCodeSchema,
  amount: positiveAmountSchema,
  accountId: publicAccountIdSchema.optional(),
  reference: conversionReferenceSchema,
});
/** Path parameters of `GET /conversions/:id` (the recording transaction's id). */
export const conversionParams = z.object({
  id: transactionIdSchema('a conversion id (its transaction id: 64 lower-case hex characters)'),
});
/** Body of `POST /deposits`: from a public account into a citizen's account. */
export const depositBody = z.strictObject({
  from: accountIdSchema,
  to: accountIdSchema,
  amount: amountSchema,
  memo: memoSchema.optional(),
});
/** Path parameters of `POST /deposits/:depositId/claim`. */
export const depositParams = z.object({
  depositId: transactionIdSchema('a deposit id (its transaction id: 64 lower-case hex characters)'),
});
/** Body of `POST /deposits/:depositId/claim`. */
export const claimBody = z.strictObject({ accountId: accountIdSchema, salt: hexSaltSchema });
/** Body of `POST /withdrawals`: out of a citizen's account, as a voucher payable to a public account. */
export const withdrawBody = z.strictObject({
  from: accountIdSchema,
  amount: amountSchema,
  payTo: accountIdSchema,
});
/** Body of `POST /redemptions`: a voucher as `POST /withdrawals` answered it. */
export const redeemBody = z.strictObject({ voucher: voucherSchema });

/** A parsed account id (the schemas checked its form). */
function account(id: string): AccountRef {
  const ref = parseAccountId(id);
  if (ref === undefined) throw new ApiError('VALIDATION_FAILED', `${id}: ${ACCOUNT_ID_RULE}`);
  return ref;
}

/** A random salt as hex: chaincode stays deterministic and never draws one itself. */
const newHexSalt = (): string => randomBytes(32).toString('hex');

/**
 * `/api/v1/currency`, the `token` contract (the central bank's currency; chaincode/README.md):
 * - `GET /` the currency, its policy and supply; `POST /mint`, `POST /burn` (the central bank's
 *   currency issuers);
 * - `POST /transfers` between public accounts, or between two citizens' accounts of one ministry
 *   (private: the instruction travels in the transient map and only the account collection's
 *   members endorse); `POST /allowances`, `GET /allowances?owner=&spender=`, `POST /transfer-from`;
 * - `GET /accounts/:accountId/balance`, `GET /accounts/:accountId/movements` (citizens' accounts:
 *   on a peer of their ministry or the central bank), `POST /accounts/:accountId/consolidate`,
 *   `GET /movements/:movementId`;
 * - `POST /deposits` (public account → citizen, behind a salted commitment), `POST
 *   /deposits/:depositId/claim`, `POST /withdrawals` (citizen → voucher), `POST /redemptions`;
 * - `POST /rates`, `GET /rates/:quote?at=`, `POST /conversions`, `GET /conversions/:id`.
 * Fees are charged by `POST /api/v1/records` (`feeAccount` / `feeVoucher`).
 * @param ownMspId - the gateway's ministry: private transactions are endorsed by its peer alone,
 *   so it must be a member of the account's collection (the account's ministry or the central bank).
 */
export function currencyRouter(clients: ChaincodeClients, ownMspId: string | undefined): Router {
  const router = Router();
  const user = clients.user;

  /** The organizations that endorse a private transaction on `ref`'s collection: this gateway's own. */
  const privateEndorsers = (ref: AccountRef): string[] => {
    if (ownMspId === undefined || (ownMspId !== ref.mspId && ownMspId !== CENTRAL_BANK_MSP))
      throw new ApiError(
        'FORBIDDEN',
        `account ${ref.id} is kept in ${accountsCollection(ref.mspId)}, held by ${ref.mspId} and ` +
          `${CENTRAL_BANK_MSP} only; this gateway serves ${ownMspId ?? 'no known ministry'}`,
      );
    return [ownMspId];
  };

  /**
   * Submits a private transaction: its instruction and a fresh salt (the chaincode salts what it
   * writes to the collection, so the hashes on the channel cannot be guessed) in the transient map,
   * endorsed by the collection's members only.
   */
  const submitPrivate = (name: TokenTxName, ref: AccountRef, instruction: object) => {
    const endorsers = privateEndorsers(ref);
    const transient = { [TRANSIENT_TOKEN_KEY]: instruction, [TRANSIENT_SALT_KEY]: newSalt() };
    return user.submit(tx(name), [], transient, undefined, endorsers);
  };

  router.get('/', async (_req: Request, res: Response) => {
    res.status(200).json(await user.evaluate(tx(TokenTx.GetCurrency)));
  });

  router.post('/mint', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(mintBody, req.body, 'body');
    const submitted = await user.submit(tx(TokenTx.Mint), [b.amount, b.to ?? '', b.memo ?? '']);
    res.status(201).json(submittedBody(submitted));
  });

  router.post('/burn', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(burnBody, req.body, 'body');
    const submitted = await user.submit(tx(TokenTx.Burn), [b.amount, b.memo ?? '']);
    res.status(201).json(submittedBody(submitted));
  });

  router.post('/transfers', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(transferBody, req.body, 'body');
    const [from, to] = [account(b.from), account(b.to)];
    if (!from.private && !to.private) {
      const args = [b.from, b.to, b.amount, b.memo ?? ''];
      res.status(201).json(submittedBody(await user.submit(tx(TokenTx.Transfer), args)));
      return;
    }
    if (from.private && to.private && from.mspId === to.mspId) {
      const submitted = await submitPrivate(TokenTx.PrivateTransfer, from, {
        from: b.from,
        to: b.to,
        amount: b.amount,
        ...(b.memo === undefined ? {} : { memo: b.memo }),
      });
      res.status(201).json(submittedBody(submitted));
      return;
    }
    throw new ApiError(
      'VALIDATION_FAILED',
      `a transfer between ${b.from} and ${b.to} mixes collections: move money into a citizen's account ` +
        'with POST /api/v1/currency/deposits and out of it with POST /api/v1/currency/withdrawals',
    );
  });

  router.post('/allowances', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(approveBody, req.body, 'body');
    const submitted = await user.submit(tx(TokenTx.Approve), [b.owner, b.spender, b.amount]);
    res.status(201).json(submittedBody(submitted));
  });

  router.get('/allowances', async (req: Request, res: Response) => {
    const q = validateRequest(allowanceQuery, req.query, 'query');
    res.status(200).json(await user.evaluate(tx(TokenTx.GetAllowance), [q.owner, q.spender]));
  });

  router.post('/transfer-from', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(transferFromBody, req.body, 'body');
    const args = [b.spender, b.owner, b.to, b.amount, b.memo ?? ''];
    res.status(201).json(submittedBody(await user.submit(tx(TokenTx.TransferFrom), args)));
  });

  router.get('/accounts/:accountId/balance', async (req: Request, res: Response) => {
    const { accountId } = validateRequest(accountParams, req.params, 'params');
    const ref = account(accountId);
    if (ref.private) privateEndorsers(ref);
    const name = ref.private ? TokenTx.GetPrivateBalance : TokenTx.GetBalance;
    res.status(200).json(await user.evaluate(tx(name), [accountId]));
  });

  router.get('/accounts/:accountId/movements', async (req: Request, res: Response) => {
    const { accountId } = validateRequest(accountParams, req.params, 'params');
    const q = validateRequest(movementsQuery, req.query, 'query');
    const ref = account(accountId);
    if (ref.private) privateEndorsers(ref);
    const name = ref.private ? TokenTx.ListPrivateMovements : TokenTx.ListMovements;
    res.status(200).json(await user.evaluate(tx(name), [accountId, String(q.pageSize), q.bookmark]));
  });

  router.post('/accounts/:accountId/consolidate', async (req: Request, res: Response) => {
    const { accountId } = validateRequest(accountParams, req.params, 'params');
    res.status(200).json(submittedBody(await user.submit(tx(TokenTx.Consolidate), [accountId])));
  });

  router.get('/movements/:movementId', async (req: Request, res: Response) => {
    const { movementId } = validateRequest(movementParams, req.params, 'params');
    res.status(200).json(await user.evaluate(tx(TokenTx.GetMovement), [movementId]));
  });

  router.post('/deposits', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(depositBody, req.body, 'body');
    const to = account(b.to);
    if (!to.private)
      throw new ApiError(
        'VALIDATION_FAILED',
        `${b.to} is a public account: use POST /api/v1/currency/transfers`,
      );
    const salt = newHexSalt();
    const args = [b.from, to.mspId, b.amount, depositCommitment(b.to, salt), b.memo ?? ''];
    const submitted = await user.submit(tx(TokenTx.Deposit), args);
    // The salt opens the commitment: whoever claims needs it, and it is never on the ledger.
    res.status(201).json({ ...submittedBody(submitted), depositId: submitted.transactionId, salt });
  });

  router.post('/deposits/:depositId/claim', requireJson, async (req: Request, res: Response) => {
    const { depositId } = validateRequest(depositParams, req.params, 'params');
    const b = validateRequest(claimBody, req.body, 'body');
    const submitted = await submitPrivate(TokenTx.Claim, account(b.accountId), {
      depositId,
      accountId: b.accountId,
      salt: b.salt,
    });
    res.status(201).json(submittedBody(submitted));
  });

  router.post('/withdrawals', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(withdrawBody, req.body, 'body');
    const from = account(b.from);
    const salt = newHexSalt();
    const submitted = await submitPrivate(TokenTx.Withdraw, from, {
      from: b.from,
      amount: b.amount,
      payTo: b.payTo,
      salt,
    });
    // The voucher's fields open its hash on the channel: whoever redeems needs them (the salt is never on the ledger).
    const voucher = {
      id: submitted.transactionId,
      mspId: from.mspId,
      amount: b.amount,
      payTo: b.payTo,
      salt,
    };
    res.status(201).json({ ...submittedBody(submitted), voucher });
  });

  router.post('/redemptions', requireJson, async (req: Request, res: Response) => {
    const { voucher } = validateRequest(redeemBody, req.body, 'body');
    const submitted = await user.submit(tx(TokenTx.Redeem), [JSON.stringify(voucher)]);
    res.status(201).json(submittedBody(submitted));
  });

  router.post('/rates', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(rateBody, req.body, 'body');
    const args = [b.quote, b.rate, String(b.quoteMinorUnits)];
    res.status(201).json(submittedBody(await user.submit(tx(TokenTx.PublishRate), args)));
  });

  router.get('/rates/:quote', async (req: Request, res: Response) => {
    const { quote } = validateRequest(quoteParams, req.params, 'params');
    const { at } = validateRequest(rateQuery, req.query, 'query');
    res.status(200).json(await user.evaluate(tx(TokenTx.GetRate), [quote, at ?? '']));
  });

  router.post('/conversions', requireJson, async (req: Request, res: Response) => {
    const b = validateRequest(conversionBody, req.body, 'body');
    const submitted = await user.submit(tx(TokenTx.RecordConversion), [JSON.stringify(b)]);
    res.status(201).json(submittedBody(submitted));
  });

  router.get('/conversions/:id', async (req: Request, res: Response) => {
    const { id } = validateRequest(conversionParams, req.params, 'params');
    res.status(200).json(await user.evaluate(tx(TokenTx.GetConversion), [id]));
  });

  return router;
}
