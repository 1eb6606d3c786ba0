import { ledger } from '@hyperledger/fabric-protos';
import type { StateDB } from '../statedb';
import { QueryExecutor } from './queryexecutor';
import type { ResultsIterator } from './resultsiterator';
import { RWSetBuilder } from './rwsetbuilder';
import type { StateMetadata } from './statemetadata';

/**
 * Simulates one transaction against committed state (Fabric's txmgr `txSimulator`): reads are
 * recorded with their committed versions, writes are buffered, and {@link getResults} yields the
 * TxReadWriteSet the endorser signs. The result is deterministic: two peers simulating the same
 * proposal on the same state produce byte-identical rwsets.
 */
export class TxSimulator extends QueryExecutor {
  private writePerformed = false;
  private paginatedQueriesPerformed = false;
  private resultsComputed = false;

  constructor(db: StateDB, txId: string) {
    super(db, txId, new RWSetBuilder());
  }

  /** Buffers a write (an empty value is a delete, as in Fabric). */
  setState(ns: string, key: string, value: Uint8Array): void {
    this.checkWritePrecondition();
    this.rwset().addToWriteSet(ns, key, value);
  }

  /** Buffers a delete. */
  deleteState(ns: string, key: string): void {
    this.checkWritePrecondition();
    this.rwset().addToWriteSet(ns, key, undefined);
  }

  /** Buffers a metadata write replacing the key's metadata (undefined or {} = delete it). */
  setStateMetadata(ns: string, key: string, metadata: StateMetadata | undefined): void {
    this.checkWritePrecondition();
    this.rwset().addToMetadataWriteSet(ns, key, metadata);
  }

  /** Paginated queries are allowed only in read-only transactions (Fabric's rule and texts). */
  override getStateRangeWithPagination(
    ns: string,
    start: string,
    end: string,
    pageSize: number,
  ): ResultsIterator {
    if (this.writePerformed) {
      throw new Error(
        `txid [${this.txId}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction`,
      );
    }
    this.paginatedQueriesPerformed = true;
    return super.getStateRangeWithPagination(ns, start, end, pageSize);
  }

  /**
   * The simulation results: a TxReadWriteSet (data model KV, namespaces sorted, reads/writes sorted
   * by key, range query infos in query order). May be called once, as in Fabric.
   */
  getResults(): ledger.rwset.TxReadWriteSet {
    if (this.resultsComputed) {
      throw new Error('this function should only be called once on a transaction simulator instance');
    }
    this.resultsComputed = true;
    for (const it of this.iterators) {
      const info = it.rangeQueryInfo();
      if (info) {
        this.rwset().addToRangeQuerySet(it.namespace, info);
      }
    }
    return this.rwset().build();
  }

  /** `getResults()` serialized: the `results` bytes of a ChaincodeAction. */
  getResultsBytes(): Uint8Array {
    return this.getResults().serializeBinary();
  }

  private rwset(): RWSetBuilder {
    return this.builder as RWSetBuilder;
  }

  /** Done check, the paginated-query rule, and marks a write (also used for private writes). */
  protected checkWritePrecondition(): void {
    this.checkDone();
    if (this.paginatedQueriesPerformed) {
      throw new Error(
        `txid [${this.txId}]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed`,
      );
    }
    this.writePerformed = true;
  }
}
