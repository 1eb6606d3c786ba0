import { ClassicLevel } from 'classic-level';
import { LruCache } from '../../common/lru';
import type { FileLocation } from './blockfile';

/** Where a transaction is in the chain and how the peer judged it (fabric TxIDIndexValue). */
export interface TxLocation {
  blockNumber: number;
  txNumber: number;
  /** peer.TxValidationCode from the block's TRANSACTIONS_FILTER (NOT_VALIDATED if the block had none). */
  validationCode: number;
}

/** What the index records for one appended block. */
export interface BlockIndexInfo {
  number: number;
  /** The header hash, or undefined when hashes are not indexed. */
  hash: Uint8Array | undefined;
  location: FileLocation;
  /** tx id per data entry ('' where the envelope had none or was malformed: not indexed). */
  txIds: string[];
  /** validation code per data entry */
  validationCodes: number[];
}

/** How far the index has got: blocks [0, height) are indexed and the file is valid up to fileEnd. */
export interface IndexSavepoint {
  height: number;
  fileEnd: number;
}

const BLOCK_NUM_PREFIX = 0x6e; // 'n'
const BLOCK_HASH_PREFIX = 0x68; // 'h'
const TX_ID_PREFIX = 0x74; // 't'
const SAVEPOINT_KEY = Buffer.from('savepoint');
/**
 * Tx id lookups kept in memory: every peer asks about each new tx id two or three times (the endorser's and the
 * validator's duplicate checks, indexing, CommitStatus), and nearly always about recent ones.
 */
const TX_CACHE_SIZE = 10_000;

/**
 * The block index in LevelDB (fabric common/ledger/blkstorage/blockindex.go): block number →
 * file location, block header hash → number, tx id → {block, tx, validation code}, and the
 * savepoint. A tx id keeps its first occurrence: later duplicates are what the validator marks
 * DUPLICATE_TXID, and lookups must find the original.
 */
export class BlockIndex {
  /**
   * Tx id → location, or null for not indexed. Only {@link indexBlock} writes tx ids, and it records the ones
   * it indexes here, so an entry holds until then; a first occurrence never moves.
   */
  private readonly txCache = new LruCache<string, TxLocation | null>(TX_CACHE_SIZE);

  private constructor(private readonly db: ClassicLevel<Buffer, Buffer>) {}

  /** Opens (creating if needed) the index database in `dir`. */
  static async open(dir: string): Promise<BlockIndex> {
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    return new BlockIndex(db);
  }

  /** The savepoint, or undefined for a new index. */
  async savepoint(): Promise<IndexSavepoint | undefined> {
    const value = await this.db.get(SAVEPOINT_KEY);
    if (!value) return undefined;
    return { height: value.readUIntBE(0, 6), fileEnd: value.readUIntBE(6, 6) };
  }

  /** Indexes one block and moves the savepoint, atomically and synced (as Fabric does). */
  async indexBlock(info: BlockIndexInfo, fileEnd: number): Promise<void> {
    const ops: { type: 'put'; key: Buffer; value: Buffer }[] = [
      { type: 'put', key: blockNumKey(info.number), value: encodeLocation(info.location) },
    ];
    if (info.hash) ops.push({ type: 'put', key: blockHashKey(info.hash), value: encodeNumber(info.number) });
    const indexed = await this.firstOccurrences(info.txIds);
    for (const [txNumber, txId] of indexed) {
      const value = Buffer.alloc(11);
      value.writeUIntBE(info.number, 0, 6);
      value.writeUInt32BE(txNumber, 6);
      value.writeUInt8(info.validationCodes[txNumber] & 0xff, 10);
      ops.push({ type: 'put', key: txIdKey(txId), value });
    }
    const savepoint = Buffer.alloc(12);
    savepoint.writeUIntBE(info.number + 1, 0, 6);
    savepoint.writeUIntBE(fileEnd, 6, 6);
    ops.push({ type: 'put', key: SAVEPOINT_KEY, value: savepoint });
    try {
      await this.db.batch(ops, { sync: true });
    } finally {
      // A lookup while the batch was being written may have cached either answer.
      for (const [txNumber] of indexed) this.txCache.delete(info.txIds[txNumber]);
    }
    for (const [txNumber, txId] of indexed) {
      this.txCache.set(txId, {
        blockNumber: info.number,
        txNumber,
        validationCode: info.validationCodes[txNumber] & 0xff,
      });
    }
  }

  /** [txNumber, txId] for the block's tx ids not yet in the index and not repeated earlier in the block. */
  private async firstOccurrences(txIds: string[]): Promise<[number, string][]> {
    const seen = new Set<string>();
    const candidates: [number, string][] = [];
    txIds.forEach((txId, txNumber) => {
      if (txId === '' || seen.has(txId)) return;
      seen.add(txId);
      candidates.push([txNumber, txId]);
    });
    if (candidates.length === 0) return [];
    // What the cache knows needs no read; indexing is sequential, so its entries hold here.
    const indexedAlready = new Map<string, boolean>();
    const unknown: string[] = [];
    for (const [, txId] of candidates) {
      const cached = this.txCache.get(txId);
      if (cached === undefined) unknown.push(txId);
      else indexedAlready.set(txId, cached !== null);
    }
    if (unknown.length > 0) {
      const values = await this.db.getMany(unknown.map(txIdKey));
      unknown.forEach((txId, i) => indexedAlready.set(txId, values[i] !== undefined));
    }
    return candidates.filter(([, txId]) => !indexedAlready.get(txId));
  }

  /** The file location of block `number`. */
  async getBlockLocation(number: number): Promise<FileLocation | undefined> {
    const value = await this.db.get(blockNumKey(number));
    return value ? decodeLocation(value) : undefined;
  }

  /** The number of the block whose header hash is `hash`. */
  async getBlockNumberByHash(hash: Uint8Array): Promise<number | undefined> {
    const value = await this.db.get(blockHashKey(hash));
    return value ? value.readUIntBE(0, 6) : undefined;
  }

  /** Where the first transaction with this id is (a single synchronous LevelDB get, or none when cached). */
  async getTxLocation(txId: string): Promise<TxLocation | undefined> {
    const cached = this.txCache.get(txId);
    if (cached !== undefined) return cached === null ? undefined : { ...cached };
    // Synchronous, as the state database's point reads (a tenth of an asynchronous get's CPU).
    const value = this.db.getSync(txIdKey(txId));
    const location = value
      ? {
          blockNumber: value.readUIntBE(0, 6),
          txNumber: value.readUInt32BE(6),
          validationCode: value.readUInt8(10),
        }
      : undefined;
    this.txCache.set(txId, location ?? null);
    return location === undefined ? undefined : { ...location };
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.db.close();
  }
}

function blockNumKey(number: number): Buffer {
  const key = Buffer.alloc(7);
  key.writeUInt8(BLOCK_NUM_PREFIX, 0);
  key.writeUIntBE(number, 1, 6);
  return key;
}

function blockHashKey(hash: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(BLOCK_HASH_PREFIX), hash]);
}

function txIdKey(txId: string): Buffer {
  return Buffer.concat([Buffer.of(TX_ID_PREFIX), Buffer.from(txId, 'utf8')]);
}

function encodeNumber(n: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(n, 0, 6);
  return b;
}

function encodeLocation(loc: FileLocation): Buffer {
  const b = Buffer.alloc(10);
  b.writeUIntBE(loc.offset, 0, 6);
  b.writeUInt32BE(loc.length, 6);
  return b;
}

function decodeLocation(b: Buffer): FileLocation {
  return { offset: b.readUIntBE(0, 6), length: b.readUInt32BE(6) };
}
