import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { ChaincodeClients } from '../chaincode/client';
import { recordIdSchema } from '../records/schema';
import { validateRequest } from '../validation';
import { reasonSchema, requireJson, submittedBody } from './common';

/** Path parameters of `GET /records/:recordId/trail`. */
export const recordParams = z.object({ recordId: recordIdSchema });
/** Path parameters of `GET /cases/:caseId`. */
export const caseParams = z.object({
  caseId: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a case id (its opening transaction id: 64 lower-case hex characters)'),
});
/** Body of `POST /cases`. */
export const openBody = z.strictObject({ recordId: recordIdSchema, reason: reasonSchema });

/**
 * `/api/v1/audit`: `GET /records/:recordId/trail` (the record's audit entries, oldest first),
 * `POST /cases` `{recordId, reason}` (an auditor of the record opens a case; 201) and
 * `GET /cases/:caseId`. Signed as the gateway's user.
 */
export function auditRouter(clients: ChaincodeClients): Router {
  const router = Router();

  router.get('/records/:recordId/trail', async (req: Request, res: Response) => {
    const { recordId } = validateRequest(recordParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('audit:GetTrail', [recordId]));
  });

  router.post('/cases', requireJson, async (req: Request, res: Response) => {
    const { recordId, reason } = validateRequest(openBody, req.body, 'body');
    const submitted = await clients.user.submit('audit:OpenCase', [recordId, reason]);
    res.status(201).json(submittedBody(submitted));
  });

  router.get('/cases/:caseId', async (req: Request, res: Response) => {
    const { caseId } = validateRequest(caseParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('audit:GetCase', [caseId]));
  });

  return router;
}
