import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../errors';
import { parseEventId, type StreamPosition } from '../events/eventid';
import type { EventStreams, StreamRequest } from '../events/streams';
import { SUBSCRIPTION_NAME } from '../events/subscriptions';
import { validateRequest } from '../validation';

/** A contract or chaincode event name, as egov names them. */
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;

/** Query of `GET /api/v1/events`. */
export const eventsQuery = z.strictObject({
  contract: z.string().regex(NAME, 'a contract name, e.g. ledger').optional(),
  event: z
    .string()
    .max(2048)
    .refine(
      (v) => v.split(',').every((name) => NAME.test(name)),
      'comma-separated event names, e.g. RecordRegistered',
    )
    .optional(),
  blocks: z.enum(['true', 'false']).optional(),
  from: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,18})$/, 'a block number')
    .optional(),
  subscription: z
    .string()
    .regex(SUBSCRIPTION_NAME, 'a subscription name: 1-64 of A-Z a-z 0-9 . _ -')
    .optional(),
  lastEventId: z.string().max(64).optional(),
});

/** The position a `Last-Event-ID` names; 400 naming the header when it is not an event id. */
function lastEventPosition(value: string | undefined, where: string): StreamPosition | undefined {
  if (value === undefined || value === '') return undefined;
  const position = parseEventId(value);
  if (!position) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `invalid ${where}: an event id of this stream, <block> or <block>-<transactionIndex>`,
    );
  }
  return position;
}

/**
 * `/api/v1/events`: `GET /` streams the chaincode's events as server-sent events (`chaincode`
 * events, and a `block` event at the end of each block unless `blocks=false`), filtered by
 * `contract` and `event` names. A client resumes with `Last-Event-ID`; a durable `subscription`
 * resumes from its checkpoint.
 */
export function eventsRouter(streams: EventStreams): Router {
  const router = Router();
  router.get('/', async (req: Request, res: Response) => {
    const query = validateRequest(eventsQuery, req.query, 'query');
    const after =
      lastEventPosition(req.get('last-event-id'), 'Last-Event-ID header') ??
      lastEventPosition(query.lastEventId, 'query.lastEventId');
    const request: StreamRequest = {
      filter: {
        contract: query.contract,
        eventNames: query.event?.split(',') ?? [],
        blocks: query.blocks !== 'false',
      },
      after,
      subscription: query.subscription,
      fromBlock: query.from === undefined ? undefined : BigInt(query.from),
    };
    await streams.serve(req, res, request);
  });
  return router;
}
