import { Request, Response, Router } from 'express';
import { TIME_PATTERN, TRAIL_TARGET_ID_PATTERN, TRAIL_TARGET_TYPES } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { ChaincodeClients } from '../chaincode/client';
import { recordCategorySchema, recordIdSchema, recordTypeSchema } from '../records/schema';
import { validateRequest } from '../validation';
import { reportCsv, type AuditReport } from './auditreport';
import { holderSchema, mspIdSchema } from './authorities';
import {
  atSchema,
  pageQuerySchema,
  reasonSchema,
  requireJson,
  submittedBody,
  transactionIdSchema,
} from './common';

const caseIdSchema = transactionIdSchema(
  'a case id (its opening transaction id: 64 lower-case hex characters)',
);
/** An ISO 8601 UTC date-time bound of a window. */
const timeSchema = z.string().regex(TIME_PATTERN, 'an ISO 8601 UTC date-time such as 2025-01-01T00:00:00Z');
const windowSchema = z.object({ from: timeSchema, to: timeSchema });

export const recordParams = z.object({ recordId: recordIdSchema });
/** Page of a target's trail. */
export const trailPageQuery = pageQuerySchema;
export const caseParams = z.object({ caseId: caseIdSchema });
export const openBody = z.strictObject({ recordId: recordIdSchema, reason: reasonSchema });
export const decisionBody = z.strictObject({ reason: reasonSchema });
export const policiesQuery = z.object({
  category: recordCategorySchema,
  recordType: recordTypeSchema,
  at: atSchema,
});
export const casesQuery = pageQuerySchema.extend({ issuerMsp: mspIdSchema }).merge(windowSchema);
export const targetParams = z.object({
  targetType: z.enum(TRAIL_TARGET_TYPES),
  targetId: z.string().regex(TRAIL_TARGET_ID_PATTERN, 'an object id'),
});
export const trailQuery = pageQuerySchema
  .extend({ mspId: mspIdSchema, actorId: holderSchema.optional() })
  .merge(windowSchema);
export const reportParams = z.object({ mspId: mspIdSchema });
export const reportQuery = windowSchema.extend({ format: z.enum(['json', 'csv']).optional() });

/** Decisions an auditor takes on a case: route segment → transaction. */
const DECISIONS = { approve: 'audit:Approve', reject: 'audit:Reject' } as const;

/**
 * `/api/v1/audit` (signed as the gateway's user: its auditor grants decide what it may do):
 * - `GET /policies?category=&recordType=&at=`: audit policies in force and what a case needs;
 * - `POST /cases` `{recordId, reason}`: an auditor of the record opens an inquiry (201);
 *   `GET /cases?issuerMsp=&from=&to=&pageSize=&bookmark=`; `GET /cases/:caseId` (case, decisions,
 *   tally); `GET /cases/:caseId/auditors` (eligible auditors);
 * - `POST /cases/:caseId/approve|reject` `{reason}`; `POST /cases/:caseId/expire` (anyone, after
 *   the deadline);
 * - `GET /trail/:targetType/:targetId?pageSize=&bookmark=` (a target's chain), `GET
 *   /trail/:targetType/:targetId/verify` (first break, if any), `GET
 *   /trail?mspId=&actorId=&from=&to=&pageSize=&bookmark=` (by ministry or actor, in a window);
 *   `GET /records/:recordId/trail` (= `/trail/record/:recordId`);
 * - `GET /reports/:mspId?from=&to=&format=json|csv` (or `Accept: text/csv`).
 */
export function auditRouter(clients: ChaincodeClients): Router {
  const router = Router();

  router.get('/policies', async (req: Request, res: Response) => {
    const q = validateRequest(policiesQuery, req.query, 'query');
    res
      .status(200)
      .json(await clients.user.evaluate('audit:GetPolicies', [q.category, q.recordType, q.at ?? '']));
  });

  router.post('/cases', requireJson, async (req: Request, res: Response) => {
    const { recordId, reason } = validateRequest(openBody, req.body, 'body');
    const submitted = await clients.user.submit('audit:OpenCase', [recordId, reason]);
    res.status(201).json(submittedBody(submitted));
  });

  router.get('/cases', async (req: Request, res: Response) => {
    const q = validateRequest(casesQuery, req.query, 'query');
    const args = [q.issuerMsp, q.from, q.to, String(q.pageSize), q.bookmark];
    res.status(200).json(await clients.user.evaluate('audit:ListCases', args));
  });

  router.get('/cases/:caseId', async (req: Request, res: Response) => {
    const { caseId } = validateRequest(caseParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('audit:GetCase', [caseId]));
  });

  router.get('/cases/:caseId/auditors', async (req: Request, res: Response) => {
    const { caseId } = validateRequest(caseParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('audit:GetEligibleAuditors', [caseId]));
  });

  for (const [action, transaction] of Object.entries(DECISIONS)) {
    router.post(`/cases/:caseId/${action}`, requireJson, async (req: Request, res: Response) => {
      const { caseId } = validateRequest(caseParams, req.params, 'params');
      const { reason } = validateRequest(decisionBody, req.body, 'body');
      res.status(200).json(submittedBody(await clients.user.submit(transaction, [caseId, reason])));
    });
  }

  router.post('/cases/:caseId/expire', async (req: Request, res: Response) => {
    const { caseId } = validateRequest(caseParams, req.params, 'params');
    res.status(200).json(submittedBody(await clients.user.submit('audit:ExpireCase', [caseId])));
  });

  router.get('/records/:recordId/trail', async (req: Request, res: Response) => {
    const { recordId } = validateRequest(recordParams, req.params, 'params');
    const page = validateRequest(pageQuerySchema, req.query, 'query');
    const args = ['record', recordId, String(page.pageSize), page.bookmark];
    res.status(200).json(await clients.user.evaluate('audit:GetTrail', args));
  });

  router.get('/trail', async (req: Request, res: Response) => {
    const q = validateRequest(trailQuery, req.query, 'query');
    const page = [q.from, q.to, String(q.pageSize), q.bookmark];
    const answer =
      q.actorId === undefined
        ? await clients.user.evaluate('audit:ListTrailByMinistry', [q.mspId, ...page])
        : await clients.user.evaluate('audit:ListTrailByActor', [q.mspId, q.actorId, ...page]);
    res.status(200).json(answer);
  });

  router.get('/trail/:targetType/:targetId', async (req: Request, res: Response) => {
    const { targetType, targetId } = validateRequest(targetParams, req.params, 'params');
    const page = validateRequest(pageQuerySchema, req.query, 'query');
    const args = [targetType, targetId, String(page.pageSize), page.bookmark];
    res.status(200).json(await clients.user.evaluate('audit:GetTrail', args));
  });

  router.get('/trail/:targetType/:targetId/verify', async (req: Request, res: Response) => {
    const { targetType, targetId } = validateRequest(targetParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('audit:VerifyTrail', [targetType, targetId]));
  });

  router.get('/reports/:mspId', async (req: Request, res: Response) => {
    const { mspId } = validateRequest(reportParams, req.params, 'params');
    const q = validateRequest(reportQuery, req.query, 'query');
    const report = (await clients.user.evaluate('audit:GetReport', [mspId, q.from, q.to])) as AuditReport;
    const csv =
      q.format === 'csv' || (q.format === undefined && req.accepts(['json', 'text/csv']) === 'text/csv');
    if (csv) {
      res.status(200).type('text/csv').send(reportCsv(report));
    } else {
      res.status(200).json(report);
    }
  });

  return router;
}
