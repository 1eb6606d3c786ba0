import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { createSignedEnvelope, Signer } from '../protoutil';
import type { PolicyLike } from '../validator';
import { backoffDelay, BackoffOptions, defaultBackoff, sleep } from './backoff';
import { BLOCK_VALIDATION_POLICY, BlockVerifier } from './blockverifier';

const logger = getLogger('deliveryclient');

/** The largest block number (SeekInfo stop = max: Fabric uses math.MaxUint64). */
const MAX_UINT64 = 0xffffffffffffffffn;

/** Construction options of {@link DeliverClient}. */
export interface DeliverClientOptions {
  channelId: string;
  /** The orderer's `host:port` to dial (127.0.0.1:7050). */
  address: string;
  /** TLS credentials with the orderer's TLS CA (and the peer's client cert if any): common/grpc clientCredentials. */
  credentials: grpc.ChannelCredentials;
  /** Channel options, e.g. common/grpc clientOptions(ordererName) for the TLS server name. */
  channelOptions?: grpc.ChannelOptions;
  /** The peer's signing identity: it signs the SeekInfo envelope. */
  signer: Signer;
  /** The header of the last block the peer holds (verification starts from it; the seek from its number + 1). */
  lastHeader: () => common.BlockHeader;
  /** The channel's current PolicyManager (for `/Channel/Orderer/BlockValidation`). */
  policies: () => { getPolicy(path: string): PolicyLike | undefined };
  /** Commits a verified block; a rejection drops the stream and the client reconnects from the peer's height. */
  onBlock: (block: common.Block) => Promise<void>;
  backoff?: BackoffOptions;
}

/**
 * The peer's deliver client (fabric core/deliverservice + common/deliverclient/blocksprovider): opens
 * `AtomicBroadcast.Deliver` to the orderer with a signed SeekInfo {start = next height, stop = max,
 * BLOCK_UNTIL_READY}, verifies each block (BlockVerifier) and hands it to the committer, one at a time.
 * When the orderer is down or the stream breaks it reconnects with backoff and resumes from the height.
 */
export class DeliverClient {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private client: orderer.AtomicBroadcastClient | undefined;
  private call: grpc.ClientDuplexStream<common.Envelope, orderer.DeliverResponse> | undefined;
  private connectedFlag = false;

  constructor(private readonly opts: DeliverClientOptions) {}

  /** True while a Deliver stream is open over a READY connection (blocks may still be pending: BLOCK_UNTIL_READY). */
  get connected(): boolean {
    const state = this.client?.getChannel().getConnectivityState(false);
    return this.connectedFlag && state === grpc.connectivityState.READY;
  }

  /** Starts pulling blocks in the background. */
  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  /** Stops pulling: cancels the stream, waits for the block being committed, closes the connection. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.call?.cancel();
    await this.loop;
    this.client?.close();
    this.client = undefined;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      const delivered = await this.deliverOnce().catch((e: Error) => {
        if (!this.abort.signal.aborted)
          logger.warn({ address: this.opts.address, err: e.message }, 'deliver stream failed');
        return 0;
      });
      this.connectedFlag = false;
      if (this.abort.signal.aborted) break;
      failures = delivered > 0 ? 0 : failures + 1;
      const delay = backoffDelay(Math.max(0, failures - 1), this.opts.backoff ?? defaultBackoff);
      logger.debug({ delayMs: Math.round(delay) }, 'reconnecting to the orderer');
      await sleep(delay, this.abort.signal);
    }
  }

  /** One Deliver session; resolves with the number of blocks committed when the stream ends. */
  private async deliverOnce(): Promise<number> {
    const last = this.opts.lastHeader();
    const verifier = new BlockVerifier(this.opts.channelId, last, () =>
      this.opts.policies().getPolicy(BLOCK_VALIDATION_POLICY),
    );
    this.client ??= new orderer.AtomicBroadcastClient(
      this.opts.address,
      this.opts.credentials,
      this.opts.channelOptions ?? {},
    );
    const call = this.client.deliver();
    this.call = call;
    call.write(this.seekEnvelope(last.getNumber() + 1));
    this.connectedFlag = true;
    let delivered = 0;
    try {
      for await (const resp of call as AsyncIterable<orderer.DeliverResponse>) {
        if (resp.getTypeCase() === orderer.DeliverResponse.TypeCase.STATUS) {
          throw new Error(`orderer ended the deliver stream with status ${resp.getStatus()}`);
        }
        const block = resp.getBlock();
        if (!block) continue;
        verifier.verifyBlock(block);
        await this.opts.onBlock(block);
        delivered++;
        if (this.abort.signal.aborted) break;
      }
      if (!this.abort.signal.aborted) throw new Error('orderer closed the deliver stream');
    } finally {
      call.cancel();
      this.call = undefined;
    }
    return delivered;
  }

  /** SeekInfo{start: specified(height), stop: specified(max), BLOCK_UNTIL_READY} signed by the peer (fabric SeekInfoBlocksFrom). */
  private seekEnvelope(start: number): common.Envelope {
    return createSignedEnvelope({
      type: common.HeaderType.DELIVER_SEEK_INFO,
      channelId: this.opts.channelId,
      signer: this.opts.signer,
      data: seekInfoBlocksFrom(start),
    });
  }
}

/** Protobuf varint of a non-negative integer given as bigint. */
function varint(v: bigint): number[] {
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/** SeekPosition{specified (3): SeekSpecified{number (1)}} bytes. */
function specifiedPosition(n: bigint): number[] {
  const specified = n === 0n ? [] : [0x08, ...varint(n)];
  return [0x1a, ...varint(BigInt(specified.length)), ...specified];
}

/**
 * The serialized orderer.SeekInfo the peer sends: start = specified(height), stop = specified(MaxUint64),
 * behavior BLOCK_UNTIL_READY (0, so omitted), content BLOCK. Encoded by hand because google-protobuf cannot
 * write a uint64 above 2^53 and Fabric's stop is math.MaxUint64.
 */
export function seekInfoBlocksFrom(height: number): Uint8Array {
  const start = specifiedPosition(BigInt(height));
  const stop = specifiedPosition(MAX_UINT64);
  return Uint8Array.from([
    0x0a,
    ...varint(BigInt(start.length)),
    ...start,
    0x12,
    ...varint(BigInt(stop.length)),
    ...stop,
  ]);
}
