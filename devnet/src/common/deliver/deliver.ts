import type * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import type { BlockReader } from '../../ledger/blockstore/blockreader';
import { isConfigBlock } from '../../protoutil/blockutils';
import type { SignedData } from '../../protoutil/signeddata';
import { timestampToMillis } from '../../protoutil/timestamp';
import { getLogger } from '../logging';
import { deliverMetrics } from './metrics';
import {
  DeliverMode,
  DeliverResponseMessage,
  PrivateDataMap,
  ResponseSender,
  Status,
  responseSender,
} from './responsesender';
import { seekStart, seekStop } from './seekinfo';
import { RequestQueue } from './requestqueue';
import { SessionAccessControl } from './sessionac';

const logger = getLogger('common.deliver');

/** Fabric's default peer.authentication.timewindow / General.Authentication.TimeWindow. */
export const DEFAULT_TIME_WINDOW_MS = 15 * 60 * 1000;

/** A policy as the deliver server needs it (policies.Policy satisfies this). */
export interface DeliverPolicy {
  /** Throws (naming the policy) unless the signatures satisfy it. */
  evaluate(signedData: SignedData[]): void;
}

/** What deliver needs of a channel. */
export interface DeliverSupport {
  channelId: string;
  store: BlockReader;
  /** The channel's policies (policies.PolicyManager); read on every request, so it may be swapped. */
  policies: { getPolicy(path: string): DeliverPolicy | undefined };
  /** `/Channel/Readers` on the orderer; `/Channel/Application/Readers` on a peer (ACL event/Block). */
  readersPolicy: string;
  /** The channel's MSPs (kept for the DESIGN contract; expiry is read from the certificate itself, as Fabric does). */
  msps?: unknown;
  /** Config sequence: when it grows, running sessions re-check the policy. */
  configSequence?: () => number;
  /**
   * The private data of a committed block that the requesting client (its signed request) is eligible for,
   * by tx sequence in the block; used by DeliverWithPrivateData only (none when absent). A throw ends the
   * stream, as Fabric's getPrivateData error does.
   */
  privateData?: (blockNumber: number, signedData: SignedData[]) => Promise<PrivateDataMap>;
  /**
   * The encoded response carrying block `n` whole, to be written to the stream as is (undefined beyond
   * the chain). Only for a stream whose response serializer passes bytes through: the orderer's.
   */
  encodedBlockResponse?: (n: number) => Promise<Uint8Array | undefined>;
}

/** Finds the channel a request names; undefined means NOT_FOUND. */
export type DeliverSupportLookup = (channelId: string) => DeliverSupport | undefined;

/** Tuning of {@link handleDeliver}. */
export interface DeliverOptions {
  /** How far a request's channel header timestamp may be from the server's clock (default 15 min). */
  timeWindowMs?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Any Deliver bidi stream: the peer's three services or the orderer's. */
export type DeliverCall = grpc.ServerDuplexStream<common.Envelope, DeliverResponseMessage>;

/**
 * Serves one Deliver stream (fabric common/deliver/deliver.go Handle): each request is a signed
 * Envelope holding a SeekInfo; the blocks it asks for are streamed (full, filtered, with private
 * data, or the orderer's responses, per `mode`), then a SUCCESS status; the next request on the
 * stream is served after that. A non-SUCCESS status ends the stream, as does the client half-closing.
 * Waiting stops when the client cancels.
 */
export function handleDeliver(
  call: DeliverCall,
  support: DeliverSupport | DeliverSupportLookup,
  mode: DeliverMode,
  options: DeliverOptions = {},
): void {
  const lookup: DeliverSupportLookup =
    typeof support === 'function' ? support : (id) => (id === support.channelId ? support : undefined);
  const session = new DeliverSession(call, lookup, responseSender(mode), {
    timeWindowMs: options.timeWindowMs ?? DEFAULT_TIME_WINDOW_MS,
    now: options.now ?? (() => new Date()),
  });
  session.run().catch((err: unknown) => {
    logger.warn({ err: (err as Error).message }, 'deliver stream failed');
    // As a Go handler returning an error: the stream ends with gRPC status UNKNOWN and the message
    // (destroy() would drop the stream without any status, leaving the client waiting).
    call.emit('error', err as Error);
  });
}

/** One client's Deliver stream. */
class DeliverSession {
  private readonly abort = new AbortController();

