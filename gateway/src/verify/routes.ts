import { Request, RequestHandler, Response, Router } from 'express';
import { currentCaller } from '../auth/caller';
import { validateRequest } from '../validation';
import { requireJson } from '../routes/common';
import { listVerificationsQuery, verifyBody } from './schema';
import type { VerificationService } from './service';

/** Whether the request is served for the public (no credentials), not for an organization. */
function forPublic(): boolean {
  const caller = currentCaller();
  return caller === undefined || 'public' in caller;
}

/**
 * `/api/v1/verifications`:
 * - `POST /` `{recordId?, hash?}` verifies and logs: 200 with the outcome, `NOT_FOUND` included
 *   (the verification itself happened and is on the ledger, unlike `GET /records/verify/:hash`); without
 *   credentials it is public (the verification page) and logged as `public`, with credentials as
 *   the caller's organization; `limit` keeps one client from filling the ledger;
 * - `GET /?subjectRef=&pageSize=&bookmark=` lists who verified a subject's records issued by the
 *   caller's ministry, and when (issuers and the ministry's admin; the chaincode decides).
 */
export function verificationsRouter(service: VerificationService, limit: RequestHandler): Router {
  const router = Router();
  router.post('/', limit, requireJson, async (req: Request, res: Response) => {
    const body = validateRequest(verifyBody, req.body, 'body');
    const answer = await service.verify(body, forPublic());
    res.status(200).json(answer);
  });
  router.get('/', async (req: Request, res: Response) => {
    const query = validateRequest(listVerificationsQuery, req.query, 'query');
    res.status(200).json(await service.list(query.subjectRef, query.pageSize, query.bookmark));
  });
  return router;
}
