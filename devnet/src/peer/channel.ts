import type { common } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import type { Bundle } from '../channelconfig';
import { blockTxInfo, type BlockStore } from '../ledger/blockstore';
import { CommittedBlocks } from './committedblocks';
import type { StateDB } from '../ledger/statedb';
import type { CommittedBlock } from '../committer';

const logger = getLogger('peer.channel');

/** The committed definition of a chaincode as the peer uses it (from `_lifecycle`: lifecycle/cache.ts). */
export interface ChaincodeDefinition {
  name: string;
  version: string;
  sequence: number;
  endorsementPolicy: { channelConfigPolicy: string };
}

/** Where and how a transaction was committed. */
export interface TxStatus {
  blockNumber: number;
  /** peer.TxValidationCode. */
  validationCode: number;
}

/** A listener of committed blocks: the block (TRANSACTIONS_FILTER set) and its filter. */
export type CommitListener = (block: common.Block, filter: Uint8Array) => void;

/** Construction options of {@link Channel}. */
export interface ChannelOptions {
  bundle: Bundle;
  store: BlockStore;
  state: StateDB;
  /** The committed definition of a chaincode on this channel, or undefined. */
  definitions: (chaincodeName: string) => ChaincodeDefinition | undefined;
}

/**
 * One channel this peer has joined (fabric core/peer.Channel): the config Bundle, the block store, the world
 * state, the chaincode definitions, and commit notifications. The committer calls {@link Channel.committed}
 * after each block; gateway, deliver and event services subscribe with {@link Channel.onCommit} or wait
 * for one transaction with {@link Channel.waitForTx}.
 */
export class Channel {
  /** The current config; replaced when a config block is committed (read it on every use). */
  bundle: Bundle;
  /** The blocks clients may see: only fully committed ones (the committer owns the raw block store). */
  readonly store: CommittedBlocks;
  readonly state: StateDB;
  private readonly listeners = new Set<CommitListener>();
  private readonly txWaiters = new Map<string, Set<(s: TxStatus) => void>>();
  private readonly lookup: ChannelOptions['definitions'];

  constructor(opts: ChannelOptions) {
    this.bundle = opts.bundle;
    this.store = new CommittedBlocks(opts.store);
    this.state = opts.state;
    this.lookup = opts.definitions;
  }

  /** The channel's name. */
  get channelId(): string {
    return this.bundle.channelId;
  }

  /** The committed definition of `chaincodeName`, or undefined if it is not defined on this channel. */
  definitions(chaincodeName: string): ChaincodeDefinition | undefined {
    return this.lookup(chaincodeName);
  }

  /** Subscribes to committed blocks; returns the unsubscribe function. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the transaction's block number and validation code once it is committed on this peer: at
   * once if it already is, else when its block commits. Rejects with the signal's reason when aborted.
   */
  async waitForTx(txId: string, signal?: AbortSignal): Promise<TxStatus> {
    signal?.throwIfAborted();
    // Register before looking in the store so a commit between the two cannot be missed.
    let resolveWaiter!: (s: TxStatus) => void;
    const waited = new Promise<TxStatus>((resolve) => (resolveWaiter = resolve));
    const waiters = this.txWaiters.get(txId) ?? new Set();
    waiters.add(resolveWaiter);
    this.txWaiters.set(txId, waiters);
    const onAbort = (): void => resolveWaiter({ blockNumber: -1, validationCode: -1 });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Only fully committed blocks are visible here, as Fabric reports a commit once state is applied.
      const stored = await this.store.getTxLocation(txId);
      if (stored) return { blockNumber: stored.blockNumber, validationCode: stored.validationCode };
      const status = await waited;
      signal?.throwIfAborted();
      return status;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      waiters.delete(resolveWaiter);
      if (waiters.size === 0 && this.txWaiters.get(txId) === waiters) this.txWaiters.delete(txId);
    }
  }

  /** Called by the committer after a block is durable and applied: wakes tx waiters, then listeners. */
  committed(c: CommittedBlock): void {
    const blockNumber = c.block.getHeader()!.getNumber();
    this.store.advance(c.block);
    if (this.txWaiters.size > 0) {
      blockTxInfo(c.block).txIds.forEach((txId, txNum) => {
        const waiters = txId ? this.txWaiters.get(txId) : undefined;
        if (!waiters) return;
        // The first occurrence of a tx id is the one the block store indexes; later duplicates don't override it.
        this.txWaiters.delete(txId);
        const status = { blockNumber, validationCode: c.filter[txNum] };
        for (const w of waiters) w(status);
      });
    }
    for (const l of this.listeners) {
      try {
        l(c.block, c.filter);
      } catch (e) {
        logger.error({ err: (e as Error).message, block: blockNumber }, 'commit listener failed');
      }
    }
  }
}
