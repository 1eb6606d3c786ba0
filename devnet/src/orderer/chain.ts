import { common } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import type { BatchConfig } from './batchsize';
import { BlockCutter } from './blockcutter';
import type { BlockWriter } from './blockwriter';

const logger = getLogger('orderer.consensus.solo');

/** A message waiting to be ordered, with the promise of its caller. */
interface PendingMessage {
  envelope: common.Envelope;
  size: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Blocks built but not yet written past which the chain takes no more messages (etcdraft's
 * MaxInflightBlocks default): Broadcast waits for room, as Fabric's WaitReady blocks then.
 */
export const MAX_INFLIGHT_BLOCKS = 5;

/**
 * A single-node consenter (like fabric orderer/consensus/solo, and like etcdraft with one node):
 * messages are batched by the block cutter, batches are cut on size or after BatchTimeout from the
 * first pending message. A message is accepted as soon as it is enqueued (Broadcast acknowledges
 * it then, as Fabric's etcdraft Submit returns once its run loop took the request); `order()`'s
 * promise tells when the block holding it is durably in the block store. A crash between the two
 * loses the accepted message, on Fabric too: clients learn a transaction's fate from its commit
 * status, not from Broadcast.
 */
export class Chain {
  private readonly cutter: BlockCutter<PendingMessage>;
  private timer: NodeJS.Timeout | undefined;
  private writes: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private halted = false;
  /** Blocks built and not yet written (or failed). */
  private inflight = 0;
  /** Broadcasts waiting for {@link room}. */
  private roomWaiters: (() => void)[] = [];

  constructor(
    readonly channelId: string,
    private readonly writer: BlockWriter,
    private readonly batchConfig: () => BatchConfig,
  ) {
    this.cutter = new BlockCutter(batchConfig);
  }

  /** Why the chain stopped writing blocks, if it did (fabric Chain.Errored). */
  errored(): Error | undefined {
    return this.failure;
  }

  /** Throws if the chain cannot take messages (fabric WaitReady). */
  waitReady(): void {
    if (this.failure)
      throw new Error(`channel ${this.channelId} cannot write blocks: ${this.failure.message}`);
    if (this.halted) throw new Error(`channel ${this.channelId} is shutting down`);
  }

  /**
   * Undefined while the chain has room for more messages; otherwise a promise settled once fewer
   * than {@link MAX_INFLIGHT_BLOCKS} blocks wait to be written (or the chain failed: check
   * {@link waitReady} again).
   */
  room(): Promise<void> | undefined {
    if (this.inflight < MAX_INFLIGHT_BLOCKS || this.failure) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /**
   * Enqueues a validated message (fabric Order). Enqueueing happens synchronously, so messages
   * are ordered as they are passed in; the promise resolves once their block is written, and
   * Broadcast does not wait for it.
   */
  order(envelope: common.Envelope): Promise<void> {
    try {
      this.waitReady();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return new Promise<void>((resolve, reject) => {
      const size = envelope.getPayload_asU8().length + envelope.getSignature_asU8().length;
      const { batches, pending } = this.cutter.ordered({ envelope, size, resolve, reject });
      for (const batch of batches) this.writeBatch(batch);
      if (!pending) this.stopTimer();
      else if (batches.length > 0 || !this.timer) this.startTimer(); // a new batch started with this message
    });
  }

  /**
   * Orders a CONFIG envelope (fabric Configure): the pending batch is cut first, then the config
   * goes in a block of its own; `apply` runs as soon as that block is built (synchronously, before
   * this returns), so every later message is checked against the new config. Resolves once the
   * config block is written.
   */
  configure(envelope: common.Envelope, apply: (block: common.Block) => void): Promise<void> {
    try {
      this.waitReady();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.stopTimer();
    const pending = this.cutter.cut();
    if (pending.length > 0) this.writeBatch(pending);
    return new Promise<void>((resolve, reject) => {
      const size = envelope.getPayload_asU8().length + envelope.getSignature_asU8().length;
      this.writeBatch([{ envelope, size, resolve, reject }], apply);
    });
  }

  private startTimer(): void {
    this.stopTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const batch = this.cutter.cut();
      if (batch.length > 0) this.writeBatch(batch);
    }, this.batchConfig().batchTimeoutMs);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Builds the batch's block now (keeping the order) and settles its messages once it is written. */
  private writeBatch(batch: PendingMessage[], onConfigBlock?: (block: common.Block) => void): void {
    if (this.failure) {
      for (const m of batch) m.reject(this.failure);
      return;
    }
    let number = -1;
    let written: Promise<void>;
    try {
      const block = this.writer.createNextBlock(batch.map((m) => m.envelope));
      number = block.getHeader()!.getNumber();
      if (onConfigBlock) {
        this.writer.markConfigBlock(block);
        onConfigBlock(block);
      }
      written = this.writer.writeBlock(block);
    } catch (err) {
      written = Promise.reject(err as Error); // e.g. the signer failed: settle the callers all the same
    }
    this.inflight++;
    this.writes = this.writes.then(() =>
      written.then(
        () => {
          this.blockSettled();
          logger.debug({ channel: this.channelId, block: number, txs: batch.length }, 'Wrote block');
          for (const m of batch) m.resolve();
        },
        (err: Error) => {
          // Later blocks were built on this one and cannot be written either: stop for good.
          this.failure ??= new Error(`could not append block ${number}: ${err.message}`);
          this.blockSettled();
          logger.error(
            { channel: this.channelId, block: number, err: err.message },
            'could not append block',
          );
          for (const m of batch) m.reject(this.failure);
        },
      ),
    );
  }

  private blockSettled(): void {
    this.inflight--;
    if (this.roomWaiters.length === 0 || (this.inflight >= MAX_INFLIGHT_BLOCKS && !this.failure)) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  /** Stops taking messages, writes the pending batch and waits for every block to be written. */
  async halt(): Promise<void> {
    this.halted = true;
    this.stopTimer();
    const batch = this.cutter.cut();
    if (batch.length > 0) this.writeBatch(batch);
    await this.writes;
  }
}
