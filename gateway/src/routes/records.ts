import { Request, Response, Router } from 'express';
import { LIST_INDEX_NAMES } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { ChaincodeClient } from '../chaincode/client';
import {
  amendRecordSchema,
  recordHashSchema,
  recordIdSchema,
  registerRecordSchema,
  RegisterRecordRequest,
} from '../records/schema';
import { RegisteredRecord, RecordsService } from '../records/service';
import { issueDocument, qrCodes, type IssuedDocument, type QrCodes } from '../documents/issue';
import { validateRequest } from '../validation';
import { documentTransient } from '../documents/salt';
import { pageQuerySchema, reasonSchema, requireJson, submittedBody } from './common';

/** Path parameters of `GET /verify/:hash`. */
export const hashParams = z.object({ hash: recordHashSchema });
/** Path parameters of the `/:id` routes. */
export const idParams = z.object({ id: recordIdSchema });
/** Body of the status changes. */
export const reasonBody = z.strictObject({ reason: reasonSchema });
/** Query of `POST /`: `include=qr` asks for the QR code of the document's verification link too. */
export const registerQuery = z.object({
  include: z
    .enum(['qr'])
    .optional()
    .describe(
      'qr: also answer the QR code of verifyUrl (SVG and a PNG data URL); it costs more CPU than the rest',
    ),
});
/** Query of `GET /`. */
export const listQuery = pageQuerySchema.extend({
  by: z.enum(LIST_INDEX_NAMES),
  value: z.string().min(1).max(128),
});

/** Status changes: route segment → `ledger:` transaction. */
const STATUS_CHANGES = {
  suspend: 'ledger:SuspendRecord',
  reinstate: 'ledger:ReinstateRecord',
  revoke: 'ledger:RevokeRecord',
} as const;

/** Answers a verification: 200 when found, 404 `{found: false, ...}` otherwise. */
function sendVerification(res: Response, verification: unknown, notFound: Record<string, string>): void {
  if ((verification as { found?: unknown }).found === true) res.status(200).json(verification);
  else res.status(404).json({ found: false, ...notFound });
}

/**
 * The holder's document of a just registered record (with its QR code when `withQr`), or why there
 * is none. It is built from the facts the transaction returned; only when the chaincode's result
 * lacks them is the record read back. The registration is committed whatever happens here, so a
 * failure is reported next to it, never instead of it.
 */
async function holderDocument(
  records: RecordsService,
  request: RegisterRecordRequest,
  registered: RegisteredRecord,
  publicUrl: string,
  withQr: boolean,
): Promise<(IssuedDocument & { qr?: QrCodes }) | { documentError: string }> {
  try {
    const record = registered.facts ?? (await records.getRecord(registered.id));
    const fields = { ...request.payload, ...(request.personal ?? {}) };
    const issued = issueDocument(record, fields, registered.salt, publicUrl);
    return withQr ? { ...issued, qr: await qrCodes(issued.verifyUrl) } : issued;
  } catch (err) {
    return {
      documentError: `the record is registered, but its holder's document could not be built: ${(err as Error).message}`,
    };
  }
}

/** The origin the verification page is served at: configured, else the one the request came to. */
function originOf(req: Request, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The routes of the first walking skeleton (registration, get, verify by hash). */
function coreRoutes(router: Router, records: RecordsService, publicUrl?: string): void {
  router.post('/', requireJson, async (req: Request, res: Response) => {
    const { include } = validateRequest(registerQuery, req.query, 'query');
    const request = validateRequest(registerRecordSchema, req.body, 'body');
    const registered = await records.registerRecord(request);
    const issued = await holderDocument(
      records,
      request,
      registered,
      originOf(req, publicUrl),
      include === 'qr',
    );
    // The registration's fields (its facts went into the document), with the fees it paid if any.
    const { id, hash, transactionId, blockNumber, status, salt, fees } = registered;
    res
      .status(201)
      .location(`/api/v1/records/${encodeURIComponent(id)}`)
      .json({ id, hash, transactionId, blockNumber, status, salt, ...(fees ? { fees } : {}), ...issued });
  });

  router.get('/verify/:hash', async (req: Request, res: Response) => {
    const { hash } = validateRequest(hashParams, req.params, 'params');
    sendVerification(res, await records.verifyHash(hash), { hash });
  });

  router.get('/:id', async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    res.status(200).json(await records.getRecord(id));
  });
}

