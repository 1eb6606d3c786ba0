import { LRUCache } from 'lru-cache';

/** What a cached `null` (a remembered absence) is stored as: lru-cache keeps only non-null values. */
const NULL: object = Object.freeze({});

/**
 * A bounded map that evicts the least recently used entry, for the caches of the hot path:
 * deserialized and validated identities (fabric msp/cache), certificate expiry, state reads, transaction
 * locations. Backed by lru-cache, whose recency list lives in typed arrays: a Map that re-inserts an entry
 * on every read and evicts through `keys().next()` skipped over the holes its own deletes left and cost
 * about ten times as much per operation once full.
 */
export class LruCache<K extends NonNullable<unknown>, V> {
  private readonly entries: LRUCache<K, NonNullable<V> | typeof NULL>;

  /** @param capacity most entries kept (at least 1) */
  constructor(capacity: number) {
    if (capacity < 1) throw new Error(`LruCache capacity must be at least 1, got ${capacity}`);
    this.entries = new LRUCache({ max: capacity });
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    // A stored NULL stands for the null that was set; V includes null whenever one can be set.
    return value === NULL ? (null as V) : (value as V | undefined);
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    this.entries.set(key, value ?? NULL);
  }

  /** Forgets `key`. */
  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Number of cached entries. */
  get size(): number {
    return this.entries.size;
  }
}
