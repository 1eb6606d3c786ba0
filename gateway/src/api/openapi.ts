import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorCodes, type ErrorCode } from '../errors';
import { API_ROUTES, type ApiRoute } from './routes';

/** The body of every error answer (application/problem+json), as src/errors.ts writes it. */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(Object.keys(ErrorCodes) as [ErrorCode, ...ErrorCode[]]),
  transactionId: z.string().optional(),
  validationCode: z.string().optional(),
  endorsers: z.array(z.object({ mspId: z.string(), message: z.string() })).optional(),
  issues: z
    .array(z.object({ location: z.string(), path: z.string(), message: z.string(), code: z.string() }))
    .optional(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** The 202 body of a submit whose commit is not known yet (asynchronous, or outcome unknown). */
export const pendingSchema = z.object({
  transactionId: z.string(),
  status: z.enum(['SUBMITTED', 'UNKNOWN']),
  statusUrl: z.string(),
  detail: z.string(),
});

/** The header that makes a submit safe to retry (see idempotency/middleware.ts). */
const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe(
      'A retry with the same key (per caller) gets the first outcome again, without a new transaction',
    ),
});

const problem = (description: string): ResponseConfig => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

function responses(route: ApiRoute): Record<number, ResponseConfig> {
  const out: Record<number, ResponseConfig> = {
    [route.success]: {
      description: route.stream
        ? 'A stream of server-sent events; the schema is the `data` of each `chaincode` event'
        : route.writes
          ? 'Committed'
          : 'OK',
      content: { [route.stream ? 'text/event-stream' : 'application/json']: { schema: route.response } },
    },
    400: problem('The request is invalid (see `code` and `issues`)'),
    404: problem('Not found'),
    500: problem('A bug; quote X-Request-Id'),
    502: problem('The Fabric network or the chaincode failed'),
    503: problem('The peer is unavailable'),
  };
  if (route.writes) {
    out[202] = {
      description: 'Submitted (Prefer: respond-async) or outcome unknown: poll `statusUrl`',
      content: { 'application/json': { schema: pendingSchema } },
    };
    out[409] = problem(
      'Conflicts with the ledger: `ALREADY_EXISTS` (the id is taken), `ALREADY_USED` (a one-time step taken before: ' +
        'a deposit claimed, a voucher redeemed, rewards paid, a decision made, a grant revoked), ' +
        '`WRONG_STATUS` (not allowed in the current status: a revoked record revoked, a closed proposal voted on) or ' +
        '`TRANSACTION_INVALID` (invalidated by the peers; read conflicts after the retries)',
    );
    out[422] = problem('The Idempotency-Key was used for a different request');
  }
  if (route.admin) out[401] = problem('Missing or wrong admin bearer token');
  out[403] = problem('The chaincode refused the identity');
  return out;
}

/** `/api/v1/records/:id` → `/api/v1/records/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from {@link API_ROUTES}: the same zod
 * schemas that validate the requests describe them.
 */
export function openApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'adminToken', { type: 'http', scheme: 'bearer' });
  for (const route of API_ROUTES) {
    registry.registerPath({
      method: route.method,
      path: openApiPath(route.path),
      summary: route.summary,
      tags: [route.tag],
      security: route.admin ? [{ adminToken: [] }] : undefined,
      request: {
        headers: route.writes ? idempotencyHeader : undefined,
        params: route.params,
        query: route.query,
        body: route.body
          ? { content: { 'application/json': { schema: route.body } }, required: true }
          : undefined,
      },
      responses: responses(route),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'govfabric HTTP gateway',
      version: '1',
      description:
        "One ministry's gateway to the egov chaincode on Hyperledger Fabric. Errors are application/problem+json; submits answer when committed, or 202 with a status URL (`Prefer: respond-async`, or an unknown outcome).",
    },
  });
}
