import type { StateDB, StateRangeIterator, UpdateBatch, Version, VersionedKV } from '../statedb';
import { compareKeys } from '../statedb/keyorder';
import type { KeyedUpdate } from '../statedb/updatebatch';

/** A key as the validator sees it: committed or updated earlier in the block. */
export interface ValidationKV {
  key: string;
  version: Version;
}

/**
 * Re-executes a range query over committed state merged with the block's earlier updates, skipping
 * deleted keys (Fabric's validation `combinedIterator`). When the original scan stopped before its
 * end (not exhausted), end_key was the last key returned, so it is served as well.
 */
export class CombinedIterator {
  private dbItem?: VersionedKV;
  private updates: KeyedUpdate[];
  private updIdx = 0;
  private endKeyServed = false;

  private constructor(
    private readonly state: StateDB,
    private readonly batch: UpdateBatch,
    private readonly ns: string,
    private readonly endKey: string,
    private readonly includeEndKey: boolean,
    private readonly dbItr: StateRangeIterator,
  ) {
    this.updates = [];
  }

  /** Opens the merged scan start <= key < end of `ns`. */
  static async open(
    state: StateDB,
    batch: UpdateBatch,
    ns: string,
    start: string,
    end: string,
    includeEndKey: boolean,
  ): Promise<CombinedIterator> {
    const it = new CombinedIterator(
      state,
      batch,
      ns,
      end,
      includeEndKey,
      state.rangeIterator(ns, start, end),
    );
    it.updates = batch.rangeUpdates(ns, start, end);
    it.dbItem = await it.dbItr.next();
    return it;
  }

  /** The next live key in order, or undefined at the end. */
  async next(): Promise<ValidationKV | undefined> {
    for (;;) {
      const upd = this.updates[this.updIdx];
      if (this.dbItem === undefined && upd === undefined) {
        return this.serveEndKeyIfNeeded();
      }
      const cmp =
        this.dbItem === undefined ? 1 : upd === undefined ? -1 : compareKeys(this.dbItem.key, upd.key);
      if (cmp < 0) {
        const item = this.dbItem as VersionedKV;
        this.dbItem = await this.dbItr.next();
        return { key: item.key, version: item.version };
      }
      if (cmp === 0) {
        this.dbItem = await this.dbItr.next();
      }
      this.updIdx++;
      if (upd.value !== undefined) {
        return { key: upd.key, version: upd.version };
      }
    }
  }

  /** Releases the database iterator. */
  async close(): Promise<void> {
    await this.dbItr.close();
  }

  private async serveEndKeyIfNeeded(): Promise<ValidationKV | undefined> {
    if (!this.includeEndKey || this.endKeyServed) {
      return undefined;
    }
    this.endKeyServed = true;
    const upd = this.batch.get(this.ns, this.endKey);
    if (upd !== undefined) {
      return upd.value === undefined ? undefined : { key: this.endKey, version: upd.version };
    }
    const committed = await this.state.get(this.ns, this.endKey);
    return committed === undefined ? undefined : { key: this.endKey, version: committed.version };
  }
}
