import { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { ChaincodeClients } from '../chaincode/client';
import { recordTypeSchema } from '../records/schema';
import { validateRequest } from '../validation';
import { requireJson, submittedBody } from './common';
import { adminClient } from './adminclient';

/** Path parameters of the `/:recordType` routes. */
export const typeParams = z.object({ recordType: recordTypeSchema });
/** Query of `GET /:recordType`. */
export const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
/** Body of `POST /`. */
export const registerBody = z.strictObject({
  recordType: recordTypeSchema,
  /** A JSON Schema (draft-07) of an object: the chaincode compiles and checks it. */
  schema: z.record(z.string(), z.unknown()),
  personalFields: z.array(z.string().min(1).max(64)).max(64).optional(),
});

/**
 * `/api/v1/schemas`:
 * - `POST /` (admin) `{recordType, schema, personalFields?}` registers the next version (201);
 * - `GET /:recordType?version=N` the latest (or version N); `GET /:recordType/versions` all versions.
 */
export function schemasRouter(clients: ChaincodeClients, admin: RequestHandler): Router {
  const router = Router();

  router.post('/', admin, requireJson, async (req: Request, res: Response) => {
    const { recordType, ...schemaDoc } = validateRequest(registerBody, req.body, 'body');
    const submitted = await adminClient(clients).submit('schemas:RegisterSchema', [
      recordType,
      JSON.stringify(schemaDoc),
    ]);
    res.status(201).location(`/api/v1/schemas/${recordType}`).json(submittedBody(submitted));
  });

  router.get('/:recordType/versions', async (req: Request, res: Response) => {
    const { recordType } = validateRequest(typeParams, req.params, 'params');
    res.status(200).json(await clients.user.evaluate('schemas:ListSchemaVersions', [recordType]));
  });

  router.get('/:recordType', async (req: Request, res: Response) => {
    const { recordType } = validateRequest(typeParams, req.params, 'params');
    const { version } = validateRequest(versionQuery, req.query, 'query');
    const args = [recordType, version === undefined ? '' : String(version)];
    res.status(200).json(await clients.user.evaluate('schemas:GetSchema', args));
  });

  return router;
}
