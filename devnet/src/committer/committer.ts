import { common, peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import type { BlockStore } from '../ledger/blockstore';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import { isConfigBlock, setMetadataEntry } from '../protoutil';
import {
  TxValidator,
  updatesFromFilter,
  validateState,
  StateValidationSupport,
  ValidatedTx,
} from '../validator';
import { commitHashMetadata, commitHashOf, computeCommitHash, updateBatchBytes } from './commithash';
import { filterOf, rwsetsOfBlock } from './recovery';

const logger = getLogger('committer');

/** What listeners learn about a committed block. */
export interface CommittedBlock {
  block: common.Block;
  /** The TRANSACTIONS_FILTER as stored. */
  filter: Uint8Array;
  /** The validator's verdict per transaction (tx ids, codes); empty for blocks re-applied at recovery. */
  txs: ValidatedTx[];
}

/** Construction options of {@link LedgerCommitter}. */
export interface LedgerCommitterOptions {
  channelId: string;
  store: BlockStore;
  state: StateDB;
  validator: TxValidator;
  stateSupport: StateValidationSupport;
  /** The history index (ledger/history), written after the state; re-derived at recovery when behind. */
  history?: {
    /** `decoded`: the validated transactions by tx number (their tx ids, timestamps and read-write sets). */
    commit(
      block: common.Block,
      filter: Uint8Array,
      decoded?: readonly {
        txId?: string;
        timestamp?: ValidatedTx['timestamp'];
        rwset?: ValidatedTx['rwset'];
      }[],
    ): Promise<void>;
    savepoint(): Promise<number | undefined>;
  };
  /** Metrics hooks (metrics/): told the block's processing time and validation codes. */
  metrics?: { blockCommitted(block: common.Block, filter: Uint8Array, seconds: number): void };
  /** Called after the block is durable and its state applied. Must not throw. */
  onCommitted: (committed: CommittedBlock) => void;
  /**
   * Private data (privdata/ PrivateDataCoordinator): adds the block's private writes and purges to the batch
   * after the commit hash (member peers only hold them) and stores them before the block is appended.
   */
  privateData?: {
    prepareCommit(blockNum: number, txs: ValidatedTx[], batch: UpdateBatch): Promise<void>;
    afterCommit(blockNum: number, txIds: string[]): void;
    recoveryUpdates(
      blockNum: number,
      txs: { txNum: number; code: number; rwset?: ValidatedTx['rwset'] }[],
      batch: UpdateBatch,
    ): Promise<void>;
  };
}

/**
 * The peer's commit path for one channel (fabric core/committer + kvledger commit): validate, MVCC, set
 * TRANSACTIONS_FILTER and COMMIT_HASH, append the block (durable), apply the state updates atomically with
 * the savepoint, notify. Blocks are committed one at a time, in order.
 */
export class LedgerCommitter {
  private commitHash: Uint8Array;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LedgerCommitterOptions) {
    const last = opts.store.lastBlock();
    this.commitHash = last ? commitHashOf(last) : new Uint8Array();
  }

  /** Commits the next block; resolves once it is durable, applied and listeners were told. Serialized. */
  commitBlock(block: common.Block): Promise<void> {
    const run = this.tail.then(() => this.doCommit(block));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Joins the channel: appends the genesis (config) block with filter [VALID] and savepoint 0. Fabric commits
   * the genesis block without the transaction validator (its envelope carries no creator).
   */
  async commitGenesis(block: common.Block): Promise<void> {
    const n = block.getHeader()?.getNumber();
    if (n !== 0) throw new Error(`genesis block must be block 0, got ${n}`);
    if (!isConfigBlock(block)) throw new Error('genesis block does not carry a single CONFIG envelope');
    if (this.opts.store.height() !== 0)
      throw new Error(`channel ${this.opts.channelId} already has ${this.opts.store.height()} blocks`);
    const filter = Uint8Array.of(peer.TxValidationCode.VALID);
    setMetadataEntry(block, common.BlockMetadataIndex.TRANSACTIONS_FILTER, filter);
    await this.opts.store.append(block);
    await this.opts.state.applyUpdates(new UpdateBatch(), 0);
    await this.opts.history?.commit(block, filter);
    logger.info({ channel: this.opts.channelId }, 'joined channel from genesis block');
    this.opts.onCommitted({ block, filter, txs: [] });
  }

  /**
   * Crash recovery: blocks above the state savepoint are in the block store (appended before the state
   * was applied); re-apply their valid transactions' writes with the stored filter, as Fabric's
   * recommitLostBlocks does. Afterwards state matches blocks.
   */
  async recover(): Promise<number> {
    const savepoint = await this.opts.state.savepoint();
    const height = this.opts.store.height();
    let n = savepoint === undefined ? 0 : savepoint + 1;
    let recovered = 0;
    for (; n < height; n++) {
      const block = await this.opts.store.getBlock(n);
      if (!block) throw new Error(`block ${n} missing from the block store below height ${height}`);
      const rwsets = rwsetsOfBlock(block);
      const stored = filterOf(block);
      const batch = await updatesFromFilter(n, rwsets, stored, this.opts.stateSupport);
      await this.opts.privateData?.recoveryUpdates(
        n,
        rwsets.map((rwset, txNum) => ({ txNum, code: stored[txNum], rwset })),
        batch,
      );
      await this.opts.state.applyUpdates(batch, n);
      recovered++;
    }
    if (recovered > 0)
      logger.warn(
        { channel: this.opts.channelId, blocks: recovered },
        're-applied blocks above the state savepoint',
      );
    await this.recoverHistory(height);
    return recovered;
  }

  /** Re-indexes blocks above the history savepoint (the history DB is written beside the state, with a savepoint of its own). */
  private async recoverHistory(height: number): Promise<void> {
    const history = this.opts.history;
    if (!history) return;
    const savepoint = await history.savepoint();
    for (let n = savepoint === undefined ? 0 : savepoint + 1; n < height; n++) {
      const block = await this.opts.store.getBlock(n);
      if (!block) throw new Error(`block ${n} missing from the block store below height ${height}`);
      await history.commit(block, filterOf(block));
    }
  }

  /** Set when the state could not be updated after a block was appended (Fabric panics then). */
  failure: Error | undefined;

  private async doCommit(block: common.Block): Promise<void> {
    if (this.failure) throw this.failure;
    const n = block.getHeader()!.getNumber();
    const started = Date.now();
    const validation = await this.opts.validator.validate(block);
    const { batch } = await validateState(n, validation, this.opts.stateSupport);
    const filter = validation.flags.toBytes();
    setMetadataEntry(block, common.BlockMetadataIndex.TRANSACTIONS_FILTER, filter);
    // Fabric starts the commit hash chain at block 1 (after joining) and continues it when present.
    let commitHash = this.commitHash;
    if (n === 1 || commitHash.length > 0) {
      commitHash = computeCommitHash(filter, updateBatchBytes(batch), commitHash);
      setMetadataEntry(block, common.BlockMetadataIndex.COMMIT_HASH, commitHashMetadata(commitHash));
    }
    await this.opts.privateData?.prepareCommit(n, validation.txs, batch);
    await this.opts.store.append(block);
    this.commitHash = commitHash;
    // State and history each keep their own savepoint and recover from the block store, so neither waits
    // for the other: their two synced writes overlap (Fabric writes them one after the other).
    const [state, history] = await Promise.allSettled([
      this.opts.state.applyUpdates(batch, n),
      this.opts.history?.commit(block, filter, validation.txs),
    ]);
    if (state.status === 'rejected') {
      // The block is durable but state is behind: nothing more may be committed until a restart recovers.
      this.failure = new Error(`state update of block ${n} failed: ${(state.reason as Error).message}`);
      throw this.failure;
    }
    this.opts.privateData?.afterCommit(
      n,
      validation.txs.flatMap((t) => (t.txId ? [t.txId] : [])),
    );
    if (history.status === 'rejected') {
      // Likewise for the history index; a restart re-derives it from the blocks.
      this.failure = new Error(`history update of block ${n} failed: ${(history.reason as Error).message}`);
      throw this.failure;
    }
    const valid = filter.filter((c) => c === peer.TxValidationCode.VALID).length;
    logger.info(
      {
        channel: this.opts.channelId,
        block: n,
        txs: filter.length,
        valid,
        writes: batch.size(),
        ms: Date.now() - started,
        commitHash: Buffer.from(commitHash).toString('hex'),
      },
      'committed block',
    );
    this.opts.metrics?.blockCommitted(block, filter, (Date.now() - started) / 1000);
    this.opts.onCommitted({ block, filter, txs: validation.txs });
  }
}
