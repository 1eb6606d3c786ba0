import { ClassicLevel } from 'classic-level';
import { LruCache } from '../../common/lru';
import { getLogger } from '../../common/logging';
import { SAVEPOINT_KEY, decodeDataKey, encodeDataKey, namespaceEndKey } from './keys';
import type { UpdateBatch } from './updatebatch';
import { VersionedValue, decodeValue, encodeValue } from './value';

const logger = getLogger('ledger.statedb');

/** Point reads kept in memory: the endorser, the validator and MVCC read the same fresh keys within a block or two. */
const READ_CACHE_SIZE = 5000;

/** A committed key with its value and version, as range scans return it. */
export type VersionedKV = { key: string } & VersionedValue;

/**
 * An open range scan. `next()` resolves undefined at the end; `close()` must be called (it is
 * idempotent) unless the scan was run to its end, which closes it too.
 */
export interface StateRangeIterator {
  next(): Promise<VersionedKV | undefined>;
  close(): Promise<void>;
}

type LevelDB = ClassicLevel<Uint8Array, Uint8Array>;
type LevelIterator = ReturnType<LevelDB['iterator']>;

/**
 * The world state of one channel on LevelDB (Fabric's stateleveldb.versionedDB): (namespace, key) →
 * value, version and metadata, plus the savepoint (the last block whose updates are applied).
 */
export class StateDB {
  /**
   * Committed values by encoded key (null: absent). Only {@link applyUpdates} writes the database, and it
   * drops the keys it wrote (before and after its write: a read while it is under way may see either
   * value), so an entry is the committed value.
   */
  private readonly cache = new LruCache<string, VersionedValue | null>(READ_CACHE_SIZE);

  private constructor(private readonly db: LevelDB) {}

  /** Opens (creating if needed) the state database in `dir`. */
  static async open(dir: string): Promise<StateDB> {
    const db: LevelDB = new ClassicLevel<Uint8Array, Uint8Array>(dir, {
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await db.open();
    return new StateDB(db);
  }

  /** The committed value of a key, or undefined when absent. Callers must not modify it (it may be cached). */
  async get(ns: string, key: string): Promise<VersionedValue | undefined> {
    const dbKey = encodeDataKey(ns, key);
    const cacheKey = dbKey.toString('latin1');
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    // A synchronous read: LevelDB answers from its block cache or the page cache in microseconds, a tenth of
    // the CPU of an asynchronous get's thread-pool round trip (the peer's most frequent database call).
    const bytes = this.db.getSync(dbKey);
    const value = bytes === undefined ? undefined : decodeValue(bytes);
    this.cache.set(cacheKey, value ?? null);
    return value;
  }

  /**
   * Scans `ns` for start <= key < end in UTF-8 order; '' as end means to the end of the namespace.
   * `limit` > 0 stops after that many results (Fabric's paginated range scan).
   */
  rangeIterator(ns: string, start: string, end: string, limit = 0): StateRangeIterator {
    const it = this.db.iterator({
      gte: encodeDataKey(ns, start),
      lt: end === '' ? namespaceEndKey(ns) : encodeDataKey(ns, end),
      ...(limit > 0 ? { limit } : {}),
    });
    return new LevelRangeIterator(it);
  }

  /** The same scan as {@link rangeIterator} as an async iterable; breaking out of a loop closes it. */
  async *getRange(ns: string, start: string, end: string): AsyncIterable<VersionedKV> {
    const it = this.rangeIterator(ns, start, end);
    try {
      for (let kv = await it.next(); kv !== undefined; kv = await it.next()) {
        yield kv;
      }
    } finally {
      await it.close();
    }
  }

  /**
   * Writes a block's updates and the new savepoint in ONE synchronous (fsync) LevelDB batch, so a
   * crash leaves either all of the block's state or none of it.
   */
  async applyUpdates(batch: UpdateBatch, savepoint: number): Promise<void> {
    const dbBatch = this.db.batch();
    const written: string[] = [];
    let keys = 0;
    for (const ns of batch.namespaces()) {
      for (const u of batch.namespaceUpdates(ns)) {
        const key = encodeDataKey(ns, u.key);
        written.push(key.toString('latin1'));
        if (u.value === undefined) {
          dbBatch.del(key);
        } else {
          dbBatch.put(key, encodeValue({ value: u.value, version: u.version, metadata: u.metadata }));
        }
        keys++;
      }
    }
    dbBatch.put(SAVEPOINT_KEY, encodeSavepoint(savepoint));
    // Before and after the write: reads while it is under way see either value, and none of them stays cached.
    this.invalidate(written);
    try {
      await dbBatch.write({ sync: true });
    } finally {
      this.invalidate(written);
    }
    logger.debug({ savepoint, keys }, 'applied state updates');
  }

  private invalidate(keys: string[]): void {
    for (const k of keys) this.cache.delete(k);
  }

  /** The number of the last block whose updates were applied, or undefined for a new database. */
  async savepoint(): Promise<number | undefined> {
    const bytes = await this.db.get(SAVEPOINT_KEY);
    if (bytes === undefined) {
      return undefined;
    }
    if (bytes.length !== 8) {
      throw new Error(`state savepoint has ${bytes.length} bytes, expected 8`);
    }
    return Number(Buffer.from(bytes).readBigUInt64BE(0));
  }

  /** Closes the database (and any iterator still open). */
  async close(): Promise<void> {
    await this.db.close();
  }
}

function encodeSavepoint(blockNum: number): Buffer {
  if (!Number.isSafeInteger(blockNum) || blockNum < 0) {
    throw new Error(`savepoint must be a block number, got ${blockNum}`);
  }
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(blockNum));
  return b;
}

/** Wraps a LevelDB iterator; closes it at its end or on close(). */
class LevelRangeIterator implements StateRangeIterator {
  private closed = false;

  constructor(private readonly it: LevelIterator) {}

  async next(): Promise<VersionedKV | undefined> {
    if (this.closed) {
      return undefined;
    }
    const entry = await this.it.next();
    if (entry === undefined) {
      await this.close();
      return undefined;
    }
    const [dbKey, dbValue] = entry as [Uint8Array, Uint8Array];
    return { key: decodeDataKey(dbKey).key, ...decodeValue(dbValue) };
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.it.close();
    }
  }
}
