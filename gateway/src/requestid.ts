import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

/** Header carrying the request id both ways (accepted from a proxy, always echoed). */
export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming id is reused only if it is short and harmless in logs. */
const acceptableId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * pino-http's `genReqId`: the caller's `X-Request-Id` if acceptable, else a fresh UUID; the id is
 * echoed in the response header so clients can quote it when reporting a problem.
 */
export function genRequestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && acceptableId.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
