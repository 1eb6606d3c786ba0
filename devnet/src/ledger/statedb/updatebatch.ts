import { compareKeys, sortedByKey } from './keyorder';
import type { Version } from './version';

/** One pending change of a key: a new value (with metadata) or, when `value` is undefined, a delete. */
export interface VersionedUpdate {
  /** Undefined means the key is deleted. */
  value: Uint8Array | undefined;
  version: Version;
  metadata?: Uint8Array;
}

/** A pending change together with its key, as range scans over a batch return it. */
export interface KeyedUpdate extends VersionedUpdate {
  key: string;
}

/**
 * The state changes of one block (Fabric's `statedb.UpdateBatch`): per namespace and key the last
 * put or delete, each with the version (block, tx) of the transaction that made it. The committer
 * fills it with {@link applyWrites} and commits it with `StateDB.applyUpdates`.
 */
export class UpdateBatch {
  private readonly updates = new Map<string, Map<string, VersionedUpdate>>();

  /** Records a put; a later put or delete of the same key replaces it. */
  put(ns: string, key: string, value: Uint8Array, version: Version, metadata?: Uint8Array): void {
    const update: VersionedUpdate = { value, version };
    if (metadata !== undefined) {
      update.metadata = metadata;
    }
    this.nsUpdates(ns).set(key, update);
  }

  /** Records a delete. */
  delete(ns: string, key: string, version: Version): void {
    this.nsUpdates(ns).set(key, { value: undefined, version });
  }

  /** The pending change of a key, if the batch has one (a delete has `value` undefined). */
  get(ns: string, key: string): VersionedUpdate | undefined {
    return this.updates.get(ns)?.get(key);
  }

  /** True if the batch puts or deletes the key (Fabric's `UpdateBatch.Exists`). */
  exists(ns: string, key: string): boolean {
    return this.updates.get(ns)?.has(key) ?? false;
  }

  /** Namespaces with changes, in UTF-8 order. */
  namespaces(): string[] {
    return sortedByKey(this.updates.keys(), (ns) => ns);
  }

  /** The changes of one namespace, in key order. */
  namespaceUpdates(ns: string): KeyedUpdate[] {
    const m = this.updates.get(ns);
    if (!m) {
      return [];
    }
    return sortedByKey(
      [...m.entries()].map(([key, u]) => ({ key, ...u })),
      (u) => u.key,
    );
  }

  /** The changes with start <= key < end ('' end = no upper bound), in key order, deletes included. */
  rangeUpdates(ns: string, start: string, end: string): KeyedUpdate[] {
    return this.namespaceUpdates(ns).filter(
      (u) => compareKeys(u.key, start) >= 0 && (end === '' || compareKeys(u.key, end) < 0),
    );
  }

  /** Number of changed keys over all namespaces. */
  size(): number {
    let n = 0;
    for (const m of this.updates.values()) {
      n += m.size;
    }
    return n;
  }

  private nsUpdates(ns: string): Map<string, VersionedUpdate> {
    let m = this.updates.get(ns);
    if (!m) {
      m = new Map();
      this.updates.set(ns, m);
    }
    return m;
  }
}