  constructor(
    private readonly call: DeliverCall,
    private readonly lookup: DeliverSupportLookup,
    private readonly sender: ResponseSender,
    private readonly options: Required<DeliverOptions>,
  ) {
    const stop = (): void => this.abort.abort();
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);
  }

  async run(): Promise<void> {
    deliverMetrics.streamsOpened.inc();
    try {
      const requests = new RequestQueue<common.Envelope>(this.call);
      for (let envelope = await requests.next(); envelope; envelope = await requests.next()) {
        const status = await this.deliverBlocks(envelope);
        if (this.abort.signal.aborted) return;
        await this.send(this.sender.statusResponse(status));
        if (status !== common.Status.SUCCESS) break;
      }
      if (!this.abort.signal.aborted) this.call.end();
    } catch (err) {
      if (this.abort.signal.aborted) return; // the client went away: nothing to report
      throw err;
    } finally {
      deliverMetrics.streamsClosed.inc();
    }
  }

  /** Streams the blocks one request asks for and returns the final status (fabric deliverBlocks). */
  private async deliverBlocks(envelope: common.Envelope): Promise<Status> {
    const parsed = this.parseEnvelope(envelope);
    if (typeof parsed === 'string') {
      logger.warn({ err: parsed }, 'error parsing deliver envelope');
      return common.Status.BAD_REQUEST;
    }
    const { payload, chdr, signedData } = parsed;
    const support = this.lookup(chdr.getChannelId());
    if (!support) {
      logger.debug({ channel: chdr.getChannelId() }, 'Rejecting deliver because channel not found');
      return common.Status.NOT_FOUND;
    }
    const labels = {
      channel: support.channelId,
      filtered: String(this.sender.dataType === 'filtered_block'),
      data_type: this.sender.dataType,
    };
    deliverMetrics.requestsReceived.inc(labels);
    const status = await this.deliverFromChannel(support, payload, signedData);
    deliverMetrics.requestsCompleted.inc({ ...labels, success: String(status === common.Status.SUCCESS) });
    return status;
  }

  private async deliverFromChannel(
    support: DeliverSupport,
    payload: common.Payload,
    signedData: SignedData[],
  ): Promise<Status> {
    const channel = support.channelId;
    let seekInfo: orderer.SeekInfo;
    try {
      seekInfo = orderer.SeekInfo.deserializeBinary(payload.getData_asU8());
    } catch (err) {
      logger.warn(
        { channel, err: (err as Error).message },
        'deliver request with malformed seekInfo payload',
      );
      return common.Status.BAD_REQUEST;
    }
    const ac = new SessionAccessControl(
      signedData,
      (sd) => checkPolicy(support, sd),
      support.configSequence,
      this.options.now,
    );
    try {
      ac.evaluate();
    } catch (err) {
      logger.warn({ channel, err: (err as Error).message }, 'deliver client is not authorized');
      return common.Status.FORBIDDEN;
    }
    if (!seekInfo.getStart() || !seekInfo.getStop()) {
      logger.warn({ channel }, 'seekInfo with missing start or stop');
      return common.Status.BAD_REQUEST;
    }
    const store = support.store;
    let number = seekStart(seekInfo.getStart()!, store.height());
    if (number === undefined) return common.Status.NOT_FOUND;
    const stopNum = seekStop(seekInfo, number, store.height());
    if (stopNum === undefined) {
      logger.warn({ channel, start: number }, 'invalid seekInfo: start number greater than stop number');
      return common.Status.BAD_REQUEST;
    }
    const failIfNotReady = seekInfo.getBehavior() === orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY;
    const headersOnly = seekInfo.getContentType() === orderer.SeekInfo.SeekContentType.HEADER_WITH_SIG;
    for (;;) {
      if (failIfNotReady && number > store.height() - 1) {
        logger.warn(
          { channel, block: number },
          'Block not found, block number greater than chain length bounds',
        );
        return common.Status.NOT_FOUND;
      }
      await store.waitForHeight(number + 1, this.abort.signal);
      // The whole block, already encoded: no block to decode and re-encode for this stream.
      let encoded: Uint8Array | undefined;
      let block: common.Block | undefined;
      if (support.encodedBlockResponse && !headersOnly) encoded = await support.encodedBlockResponse(number);
      else block = await store.getBlock(number);
      if (!encoded && !block) return common.Status.SERVICE_UNAVAILABLE;
      number++;
      try {
        ac.evaluate();
      } catch (err) {
        logger.warn({ channel, err: (err as Error).message }, 'deliver client authorization revoked');
        return common.Status.FORBIDDEN;
      }
      if (!block) {
        await this.send(encoded as unknown as DeliverResponseMessage);
      } else {
        const toSend = headersOnly && !isConfigBlock(block) ? withoutData(block) : block;
        const pvt =
          this.sender.dataType === 'block_and_pvtdata'
            ? await support.privateData?.(number - 1, signedData)
            : undefined;
        await this.send(this.sender.blockResponse(toSend, pvt));
      }
      deliverMetrics.blocksSent.inc({
        channel,
        filtered: String(this.sender.dataType === 'filtered_block'),
        data_type: this.sender.dataType,
      });
      if (number - 1 === stopNum) break;
    }
    return common.Status.SUCCESS;
  }

