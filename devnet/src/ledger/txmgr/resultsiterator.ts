import { ledger } from '@hyperledger/fabric-protos';
import type { StateRangeIterator, VersionedKV } from '../statedb';
import { newKVRead } from './kvread';
import { RangeQueryResultsHelper } from './rangequeryhelper';

const { kvrwset } = ledger.rwset;

/** One result of a range scan, as the chaincode sees it (Fabric's queryresult.KV). */
export interface QueryResultKV {
  namespace: string;
  key: string;
  value: Uint8Array;
}

/**
 * A range scan during simulation (Fabric's txmgr `resultsItr`). When reads are collected it keeps
 * the RangeQueryInfo up to date as results are pulled: end_key is the last key returned until the
 * scan is exhausted, then the requested end key with itr_exhausted = true. With a page size, the scan
 * stops after that many results and the next key becomes the bookmark.
 */
export class ResultsIterator {
  private readonly info?: ledger.rwset.kvrwset.RangeQueryInfo;
  private readonly helper?: RangeQueryResultsHelper;
  private returned = 0;
  private closed = false;

  constructor(
    /** The namespace scanned. */
    readonly namespace: string,
    startKey: string,
    private readonly endKey: string,
    private readonly dbItr: StateRangeIterator,
    collectReads: boolean,
    private readonly pageSize = 0,
  ) {
    if (collectReads) {
      this.info = new kvrwset.RangeQueryInfo();
      this.info.setStartKey(startKey);
      this.helper = new RangeQueryResultsHelper();
    }
  }

  /** The next result, or undefined at the end (or at the end of the page). */
  async next(): Promise<QueryResultKV | undefined> {
    const kv = this.pageFull() ? undefined : await this.dbItr.next();
    this.record(kv);
    if (kv === undefined) {
      return undefined;
    }
    this.returned++;
    return { namespace: this.namespace, key: kv.key, value: kv.value };
  }

  /** For a paginated scan: the key that starts the next page ('' if none), then closes the scan. */
  async bookmarkAndClose(): Promise<string> {
    const next = this.closed ? undefined : await this.dbItr.next();
    await this.close();
    return next?.key ?? '';
  }

  /** Releases the database iterator; the recorded range query info stays available. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.dbItr.close();
    }
  }

  /** The RangeQueryInfo with raw reads or a Merkle summary, or undefined when reads are not collected. */
  rangeQueryInfo(): ledger.rwset.kvrwset.RangeQueryInfo | undefined {
    if (!this.info || !this.helper) {
      return undefined;
    }
    const { rawReads, summary } = this.helper.done();
    if (summary) {
      this.info.setReadsMerkleHashes(summary);
    } else {
      const reads = new kvrwset.QueryReads();
      reads.setKvReadsList(rawReads);
      this.info.setRawReads(reads);
    }
    return this.info;
  }

  private pageFull(): boolean {
    return this.pageSize > 0 && this.returned >= this.pageSize;
  }

  private record(kv: VersionedKV | undefined): void {
    if (!this.info || !this.helper) {
      return;
    }
    if (kv === undefined) {
      this.info.setItrExhausted(true);
      this.info.setEndKey(this.endKey);
      return;
    }
    this.helper.addResult(newKVRead(kv.key, kv.version));
    this.info.setEndKey(kv.key);
  }
}
