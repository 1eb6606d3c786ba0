import { common } from '@hyperledger/fabric-protos';
import type { BlockReader, BlockStore, TxLocation } from '../ledger/blockstore';
import { HeightWaiter } from '../ledger/blockstore/heightwaiter';
import { blockHeaderHash } from '../protoutil';

/**
 * The peer's blocks as its clients may see them: only blocks whose state, history and private data are
 * committed too. The block store indexes a block when it is appended, a moment before the rest of the
 * commit; Fabric's kvledger hides that window behind its block APIs lock and notifies deliver after the
 * whole commit, so a client that saw a block (Deliver, qscc, CommitStatus) can read its writes.
 */
export class CommittedBlocks implements BlockReader {
  private readonly waiter: HeightWaiter;
  private last: common.Block | undefined;

  /** `store` must hold only committed blocks when this is created (the peer recovers first). */
  constructor(private readonly store: BlockStore) {
    this.waiter = new HeightWaiter(store.height());
    this.last = store.lastBlock();
  }

  /** Announces a fully committed block (called by the channel, in block order). */
  advance(block: common.Block): void {
    const number = block.getHeader()!.getNumber();
    if (number + 1 <= this.waiter.height()) return;
    this.last = block;
    this.waiter.advance(number + 1);
  }

  /** Number of committed blocks. */
  height(): number {
    return this.waiter.height();
  }

  /** The last committed block. */
  lastBlock(): common.Block | undefined {
    return this.last;
  }

  /** Header hash of the last committed block (empty before the first). */
  currentBlockHash(): Uint8Array {
    const header = this.last?.getHeader();
    return header ? blockHeaderHash(header) : new Uint8Array(0);
  }

  /** Serialized committed block `n`. */
  async getBlockBytes(n: number): Promise<Uint8Array | undefined> {
    return n < this.height() ? this.store.getBlockBytes(n) : undefined;
  }

  /** Committed block `n`. */
  async getBlock(n: number): Promise<common.Block | undefined> {
    return n < this.height() ? this.store.getBlock(n) : undefined;
  }

  /** The committed block with this header hash. */
  async getBlockByHash(hash: Uint8Array): Promise<common.Block | undefined> {
    return this.committed(await this.store.getBlockByHash(hash));
  }

  /** Where a committed transaction is. */
  async getTxLocation(txId: string): Promise<TxLocation | undefined> {
    const loc = await this.store.getTxLocation(txId);
    return loc && loc.blockNumber < this.height() ? loc : undefined;
  }

  /** The committed block holding a transaction. */
  async getBlockByTxId(txId: string): Promise<common.Block | undefined> {
    return this.committed(await this.store.getBlockByTxId(txId));
  }

  /** A committed transaction's envelope. */
  async getTxById(txId: string): Promise<common.Envelope | undefined> {
    return (await this.getTxLocation(txId)) ? this.store.getTxById(txId) : undefined;
  }

  /** Resolves once `h` blocks are committed. */
  waitForHeight(h: number, signal?: AbortSignal): Promise<void> {
    return this.waiter.wait(h, signal);
  }

  /** Rejects pending waits (the peer is stopping). */
  close(): void {
    this.waiter.close(new Error('the peer is stopping'));
  }

  private committed(block: common.Block | undefined): common.Block | undefined {
    return block && block.getHeader()!.getNumber() < this.height() ? block : undefined;
  }
}
