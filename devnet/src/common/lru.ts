/**
 * A bounded map that evicts the least recently used entry, for the caches of the hot path:
 * deserialized and validated identities (fabric msp/cache), certificate expiry, state reads.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** @param capacity most entries kept (at least 1) */
  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new Error(`LruCache capacity must be at least 1, got ${capacity}`);
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Re-insert so Map iteration order (oldest first) tracks recency.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
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