/** Listing, history, verification by id and personal data (evaluated, as the gateway's user). */
function queryRoutes(router: Router, chaincode: ChaincodeClient): void {
  router.get('/', async (req: Request, res: Response) => {
    const q = validateRequest(listQuery, req.query, 'query');
    const args = [q.by, q.value, String(q.pageSize), q.bookmark];
    res.status(200).json(await chaincode.evaluate('ledger:ListRecords', args));
  });

  router.get('/:id/history', async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    res.status(200).json(await chaincode.evaluate('ledger:GetRecordHistory', [id]));
  });

  router.get('/:id/verify', async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    sendVerification(res, await chaincode.evaluate('ledger:VerifyRecord', [id]), { id });
  });

  router.get('/:id/personal', async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    res.status(200).json(await chaincode.evaluate('ledger:GetPersonalData', [id]));
  });

  router.get('/:id/personal/verify', async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    res.status(200).json(await chaincode.evaluate('ledger:VerifyPersonalDataHash', [id]));
  });
}

/** Amendment and status changes (submitted as the gateway's user, who must be the issuer). */
function changeRoutes(router: Router, chaincode: ChaincodeClient): void {
  router.post('/:id/amend', requireJson, async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    const { personal, ...amendment } = validateRequest(amendRecordSchema, req.body, 'body');
    const { transient, salt } = documentTransient(personal);
    const submitted = await chaincode.submit(
      'ledger:AmendRecord',
      [id, JSON.stringify(amendment)],
      transient,
    );
    res
      .status(201)
      .location(`/api/v1/records/${encodeURIComponent(amendment.newId)}`)
      .json({ ...submittedBody(submitted), salt });
  });

  for (const [action, transaction] of Object.entries(STATUS_CHANGES)) {
    router.post(`/:id/${action}`, requireJson, async (req: Request, res: Response) => {
      const { id } = validateRequest(idParams, req.params, 'params');
      const { reason } = validateRequest(reasonBody, req.body, 'body');
      res.status(200).json(submittedBody(await chaincode.submit(transaction, [id, reason])));
    });
  }
}

/**
 * `/api/v1/records`:
 * - `POST /[?include=qr]` registers a record (201 with id, hash, transactionId, blockNumber, status,
 *   salt, and the holder's document with its verification link, and with `include=qr` its QR code:
 *   documents/issue); the body's `personal` object goes to the transient map, never into the
 *   proposal arguments;
 * - `GET /?by=issuer|type|status&value=&pageSize=1..100&bookmark=` lists a page `{items, bookmark}`;
 * - `GET /verify/:hash` and `GET /:id/verify` answer 200 `{found: true, status, ...}` or 404
 *   `{found: false}` (404 so a plain HTTP client can tell "unknown" without parsing);
 * - `GET /:id`, `GET /:id/history`; `GET /:id/personal` (the issuing ministry only) and
 *   `GET /:id/personal/verify`;
 * - `POST /:id/amend` (201, the new version) and `POST /:id/suspend|reinstate|revoke` `{reason}`.
 * Without `chaincode` only the first walking skeleton's routes exist.
 */
export function recordsRouter(
  records: RecordsService,
  chaincode?: ChaincodeClient,
  publicUrl?: string,
): Router {
  const router = Router();
  if (chaincode) queryRoutes(router, chaincode);
  coreRoutes(router, records, publicUrl);
  if (chaincode) changeRoutes(router, chaincode);
  return router;
}