  /** Payload, channel header and signed data of a request, or why it is malformed (fabric parseEnvelope). */
  private parseEnvelope(
    envelope: common.Envelope,
  ): { payload: common.Payload; chdr: common.ChannelHeader; signedData: SignedData[] } | string {
    try {
      const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
      const header = payload.getHeader();
      if (!header) return 'envelope has no header';
      const chdr = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
      const shdr = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
      const timeError = this.checkTimestamp(chdr);
      if (timeError) return timeError;
      const signedData = [
        {
          data: envelope.getPayload_asU8(),
          identity: shdr.getCreator_asU8(),
          signature: envelope.getSignature_asU8(),
        },
      ];
      return { payload, chdr, signedData };
    } catch (err) {
      return (err as Error).message;
    }
  }

  /** The channel header must carry a timestamp within the time window (fabric validateChannelHeader). */
  private checkTimestamp(chdr: common.ChannelHeader): string | undefined {
    const ts = chdr.getTimestamp();
    if (!ts) return 'channel header in envelope must contain timestamp';
    const envTime = timestampToMillis(ts);
    const serverTime = this.options.now().getTime();
    if (Math.abs(serverTime - envTime) > this.options.timeWindowMs) {
      return `envelope timestamp ${new Date(envTime).toISOString()} is more than ${this.options.timeWindowMs}ms apart from current server time ${new Date(serverTime).toISOString()}`;
    }
    return undefined;
  }

  /** Writes a response, waiting for the stream to drain when its buffer is full. */
  private async send(response: DeliverResponseMessage): Promise<void> {
    if (this.abort.signal.aborted) throw new Error('deliver client went away');
    if (this.call.write(response)) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.abort.signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.call.off('drain', onDrain);
        reject(new Error('deliver client went away'));
      };
      this.call.once('drain', onDrain);
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Evaluates the support's readers policy; a missing policy is a refusal. */
function checkPolicy(support: DeliverSupport, signedData: SignedData[]): void {
  const policy = support.policies.getPolicy(support.readersPolicy);
  if (!policy) throw new Error(`could not find policy ${support.readersPolicy}`);
  policy.evaluate(signedData);
}

/** The block's header and metadata without its data (SeekInfo content type HEADER_WITH_SIG). */
function withoutData(block: common.Block): common.Block {
  const b = new common.Block();
  b.setHeader(block.getHeader());
  b.setMetadata(block.getMetadata());
  return b;
}
