import type * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { ordererMetrics } from './metrics';
import { MsgProcessorError, Status } from './msgprocessor';
import type { BroadcastTarget, Registrar } from './registrar';
import { BROADCAST_SUCCESS } from './wire';

const logger = getLogger('orderer.common.broadcast');

/** A Broadcast stream as grpc-js hands it to the service. */
export type BroadcastCall = grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>;

const statusNames = new Map(Object.entries(common.Status).map(([name, value]) => [value, name]));
const headerTypeNames = new Map(Object.entries(common.HeaderType).map(([name, value]) => [value, name]));

/** A BroadcastResponse (SUCCESS without info: the one shared {@link BROADCAST_SUCCESS}, encoded once). */
export function broadcastResponse(status: Status, info = ''): orderer.BroadcastResponse {
  if (status === common.Status.SUCCESS && info === '') return BROADCAST_SUCCESS;
  const r = new orderer.BroadcastResponse();
  r.setStatus(status);
  r.setInfo(info);
  return r;
}

/**
 * The orderer's Broadcast service (fabric orderer/common/broadcast/broadcast.go): each Envelope
 * is checked (channel header, channel, type, then the channel's filters) and enqueued for ordering;
 * its response is SUCCESS as soon as it is enqueued, before its block is cut, as Fabric's etcdraft
 * answers once its Submit is taken. After that only the block write can fail (the chain then stops
 * and later messages get SERVICE_UNAVAILABLE); whether a transaction committed is for its commit
 * status to tell. Responses come back in request order; the first non-SUCCESS response ends the
 * stream, as in Fabric.
 */
export class BroadcastHandler {
  constructor(private readonly registrar: Registrar) {}

  /** Serves one Broadcast stream. */
  handle(call: BroadcastCall): void {
    new BroadcastStream(call, (env) => this.processMessage(env)).start();
  }

  /**
   * Validates and enqueues one message (fabric ProcessMessage). Answers at once unless the chain
   * has its limit of blocks waiting to be written: then a promise, settled once the
   * message is enqueued (re-checked first if the channel's config changed meanwhile, as etcdraft
   * re-checks a message validated against an older config sequence) or refused.
   */
  processMessage(env: common.Envelope): orderer.BroadcastResponse | Promise<orderer.BroadcastResponse> {
    const started = process.hrtime.bigint();
    const labels = { channel: 'unknown', type: 'unknown', status: '' };
    const record = (resp: orderer.BroadcastResponse): orderer.BroadcastResponse => {
      labels.status = statusNames.get(resp.getStatus()) ?? String(resp.getStatus());
      ordererMetrics.processedCount.inc(labels);
      ordererMetrics.enqueueDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      return resp;
    };
    try {
      const target = this.registrar.broadcastChannelSupport(env);
      labels.channel = target.chdr.channelId;
      labels.type = headerTypeNames.get(target.chdr.type) ?? String(target.chdr.type);
      const checked = target.support.resources;
      let config = this.validate(target, env);
      target.support.chain.waitReady();
      const room = target.support.chain.room();
      if (room === undefined) return record(this.enqueue(target, env, config));
      return room.then(() => {
        try {
          target.support.chain.waitReady();
          if (target.support.resources !== checked) config = this.validate(target, env);
          return record(this.enqueue(target, env, config));
        } catch (err) {
          return record(this.refusal(labels.channel, err as Error));
        }
      });
    } catch (err) {
      return record(this.refusal(labels.channel, err as Error));
    }
  }

  /** The channel's filters (fabric ProcessNormalMsg / ProcessConfigUpdateMsg); for a config update, the CONFIG to order. */
  private validate(
    { support, isConfig, payload }: BroadcastTarget,
    env: common.Envelope,
  ): common.Envelope | undefined {
    if (!isConfig) {
      support.processor.processNormalMsg(env, payload);
      return undefined;
    }
    return support.processConfigUpdateMsg(env);
  }

  /** Hands a checked message to the chain (fabric Order / Configure) and answers SUCCESS. */
  private enqueue(
    { chdr, support }: BroadcastTarget,
    env: common.Envelope,
    config: common.Envelope | undefined,
  ): orderer.BroadcastResponse {
    // The chain logs and reports a failed block write itself (later messages get SERVICE_UNAVAILABLE).
    if (config) {
      logger.info(
        { channel: chdr.channelId, txId: chdr.txId },
        'Broadcast is processing config update message',
      );
      support.configure(config).catch(ignore);
    } else {
      if (logger.isLevelEnabled('debug'))
        logger.debug(
          { channel: chdr.channelId, txId: chdr.txId, type: headerTypeNames.get(chdr.type) },
          'Broadcast is processing normal message',
        );
      support.chain.order(env).catch(ignore);
    }
    return broadcastResponse(common.Status.SUCCESS);
  }

  /** The response to a refused message: the filter's status, or SERVICE_UNAVAILABLE from the consenter. */
  private refusal(channel: string, err: Error): orderer.BroadcastResponse {
    if (err instanceof MsgProcessorError) {
      logger.warn({ channel, status: err.status, err: err.message }, 'Rejecting broadcast of message');
      return broadcastResponse(err.status, err.message);
    }
    logger.warn(
      { channel, err: err.message },
      'Rejecting broadcast with SERVICE_UNAVAILABLE: rejected by Consenter',
    );
    return broadcastResponse(common.Status.SERVICE_UNAVAILABLE, err.message);
  }
}

function ignore(): void {}

/**
 * One client's Broadcast stream: messages handled one at a time in arrival order, responses written
 * in the same order. While a message waits for room in the chain the stream stops reading, and
 * later messages wait behind it.
 */
class BroadcastStream {
  private readonly queue: common.Envelope[] = [];
  private waiting = false;
  /** Set by the first rejection: later messages are not looked at (Fabric stops reading). */
  private stopped = false;
  private inputEnded = false;
  private ended = false;

  constructor(
    private readonly call: BroadcastCall,
    private readonly process: (
      env: common.Envelope,
    ) => orderer.BroadcastResponse | Promise<orderer.BroadcastResponse>,
  ) {}

  start(): void {
    this.call.on('data', (env: common.Envelope) => {
      if (this.stopped) return;
      this.queue.push(env);
      if (!this.waiting) this.drain();
    });
    this.call.on('end', () => {
      this.inputEnded = true;
      if (!this.waiting) this.end();
    });
    const gone = (): void => {
      this.stopped = true;
      this.ended = true;
    };
    this.call.on('cancelled', gone);
    this.call.on('error', gone);
  }

  private drain(): void {
    while (this.queue.length > 0 && !this.stopped) {
      const result = this.process(this.queue.shift()!);
      if (result instanceof Promise) {
        this.waiting = true;
        this.call.pause();
        void result.then((resp) => {
          this.waiting = false;
          this.respond(resp);
          if (this.stopped) return;
          this.call.resume();
          this.drain();
        });
        return;
      }
      this.respond(result);
    }
    if (this.inputEnded) this.end();
  }

  private respond(resp: orderer.BroadcastResponse): void {
    if (this.ended) return;
    this.call.write(resp);
    if (resp.getStatus() !== common.Status.SUCCESS) {
      this.stopped = true;
      this.queue.length = 0;
      this.end();
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.call.end();
  }
}
