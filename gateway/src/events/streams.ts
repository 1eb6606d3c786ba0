import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../errors';
import { toApiError } from '../errorhandler';
import { getLogger } from '../logging';
import { currentContext } from '../ops/context';
import { resumeFrom, type StreamPosition } from './eventid';
import { SseResponse } from './sse';
import { streamEvents, type BlockSource, type EventFilter, type StreamStart } from './stream';
import type { CheckpointStore, HeldCheckpoint } from './subscriptions';

/** What a client asked of `GET /api/v1/events`, validated. */
export interface StreamRequest {
  filter: Omit<EventFilter, 'chaincode' | 'defaultContract'>;
  /** From `Last-Event-ID` (or `?lastEventId=`): resume right after it. */
  after?: StreamPosition;
  /** Durable subscription whose checkpoint says where to resume (when `after` is absent). */
  subscription?: string;
  /** First block when neither `after` nor a checkpoint says (default: the next block committed). */
  fromBlock?: bigint;
}

/** Settings of {@link EventStreams}. */
export interface EventStreamsOptions {
  source: BlockSource;
  /** Durable subscriptions; without it `?subscription=` is refused. */
  checkpoints?: CheckpointStore;
  chaincode: string;
  defaultContract: string;
  /** Comment line interval keeping idle streams open (default 15 s). */
  heartbeatMs?: number;
  /** Reconnection delay suggested to EventSource clients (default 2 s). */
  retryMs?: number;
  logger?: Logger;
}

/**
 * Where a stream starts: after `Last-Event-ID`, else where its subscription's checkpoint stands,
 * else at `from`, else at the next block. A new subscription saves its start at once, so blocks
 * committed before its first event are not skipped when it reconnects.
 */
async function startOf(
  request: StreamRequest,
  source: BlockSource,
  held?: HeldCheckpoint,
): Promise<StreamStart> {
  if (request.after) return resumeFrom(request.after);
  if (!held) return { startBlock: request.fromBlock, skipThrough: -1 };
  const checkpointed = held.checkpointer.getBlockNumber();
  if (checkpointed !== undefined) {
    return {
      startBlock: checkpointed,
      skipThrough: -1,
      skipThroughTransactionId: held.checkpointer.getTransactionId(),
    };
  }
  const startBlock = request.fromBlock ?? (await source.height());
  await held.checkpointer.checkpointBlock(startBlock - 1n);
  return { startBlock, skipThrough: -1 };
}

/**
 * The gateway's server-sent event streams: each reads the peer's blocks from where its client
 * stands and sends the chaincode events it asked for. `close` ends every stream (graceful shutdown:
 * clients reconnect to another instance with their last event id).
 */
export class EventStreams {
  /** Each open stream's controller, and a promise that settles once the stream has finished. */
  private readonly open = new Map<AbortController, Promise<void>>();
  private closing = false;
  private readonly logger: Logger;

  constructor(private readonly options: EventStreamsOptions) {
    this.logger = options.logger ?? getLogger('events');
  }

  /** Streams currently open. */
  get size(): number {
    return this.open.size;
  }

  /** Answers `req` with an event stream until the client leaves, the peer ends it, or {@link close}. */
  async serve(req: Request, res: Response, request: StreamRequest): Promise<void> {
    if (this.closing) throw new ApiError('SHUTTING_DOWN', 'the gateway is shutting down; reconnect');
    if (request.subscription !== undefined && !this.options.checkpoints) {
      throw new ApiError('VALIDATION_FAILED', 'durable subscriptions are not configured on this gateway');
    }
    const held =
      request.subscription === undefined
        ? undefined
        : await this.options.checkpoints?.hold(request.subscription);
    let start: StreamStart;
    try {
      start = await startOf(request, this.options.source, held);
    } catch (err) {
      held?.release();
      throw err;
    }
    const controller = new AbortController();
    let finished = (): void => undefined;
    this.open.set(controller, new Promise<void>((resolve) => (finished = resolve)));
    const sse = new SseResponse(res, this.options.heartbeatMs ?? 15_000, this.options.retryMs ?? 2_000);
    res.once('close', () => controller.abort());
    // The request's id as app.ts put it in the request context (pino-http's req.id).
    const log = this.logger.child({
      requestId: currentContext()?.requestId,
      subscription: request.subscription,
    });
    log.info(
      { startBlock: start.startBlock?.toString(), skipThrough: start.skipThrough },
      'event stream opened',
    );
    try {
      await streamEvents(
        this.options.source,
        start,
        {
          ...request.filter,
          chaincode: this.options.chaincode,
          defaultContract: this.options.defaultContract,
        },
        (frame) => sse.send(frame),
        controller.signal,
        held?.checkpointer,
      );
    } catch (err) {
      const problem = toApiError(err).toProblem();
      log.warn({ code: problem.code, detail: problem.detail }, 'event stream failed');
      await sse.send({ event: 'error', data: problem });
    } finally {
      held?.release();
      this.open.delete(controller);
      sse.end();
      log.info('event stream closed');
      finished();
    }
  }

  /**
   * Refuses new streams and ends the open ones; resolves once each has finished, its subscription's last
   * checkpoint written (a stream's checkpoint write may still be under way when its client has gone).
   */
  close(): Promise<void> {
    this.closing = true;
    const ended = [...this.open.values()];
    for (const controller of this.open.keys()) controller.abort();
    return Promise.all(ended).then(() => undefined);
  }
}
