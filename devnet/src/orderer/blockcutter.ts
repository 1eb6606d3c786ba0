import type { BatchConfig } from './batchsize';

/** What the cutter needs of a message: its size as Fabric counts it (payload + signature bytes). */
export interface Sized {
  size: number;
}

/** Result of {@link BlockCutter.ordered}: batches to write now, and whether messages wait for more. */
export interface CutResult<T> {
  batches: T[][];
  pending: boolean;
}

/**
 * Groups messages into batches in arrival order (fabric orderer/common/blockcutter): a batch is
 * cut when it reaches MaxMessageCount, before a message that would push it past
 * PreferredMaxBytes, and a message larger than PreferredMaxBytes goes into a batch of its own.
 * Cutting on BatchTimeout is the caller's job (it calls {@link cut}).
 */
export class BlockCutter<T extends Sized> {
  private pendingBatch: T[] = [];
  private pendingBytes = 0;

  constructor(private readonly config: () => Pick<BatchConfig, 'maxMessageCount' | 'preferredMaxBytes'>) {}

  /** Adds a message; returns the batches it completed and whether a batch is still pending. */
  ordered(msg: T): CutResult<T> {
    const { maxMessageCount, preferredMaxBytes } = this.config();
    const batches: T[][] = [];
    if (msg.size > preferredMaxBytes) {
      if (this.pendingBatch.length > 0) batches.push(this.cut());
      batches.push([msg]);
      return { batches, pending: false };
    }
    if (this.pendingBytes + msg.size > preferredMaxBytes) {
      batches.push(this.cut());
    }
    this.pendingBatch.push(msg);
    this.pendingBytes += msg.size;
    if (this.pendingBatch.length >= maxMessageCount) {
      batches.push(this.cut());
      return { batches, pending: false };
    }
    return { batches, pending: true };
  }

  /** Returns the pending batch (possibly empty) and starts a new one. */
  cut(): T[] {
    const batch = this.pendingBatch;
    this.pendingBatch = [];
    this.pendingBytes = 0;
    return batch;
  }

  /** Number of messages waiting in the pending batch. */
  pendingCount(): number {
    return this.pendingBatch.length;
  }
}
