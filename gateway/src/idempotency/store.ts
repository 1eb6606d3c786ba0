import { ClassicLevel } from 'classic-level';

/** A response kept for an idempotency key: what a retry with the same key is answered. */
export interface StoredResponse {
  /** SHA-256 (hex) of the request it answered: method, path and canonical JSON body. */
  fingerprint: string;
  status: number;
  /** The headers replayed (content type, location, attempts). */
  headers: Record<string, string>;
  /** The body, base64. */
  body: string;
  /** When it was stored (ms since the epoch). */
  storedAt: number;
}

/** Keeps the first outcome of each idempotency key, bounded in number and age. */
export interface IdempotencyStore {
  /** The response kept for `key`, unless there is none or it is older than the store's maximum age. */
  get(key: string): Promise<StoredResponse | undefined>;
  /** Keeps `response` for `key` (the first one stays: callers check `get` first). */
  put(key: string, response: StoredResponse): Promise<void>;
  close(): Promise<void>;
}

/** Bounds of a {@link LevelIdempotencyStore}. */
export interface StoreLimits {
  /** How long a key's outcome is kept, in ms. */
  maxAgeMs: number;
  /** How many keys are kept; the oldest go first. */
  maxEntries: number;
}

/** Kept for a day, at most 100,000 keys. */
export const DEFAULT_STORE_LIMITS: Readonly<StoreLimits> = { maxAgeMs: 86_400_000, maxEntries: 100_000 };

// Entries under `k!<key>`; an index `t!<storedAt, 15 digits>!<key>` orders them by age for eviction.
const ENTRY = 'k!';
const BY_TIME = 't!';

function timeKey(storedAt: number, key: string): string {
  return `${BY_TIME}${String(storedAt).padStart(15, '0')}!${key}`;
}

/**
 * {@link IdempotencyStore} in LevelDB (`classic-level`, as devnet's ledgers), so outcomes survive
 * a gateway restart. One gateway process per directory (LevelDB locks it). Entries past the age
 * bound are dropped when found and swept on every write; past the count bound, the oldest go.
 */
export class LevelIdempotencyStore implements IdempotencyStore {
  private count = 0;
  // Writes and evictions run one at a time, so the count and the index stay in step.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: ClassicLevel<string, string>,
    private readonly limits: StoreLimits,
    private readonly now: () => number,
  ) {}

  /** Opens (creating if needed) the store in `dir`. */
  static async open(dir: string, limits: StoreLimits, now = Date.now): Promise<LevelIdempotencyStore> {
    const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    const store = new LevelIdempotencyStore(db, limits, now);
    store.count = (await db.keys({ gt: BY_TIME, lt: 't"' }).all()).length;
    return store;
  }

  async get(key: string): Promise<StoredResponse | undefined> {
    const value = await this.db.get(ENTRY + key);
    if (value === undefined) return undefined;
    const response = JSON.parse(value) as StoredResponse;
    return this.now() - response.storedAt > this.limits.maxAgeMs ? undefined : response;
  }

  put(key: string, response: StoredResponse): Promise<void> {
    const run = this.queue.then(() => this.write(key, response));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.db.close();
  }

  private async write(key: string, response: StoredResponse): Promise<void> {
    const old = await this.db.get(ENTRY + key);
    const batch = this.db.batch();
    if (old !== undefined) batch.del(timeKey((JSON.parse(old) as StoredResponse).storedAt, key));
    else this.count += 1;
    batch.put(ENTRY + key, JSON.stringify(response));
    batch.put(timeKey(response.storedAt, key), key);
    await batch.write();
    await this.evict();
  }

  /** Drops entries older than the age bound, then the oldest beyond the count bound. */
  private async evict(): Promise<void> {
    const oldestKept = this.now() - this.limits.maxAgeMs;
    const batch = this.db.batch();
    let dropped = 0;
    for await (const [indexKey, key] of this.db.iterator({ gt: BY_TIME, lt: 't"' })) {
      const storedAt = Number(indexKey.slice(BY_TIME.length, BY_TIME.length + 15));
      if (storedAt >= oldestKept && this.count - dropped <= this.limits.maxEntries) break;
      batch.del(indexKey);
      batch.del(ENTRY + key);
      dropped += 1;
    }
    if (dropped === 0) {
      await batch.close();
      return;
    }
    await batch.write();
    this.count -= dropped;
  }
}
