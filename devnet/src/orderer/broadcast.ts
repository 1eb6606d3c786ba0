import type * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { ordererMetrics } from './metrics';
import { MsgProcessorError, Status } from './msgprocessor';
import type { Registrar } from './registrar';

const logger = getLogger('orderer.common.broadcast');

/** A Broadcast stream as grpc-js hands it to the service. */
export type BroadcastCall = grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>;

/** Messages one stream may have waiting for their blocks before it stops reading (backpressure). */
const MAX_IN_FLIGHT_PER_STREAM = 2000;

const statusNames = new Map(Object.entries(common.Status).map(([name, value]) => [value, name]));
const headerTypeNames = new Map(Object.entries(common.HeaderType).map(([name, value]) => [value, name]));

/** A BroadcastResponse. */
export function broadcastResponse(status: Status, info = ''): orderer.BroadcastResponse {
  const r = new orderer.BroadcastResponse();
  r.setStatus(status);
  r.setInfo(info);
  return r;
}

/**
 * The orderer's Broadcast service (fabric orderer/common/broadcast/broadcast.go): each Envelope
 * is checked (channel header, channel, type, then the channel's filters) and enqueued; its
 * response is SUCCESS only once the block holding it is durably written. Responses come back in
 * request order; the first non-SUCCESS response ends the stream, as in Fabric.
 */
export class BroadcastHandler {
  constructor(private readonly registrar: Registrar) {}

  /** Serves one Broadcast stream. */
  handle(call: BroadcastCall): void {
    new BroadcastStream(call, (env) => this.processMessage(env)).start();
  }

  /**
   * Validates and enqueues one message (fabric ProcessMessage). Everything up to the enqueue
   * happens before this returns, so calls are ordered in call order; a rejection comes back at
   * once, an accepted message as a promise settled when its block is written.
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
      const { chdr, support, isConfig } = this.registrar.broadcastChannelSupport(env);
      labels.channel = chdr.getChannelId();
      labels.type = headerTypeNames.get(chdr.getType()) ?? String(chdr.getType());
      if (isConfig) {
        // fabric: ProcessConfigUpdateMsg, then the chain's Configure (the CONFIG goes in a block of its own).
        const config = support.processConfigUpdateMsg(env);
        support.chain.waitReady();
        logger.info(
          { channel: labels.channel, txId: chdr.getTxId() },
          'Broadcast is processing config update message',
        );
        return support.configure(config).then(
          () => record(broadcastResponse(common.Status.SUCCESS)),
          (err: Error) => record(broadcastResponse(common.Status.SERVICE_UNAVAILABLE, err.message)),
        );
      }
      support.processor.processNormalMsg(env);
      support.chain.waitReady();
      logger.debug(
        { channel: labels.channel, txId: chdr.getTxId(), type: labels.type },
        'Broadcast is processing normal message',
      );
      return support.chain.order(env).then(
        () => record(broadcastResponse(common.Status.SUCCESS)),
        (err: Error) => {
          logger.warn(
            { channel: labels.channel, err: err.message },
            'Rejecting broadcast of normal message with SERVICE_UNAVAILABLE: rejected by Order',
          );
          return record(broadcastResponse(common.Status.SERVICE_UNAVAILABLE, err.message));
        },
      );
    } catch (err) {
      if (err instanceof MsgProcessorError) {
        logger.warn(
          { channel: labels.channel, status: err.status, err: err.message },
          'Rejecting broadcast of message',
        );
        return record(broadcastResponse(err.status, err.message));
      }
      logger.warn(
        { channel: labels.channel, err: (err as Error).message },
        'Rejecting broadcast with SERVICE_UNAVAILABLE: rejected by Consenter',
      );
      return record(broadcastResponse(common.Status.SERVICE_UNAVAILABLE, (err as Error).message));
    }
  }
}

/** One client's Broadcast stream: responses written in request order, pipelined. */
class BroadcastStream {
  private tail: Promise<void> = Promise.resolve();
  /** Set by the first rejection: later messages are not looked at (Fabric stops reading). */
  private stopped = false;
  private ended = false;
  private inFlight = 0;
  private paused = false;

  constructor(
    private readonly call: BroadcastCall,
    private readonly process: (
      env: common.Envelope,
    ) => orderer.BroadcastResponse | Promise<orderer.BroadcastResponse>,
  ) {}

  start(): void {
    this.call.on('data', (env: common.Envelope) => this.onMessage(env));
    this.call.on('end', () => void this.tail.then(() => this.end()));
    const gone = (): void => {
      this.stopped = true;
      this.ended = true;
    };
    this.call.on('cancelled', gone);
    this.call.on('error', gone);
  }

  private onMessage(env: common.Envelope): void {
    if (this.stopped) return;
    const result = this.process(env);
    if (!(result instanceof Promise) && result.getStatus() !== common.Status.SUCCESS) this.stopped = true;
    this.inFlight++;
    if (this.inFlight >= MAX_IN_FLIGHT_PER_STREAM && !this.paused) {
      this.paused = true;
      this.call.pause();
    }
    this.tail = this.tail.then(async () => {
      const resp = await result;
      this.inFlight--;
      if (this.paused && this.inFlight < MAX_IN_FLIGHT_PER_STREAM / 2) {
        this.paused = false;
        this.call.resume();
      }
      if (this.ended) return;
      this.call.write(resp);
      if (resp.getStatus() !== common.Status.SUCCESS) {
        this.stopped = true;
        this.end();
      }
    });
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.call.end();
  }
}
