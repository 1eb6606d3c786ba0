import type { StateDB } from '../statedb';
import { ResultsIterator } from './resultsiterator';
import type { RWSetBuilder } from './rwsetbuilder';
import { StateMetadata, deserializeMetadata } from './statemetadata';

/**
 * Reads committed state for one transaction (Fabric's txmgr `queryExecutor`). Without a builder it
 * records nothing (a pure query); the {@link TxSimulator} passes its builder so every read is recorded
 * with the committed version. Reads never see the transaction's own writes: Fabric does not support
 * read-your-writes, a read returns the committed value.
 */
export class QueryExecutor {
  protected readonly iterators: ResultsIterator[] = [];
  private doneInvoked = false;

  /** @param builder when given, reads and range queries are recorded into it. */
  constructor(
    protected readonly db: StateDB,
    readonly txId: string,
    protected readonly builder?: RWSetBuilder,
  ) {}

  /** The committed value of a key (undefined if absent), recording a KVRead when collecting. */
  async getState(ns: string, key: string): Promise<Uint8Array | undefined> {
    return (await this.readState(ns, key)).value;
  }

  /** The committed metadata of a key as a name → value map (undefined if none), recorded as a read. */
  async getStateMetadata(ns: string, key: string): Promise<StateMetadata | undefined> {
    return deserializeMetadata((await this.readState(ns, key)).metadata);
  }

  /** Starts a range scan start <= key < end ('' end = to the end of the namespace). */
  getStateRange(ns: string, start: string, end: string): ResultsIterator {
    return this.newIterator(ns, start, end, 0);
  }

  /** A range scan that stops after `pageSize` results; use `bookmarkAndClose()` for the next start. */
  getStateRangeWithPagination(ns: string, start: string, end: string, pageSize: number): ResultsIterator {
    return this.newIterator(ns, start, end, pageSize);
  }

  /** Closes every open iterator; the instance cannot be used afterwards (Fabric's `Done`). */
  async done(): Promise<void> {
    if (this.doneInvoked) {
      return;
    }
    this.doneInvoked = true;
    await Promise.all(this.iterators.map((it) => it.close()));
  }

  /** Throws if {@link done} was called, with Fabric's text. */
  protected checkDone(): void {
    if (this.doneInvoked) {
      throw new Error('this instance should not be used after calling Done()');
    }
  }

  private async readState(ns: string, key: string): Promise<{ value?: Uint8Array; metadata?: Uint8Array }> {
    this.checkDone();
    const vv = await this.db.get(ns, key);
    this.builder?.addToReadSet(ns, key, vv?.version);
    return { value: vv?.value, metadata: vv?.metadata };
  }

  private newIterator(ns: string, start: string, end: string, pageSize: number): ResultsIterator {
    this.checkDone();
    const it = new ResultsIterator(
      ns,
      start,
      end,
      this.db.rangeIterator(ns, start, end),
      this.builder !== undefined,
      pageSize,
    );
    this.iterators.push(it);
    return it;
  }
}
