import * as fs from 'node:fs';
import * as path from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { getLogger } from '../../common/logging';
import { blockHeaderHash } from '../../protoutil/blockutils';
import { BlockFile, RECORD_HEADER_BYTES } from './blockfile';
import { BlockIndex, TxLocation } from './blockindex';
import { blockTxInfo } from './blocktxinfo';
import { HeightWaiter } from './heightwaiter';
import { blockstoreMetrics } from './metrics';
import type { BlockReader } from './blockreader';

const logger = getLogger('ledger.blockstore');

/** Name of the block file inside the store's directory (Fabric's first block file is named so). */
export const BLOCK_FILE_NAME = 'blockfile_000000';
/** Folder of the LevelDB index inside the store's directory. */
export const INDEX_DIR_NAME = 'index';
/**
 * How many recently appended or read blocks are kept as bytes, by default. The readers of a chain (the
 * peers reading the orderer's, Deliver's event streams and the gateway's chaincode events reading a
 * peer's) ask for each block as it is written; older blocks come from the block file, as on Fabric 2.5,
 * whose block store keeps no such cache. 64 blocks of 50 transactions (about 175 KB each) held about
 * 10 MiB per process that nothing read.
 */
const CACHE_BLOCKS = 8;

/** Options of {@link BlockStore.open}. */
export interface BlockStoreOptions {
  /** Channel name, used only as the metrics label. */
  channelId?: string;
  /**
   * Index block numbers only, not header hashes and tx ids (the orderer's ledger: Fabric's orderer
   * indexes IndexableAttrBlockNum alone); lookups by hash or tx id then throw. Default false.
   */
  blockNumbersOnly?: boolean;
  /** How many recently appended or read blocks to keep as bytes (default 8). */
  cacheBlocks?: number;
}

/**
 * A channel's chain on disk (fabric common/ledger/blkstorage): blocks as serialized common.Block
 * records in an append-only file, and a LevelDB index (number, header hash, tx id). Appends are
 * serialized, checked against the chain (number == height, previous_hash == hash of the last
 * header) and durable (fsync) before they resolve. On open, records written after the index's
 * savepoint are indexed and a torn last record is cut off.
 */
