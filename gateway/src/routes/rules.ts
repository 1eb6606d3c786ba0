import { Request, Response, Router } from 'express';
import { VERSIONED_KINDS } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { ChaincodeClients } from '../chaincode/client';
import { recordCategorySchema, recordIdSchema, recordTypeSchema } from '../records/schema';
import { validateRequest } from '../validation';
import { atSchema, pageQuerySchema, requireJson } from './common';

/** A law's or rule's id: the chaincode's object id syntax. */
const objectId = recordIdSchema;
/** `?at=` of the tree route. */
export const atQuery = z.object({ at: atSchema });
/** `kind` and `id` of a law, an article (`<lawId>/<articleId>`) or a rule. */
export const versionedQuery = z.object({
  kind: z.enum(VERSIONED_KINDS),
  id: z.string().min(1).max(257),
  at: atSchema,
});
/** Query of `GET /for-record-type`. */
export const forTypeQuery = z.object({
  category: recordCategorySchema,
  recordType: recordTypeSchema,
  at: atSchema,
});
/** Body of `POST /evaluate`. */
export const evaluateBody = z.strictObject({
  category: recordCategorySchema,
  recordType: recordTypeSchema,
  payload: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
/** Query of `GET /laws`. */
export const pageQuery = pageQuerySchema;
/** Path parameters of `GET /laws/:lawId/tree`. */
export const lawParams = z.object({ lawId: objectId });
/** Path parameters of `GET /:ruleId`. */
export const ruleParams = z.object({ ruleId: objectId });

/**
 * `/api/v1/rules` (all evaluated; rules change only through governance proposals):
 * - `GET /laws?pageSize=&bookmark=`, `GET /laws/:lawId/tree?at=` (the tree in force at a time);
 * - `GET /versions?kind=law|article|rule&id=`, `GET /in-force?kind=&id=&at=`;
 * - `GET /for-record-type?category=&recordType=&at=`;
 * - `POST /evaluate` `{category, recordType, payload, metadata?}`: dry run, `{legalBasis}` or the
 *   violated rule (400);
 * - `GET /:ruleId` the rule's newest version.
 */
export function rulesRouter(clients: ChaincodeClients): Router {
  const router = Router();
  const evaluate = (transaction: string, args: string[]) => clients.user.evaluate(transaction, args);

  router.get('/laws', async (req: Request, res: Response) => {
    const q = validateRequest(pageQuery, req.query, 'query');
    res.status(200).json(await evaluate('rules:ListLaws', [String(q.pageSize), q.bookmark]));
  });

  router.get('/laws/:lawId/tree', async (req: Request, res: Response) => {
    const { lawId } = validateRequest(lawParams, req.params, 'params');
    const { at } = validateRequest(atQuery, req.query, 'query');
    res.status(200).json(await evaluate('rules:GetLawTree', [lawId, at ?? '']));
  });

  router.get('/versions', async (req: Request, res: Response) => {
    const q = validateRequest(versionedQuery, req.query, 'query');
    res.status(200).json(await evaluate('rules:GetVersions', [q.kind, q.id]));
  });

  router.get('/in-force', async (req: Request, res: Response) => {
    const q = validateRequest(versionedQuery, req.query, 'query');
    res.status(200).json(await evaluate('rules:GetInForce', [q.kind, q.id, q.at ?? '']));
  });

  router.get('/for-record-type', async (req: Request, res: Response) => {
    const q = validateRequest(forTypeQuery, req.query, 'query');
    res
      .status(200)
      .json(await evaluate('rules:GetRulesForRecordType', [q.category, q.recordType, q.at ?? '']));
  });

  router.post('/evaluate', requireJson, async (req: Request, res: Response) => {
    const body = validateRequest(evaluateBody, req.body, 'body');
    res.status(200).json(await evaluate('rules:EvaluateRecord', [JSON.stringify(body)]));
  });

  router.get('/:ruleId', async (req: Request, res: Response) => {
    const { ruleId } = validateRequest(ruleParams, req.params, 'params');
    res.status(200).json(await evaluate('rules:GetRule', [ruleId]));
  });

  return router;
}
