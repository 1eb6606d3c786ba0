import { Request, RequestHandler, Response, Router } from 'express';
import { ID_PATTERN, ID_RULE, PROPOSAL_KINDS, PROPOSAL_STATUSES, SETTING_NAMES } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { ChaincodeClients } from '../chaincode/client';
import { validateRequest } from '../validation';
import { adminClient } from './adminclient';
import { pageQuerySchema, requireJson, submittedBody } from './common';

const proposalId = z.string().regex(ID_PATTERN, `a proposal id: ${ID_RULE}`);
/** Path parameters of the `/proposals/:id` routes. */
export const idParams = z.object({ id: proposalId });
/** Body of `POST /proposals`. */
export const proposeBody = z.strictObject({
  id: proposalId,
  kind: z.enum(PROPOSAL_KINDS),
  content: z.record(z.string(), z.unknown()),
  ttlDays: z.number().int().min(1).optional(),
});
/** Query of `GET /proposals`. */
export const listQuery = pageQuerySchema.extend({
  status: z.enum(PROPOSAL_STATUSES).optional(),
});
/** Path parameters of `GET /settings/:name`. */
export const settingParams = z.object({
  name: z.enum(SETTING_NAMES),
});

/** Decisions a ministry's admin takes on a proposal: route segment → transaction. */
const DECISIONS = { approve: 'governance:Approve', reject: 'governance:Reject' } as const;

/**
 * `/api/v1/governance`:
 * - `POST /ministries` (admin) registers this gateway's ministry; `GET /ministries` lists them
 *   with the approvals a proposal needs;
 * - `POST /proposals` (admin) `{id, kind: law|article|rule|setting, content, ttlDays?}`;
 *   `POST /proposals/:id/approve|reject` (admin); `POST /proposals/:id/tally` (anyone: enacts,
 *   rejects or expires it);
 * - `GET /proposals?status=&pageSize=&bookmark=`, `GET /proposals/:id`, `GET /settings/:name`.
 */
export function governanceRouter(clients: ChaincodeClients, admin: RequestHandler): Router {
  const router = Router();

  router.post('/ministries', admin, async (_req: Request, res: Response) => {
    const submitted = await adminClient(clients).submit('governance:RegisterMinistry');
    res.status(201).json(submittedBody(submitted));
  });

  router.get('/ministries', async (_req: Request, res: Response) => {
    res.status(200).json(await clients.user.evaluate('governance:GetMinistries'));
  });

  router.post('/proposals', admin, requireJson, async (req: Request, res: Response) => {
    const proposal = validateRequest(proposeBody, req.body, 'body');
    const submitted = await adminClient(clients).submit('governance:Propose', [JSON.stringify(proposal)]);
    res.status(201).location(`/api/v1/governance/proposals/${proposal.id}`).json(submittedBody(submitted));
  });

  for (const [action, transaction] of Object.entries(DECISIONS)) {
    router.post(`/proposals/:id/${action}`, admin, async (req: Request, res: Response) => {
      const { id } = validateRequest(idParams, req.params, 'params');
      res.status(200).json(submittedBody(await adminClient(clients).submit(transaction, [id])));
    });
  }

  router.post('/proposals/:id/tally', async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    res.status(200).json(submittedBody(await clients.user.submit('governance:Tally', [id])));
  });

  router.get('/proposals', async (req: Request, res: Response) => {
    const q = validateRequest(listQuery, req.query, 'query');
    const args = [q.status ?? '', String(q.pageSize), q.bookmark];
    res.status(200).json(await clients.user.evaluate('governance:ListProposals', args));
  });

  router.get('/proposals/:id', async (req: Request, res: Response) => {
    const { id } = validateRequest(idParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('governance:GetProposal', [id]));
  });

  router.get('/settings/:name', async (req: Request, res: Response) => {
    const { name } = validateRequest(settingParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('governance:GetSetting', [name]));
  });

  return router;
}