export class BlockStore implements BlockReader {
  private lastHeaderHash: Uint8Array = new Uint8Array(0);
  /** The last block as decoded, or only its bytes until {@link lastBlock} is asked (rarely: start-up, qscc, cscc). */
  private last: common.Block | undefined;
  private lastBytes: Uint8Array | undefined;
  private appendTail: Promise<void> = Promise.resolve();
  private readonly cache = new Map<number, Uint8Array>();
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly file: BlockFile,
    private readonly index: BlockIndex,
    private readonly waiter: HeightWaiter,
    private readonly channelLabel: string,
    private readonly blockNumbersOnly: boolean,
    private readonly cacheBlocks: number,
  ) {}

  /** Opens the store in `dir` (created if missing), recovering from a crash if needed. */
  static async open(dir: string, options: BlockStoreOptions = {}): Promise<BlockStore> {
    await fs.promises.mkdir(dir, { recursive: true });
    const index = await BlockIndex.open(path.join(dir, INDEX_DIR_NAME));
    let file: BlockFile;
    try {
      file = await BlockFile.open(path.join(dir, BLOCK_FILE_NAME));
    } catch (err) {
      await index.close();
      throw err;
    }
    const savepoint = (await index.savepoint()) ?? { height: 0, fileEnd: 0 };
    const store = new BlockStore(
      dir,
      file,
      index,
      new HeightWaiter(savepoint.height),
      options.channelId ?? '',
      options.blockNumbersOnly ?? false,
      options.cacheBlocks ?? CACHE_BLOCKS,
    );
    try {
      await store.recover(savepoint.height, savepoint.fileEnd);
    } catch (err) {
      await file.close();
      await index.close();
      throw err;
    }
    blockstoreMetrics.height.set({ channel: store.channelLabel }, store.height());
    return store;
  }

  /** Loads the tip from the index, then indexes whole records past the savepoint and drops a torn tail. */
  private async recover(height: number, fileEnd: number): Promise<void> {
    if (this.file.size() < fileEnd) {
      throw new Error(
        `${this.file.filePath} is ${this.file.size()} bytes but its index covers ${fileEnd} bytes: the block file was truncated or replaced`,
      );
    }
    if (height > 0) {
      const tip = await this.getBlock(height - 1);
      if (!tip)
        throw new Error(
          `${this.dir}: index savepoint at height ${height} but block ${height - 1} is not indexed`,
        );
      this.setTip(tip, blockHeaderHash(tip.getHeader()!));
    }
    const scan = await this.file.scan(fileEnd);
    let validEnd = fileEnd;
    for (const record of scan.records) {
      const block = common.Block.deserializeBinary(record.data);
      this.checkNext(block);
      const end = record.offset + RECORD_HEADER_BYTES + record.length;
      const hash = blockHeaderHash(block.getHeader()!);
      await this.indexBlock(block, hash, { offset: record.offset, length: record.length }, end);
      this.setTip(block, hash);
      this.waiter.advance(this.waiter.height() + 1);
      validEnd = end;
    }
    if (scan.records.length > 0) {
      logger.info(
        { dir: this.dir, blocks: scan.records.length, height: this.height() },
        'indexed blocks written after the last savepoint',
      );
    }
    if (scan.tornReason !== undefined) {
      logger.warn(
        { dir: this.dir, reason: scan.tornReason, truncateAt: validEnd },
        'dropping torn tail of the block file',
      );
      await this.file.truncate(validEnd);
    }
  }

  /** Number of blocks in the chain (the next block's number). */
  height(): number {
    return this.waiter.height();
  }

  /** The last block of the chain (do not mutate it), or undefined when the chain is empty. */
  lastBlock(): common.Block | undefined {
    if (this.last === undefined && this.lastBytes !== undefined) {
      this.last = common.Block.deserializeBinary(this.lastBytes);
    }
    return this.last;
  }

  /** SHA-256 of the last block's header (empty when the chain is empty): the next block's previous_hash. */
  currentBlockHash(): Uint8Array {
    return this.lastHeaderHash;
  }

  /**
   * Appends `block` after checking it extends the chain; resolves once it is on disk and indexed.
   * Concurrent calls are applied in call order.
   */
  append(block: common.Block): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`block store ${this.dir} is closed`));
    const run = this.appendTail.then(() => this.appendNow(block));
    this.appendTail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(block: common.Block): Promise<void> {
    const started = process.hrtime.bigint();
    this.checkNext(block);
    const bytes = block.serializeBinary();
    // The header's hash once, for the index and the next append's check.
    const number = block.getHeader()!.getNumber();
    const hash = blockHeaderHash(block.getHeader()!);
    const location = await this.file.append(bytes);
    await this.indexBlock(block, hash, location, this.file.size());
    // The tip is kept as the bytes written (our own copy); decoded only if lastBlock() is asked.
    this.last = undefined;
    this.lastBytes = bytes;
    this.lastHeaderHash = hash;
    this.remember(number, bytes);
    this.waiter.advance(this.height() + 1);
    blockstoreMetrics.height.set({ channel: this.channelLabel }, this.height());
    blockstoreMetrics.commitTime.observe(
      { channel: this.channelLabel },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  }

  /** Throws unless `block` is the next block of the chain (fabric blockfile_mgr.go addBlock). */
  private checkNext(block: common.Block): void {
    const header = block.getHeader();
    if (!header) throw new Error('block has no header');
    if (header.getNumber() !== this.height()) {
      throw new Error(`block number should have been ${this.height()} but was ${header.getNumber()}`);
    }
    if (this.height() > 0 && !Buffer.from(header.getPreviousHash_asU8()).equals(this.lastHeaderHash)) {
      throw new Error(
        `unexpected Previous block hash. Expected PreviousHash = [${hex(this.lastHeaderHash)}], PreviousHash referred in the latest block= [${hex(header.getPreviousHash_asU8())}]`,
      );
    }
  }

  private async indexBlock(
    block: common.Block,
    hash: Uint8Array,
    location: { offset: number; length: number },
    fileEnd: number,
  ): Promise<void> {
    const header = block.getHeader()!;
    if (this.blockNumbersOnly) {
      await this.index.indexBlock(
        { number: header.getNumber(), hash: undefined, location, txIds: [], validationCodes: [] },
        fileEnd,
      );
      return;
    }
    const { txIds, validationCodes } = blockTxInfo(block);
    await this.index.indexBlock(
      { number: header.getNumber(), hash, location, txIds, validationCodes },
      fileEnd,
    );
  }

  private setTip(block: common.Block, hash: Uint8Array): void {
    this.last = block;
    this.lastBytes = undefined;
    this.lastHeaderHash = hash;
  }

  private remember(number: number, bytes: Uint8Array): void {
    this.cache.set(number, bytes);
    if (this.cache.size > this.cacheBlocks) {
      this.cache.delete(this.cache.keys().next().value as number);
    }
  }

  /** The serialized block `n` as stored, or undefined beyond the chain. */
  async getBlockBytes(n: number): Promise<Uint8Array | undefined> {
    if (!Number.isInteger(n) || n < 0 || n >= this.height()) return undefined;
    const cached = this.cache.get(n);
    if (cached) return cached;
    const location = await this.index.getBlockLocation(n);
    if (!location) return undefined;
    return this.file.read(location);
  }

  /** Block `n` (a fresh object each call), or undefined beyond the chain. */
  async getBlock(n: number): Promise<common.Block | undefined> {
    const bytes = await this.getBlockBytes(n);
    return bytes ? common.Block.deserializeBinary(bytes) : undefined;
  }

  /** The block whose header hash is `hash` (fabric RetrieveBlockByHash). */
  async getBlockByHash(hash: Uint8Array): Promise<common.Block | undefined> {
    this.checkIndexed('block hashes');
    const n = await this.index.getBlockNumberByHash(hash);
    return n === undefined ? undefined : this.getBlock(n);
  }

  /** Where the transaction `txId` is and its validation code; the first one if the id was reused. */
  getTxLocation(txId: string): Promise<TxLocation | undefined> {
    try {
      this.checkIndexed('transaction ids');
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return this.index.getTxLocation(txId);
  }

  /** Throws if the store was opened with {@link BlockStoreOptions.blockNumbersOnly} (fabric ErrAttrNotIndexed). */
  private checkIndexed(what: string): void {
    if (this.blockNumbersOnly) throw new Error(`${this.dir}: ${what} are not indexed`);
  }

  /** The block holding transaction `txId` (fabric RetrieveBlockByTxID). */
  async getBlockByTxId(txId: string): Promise<common.Block | undefined> {
    const loc = await this.getTxLocation(txId);
    return loc ? this.getBlock(loc.blockNumber) : undefined;
  }

  /** The envelope of transaction `txId` (fabric RetrieveTxByID). */
  async getTxById(txId: string): Promise<common.Envelope | undefined> {
    const loc = await this.getTxLocation(txId);
    if (!loc) return undefined;
    const data = (await this.getBlock(loc.blockNumber))?.getData()?.getDataList_asU8()[loc.txNumber];
    return data ? common.Envelope.deserializeBinary(data) : undefined;
  }

  /** Resolves when the chain has at least `h` blocks; rejects when `signal` aborts or the store closes. */
  waitForHeight(h: number, signal?: AbortSignal): Promise<void> {
    return this.waiter.wait(h, signal);
  }

  /** Waits for pending appends, then closes the file and the index; waiters are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.appendTail;
    this.waiter.close(new Error(`block store ${this.dir} is closed`));
    await this.file.close();
    await this.index.close();
  }
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
