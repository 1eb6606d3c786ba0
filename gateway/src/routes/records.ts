import { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../errors';
import { recordHashSchema, recordIdSchema, registerRecordSchema } from '../records/schema';
import { RecordsService } from '../records/service';
import { validateRequest } from '../validation';

const hashParams = z.object({ hash: recordHashSchema });
const idParams = z.object({ id: recordIdSchema });

/** Refuses bodies that are not JSON (express.json leaves them unparsed). */
function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'the request body must be JSON (Content-Type: application/json)',
    );
  }
  next();
}

/**
 * `/api/v1/records`:
 * - `POST /` registers a record (201 with id, hash, transactionId, blockNumber, status);
 * - `GET /verify/:hash` answers 200 `{found: true, ...}` for a registered payload hash and
 *   404 `{found: false, hash}` otherwise (404 so a plain HTTP client can tell "unknown" from "known"
 *   without parsing); a malformed hash is 400 before Fabric is called;
 * - `GET /:id` returns the record as the chaincode stores it (404 if there is none).
 */
export function recordsRouter(records: RecordsService): Router {
  const router = Router();

  router.post('/', requireJson, async (req: Request, res: Response) => {
    const request = validateRequest(registerRecordSchema, req.body, 'body');
    const registered = await records.registerRecord(request);
    res
      .status(201)
      .location(`/api/v1/records/${encodeURIComponent(registered.id)}`)
      .json(registered);
  });

  router.get('/verify/:hash', async (req: Request, res: Response) => {
    const { hash } = validateRequest(hashParams, req.params, 'params');
    const verification = await records.verifyHash(hash);
    if (verification.found) res.status(200).json(verification);
    else res.status(404).json({ found: false, hash });
  });

  router.get('/:id', async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    res.status(200).json(await records.getRecord(id));
  });

  return router;
}
