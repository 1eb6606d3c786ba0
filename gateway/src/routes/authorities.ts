import { Request, RequestHandler, Response, Router } from 'express';
import { HOLDER_PATTERN, MSP_ID_PATTERN, ROLES } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { ChaincodeClients } from '../chaincode/client';
import { recordCategorySchema, recordTypeSchema } from '../records/schema';
import { validateRequest } from '../validation';
import { adminClient } from './adminclient';
import { pageQuerySchema, reasonSchema, requireJson, submittedBody, transactionIdSchema } from './common';

/** An MSP ID such as `EducationMSP`. */
export const mspIdSchema = z.string().regex(MSP_ID_PATTERN, 'an MSP ID such as EducationMSP');
/** An identity id as `WhoAmI` reports it (`x509::<subject>::<issuer>`). */
export const holderSchema = z
  .string()
  .regex(
    HOLDER_PATTERN,
    'an identity id as GET /api/v1/authorities/me reports it (x509::<subject>::<issuer>)',
  );
const scopeSchema = z.string().min(1).max(200);
const grantIdSchema = transactionIdSchema('a grant id (its transaction id: 64 lower-case hex characters)');

/** Body of `POST /grants`. */
export const grantBody = z.strictObject({
  holder: holderSchema,
  role: z.enum(ROLES),
  scope: scopeSchema,
  expiresAt: z.string().min(1).max(64).optional(),
  issuers: z.array(mspIdSchema).max(64).optional(),
});
/** Path parameters of the `/grants/:grantId` routes. */
export const grantParams = z.object({ grantId: grantIdSchema });
/** Query of `GET /grants`. */
export const listQuery = pageQuerySchema.extend({ mspId: mspIdSchema, holder: holderSchema.optional() });
/** Query of `GET /check`. */
export const checkQuery = z.object({ role: z.enum(ROLES), scope: scopeSchema });
/** Query of `GET /auditors`. */
export const auditorsQuery = z.object({
  category: recordCategorySchema,
  recordType: recordTypeSchema,
  issuerMsp: mspIdSchema,
});
/** Body of `POST /grants/:grantId/revoke`. */
export const revokeBody = z.strictObject({ reason: reasonSchema });
/** Query of `GET /me`. */
export const meQuery = z.object({ as: z.enum(['user', 'admin']).default('user') });

/**
 * `/api/v1/authorities`:
 * - `GET /me?as=user|admin` (who-am-i: MSP id, identity id, root admin?);
 * - `POST /grants` (admin) `{holder, role, scope, expiresAt?, issuers?}` (201, the grant; id = txId);
 *   `POST /grants/:grantId/revoke` (admin) `{reason}`;
 * - `GET /grants?mspId=&holder=&pageSize=&bookmark=`, `GET /grants/:grantId`;
 * - `GET /check?role=&scope=`: whether this gateway's user holds the role (403 naming what lacks);
 * - `GET /auditors?category=&recordType=&issuerMsp=`: who may audit such records.
 */
export function authoritiesRouter(clients: ChaincodeClients, admin: RequestHandler): Router {
  const router = Router();

  // `as=admin` signs with the admin identity, so it needs what every admin route needs.
  const adminIfAsked: RequestHandler = (req, res, next) => {
    const { as } = validateRequest(meQuery, req.query, 'query');
    if (as === 'admin') admin(req, res, next);
    else next();
  };

  router.get('/me', adminIfAsked, async (req: Request, res: Response) => {
    const { as } = validateRequest(meQuery, req.query, 'query');
    const client = as === 'admin' ? adminClient(clients) : clients.user;
    res.status(200).json(await client.evaluate('authorities:WhoAmI'));
  });

  router.post('/grants', admin, requireJson, async (req: Request, res: Response) => {
    const grant = validateRequest(grantBody, req.body, 'body');
    const submitted = await adminClient(clients).submit('authorities:GrantRole', [JSON.stringify(grant)]);
    res
      .status(201)
      .location(`/api/v1/authorities/grants/${submitted.transactionId}`)
      .json(submittedBody(submitted));
  });

  router.post('/grants/:grantId/revoke', admin, requireJson, async (req: Request, res: Response) => {
    const { grantId } = validateRequest(grantParams, req.params, 'params');
    const { reason } = validateRequest(revokeBody, req.body, 'body');
    const submitted = await adminClient(clients).submit('authorities:RevokeRole', [grantId, reason]);
    res.status(200).json(submittedBody(submitted));
  });

  router.get('/grants', async (req: Request, res: Response) => {
    const q = validateRequest(listQuery, req.query, 'query');
    const args = [q.mspId, q.holder ?? '', String(q.pageSize), q.bookmark];
    res.status(200).json(await clients.user.evaluate('authorities:ListGrants', args));
  });

  router.get('/grants/:grantId', async (req: Request, res: Response) => {
    const { grantId } = validateRequest(grantParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('authorities:GetGrant', [grantId]));
  });

  router.get('/check', async (req: Request, res: Response) => {
    const q = validateRequest(checkQuery, req.query, 'query');
    res.status(200).json(await clients.user.evaluate('authorities:CheckRole', [q.role, q.scope]));
  });

  router.get('/auditors', async (req: Request, res: Response) => {
    const q = validateRequest(auditorsQuery, req.query, 'query');
    const args = [q.category, q.recordType, q.issuerMsp];
    res.status(200).json(await clients.user.evaluate('authorities:WhoMayAudit', args));
  });

  return router;
}
