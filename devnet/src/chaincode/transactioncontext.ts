import type { peer } from '@hyperledger/fabric-protos';
import type { QueryResultKV, ResultsIterator } from '../ledger/txmgr';
import type { StateMetadata } from '../ledger/txmgr';
import type { ChaincodeMessage } from './message';

/** What the shim handler needs of a transaction's simulator (the TxSimulator satisfies it). */
export interface ChaincodeSimulator {
  getState(ns: string, key: string): Promise<Uint8Array | undefined>;
  setState(ns: string, key: string, value: Uint8Array): void;
  deleteState(ns: string, key: string): void;
  getStateMetadata(ns: string, key: string): Promise<StateMetadata | undefined>;
  setStateMetadata(ns: string, key: string, metadata: StateMetadata | undefined): void;
  getStateRange(ns: string, start: string, end: string): ResultsIterator;
  getStateRangeWithPagination(ns: string, start: string, end: string, pageSize: number): ResultsIterator;
}

/** An open query's iterator: a range scan (txmgr ResultsIterator) or a history scan. */
export interface QueryIterator {
  next(): Promise<QueryResultKV | undefined>;
  close(): Promise<void>;
  bookmarkAndClose(): Promise<string>;
}

/** Fabric's HistoryQueryExecutor: the writes of a key, newest first, as serialized KeyModifications. */
export interface HistoryQueryExecutor {
  getHistoryForKey(
    ns: string,
    key: string,
  ): { next(): Promise<{ modification: Uint8Array } | undefined>; close(): Promise<void> };
}

/** Runs another chaincode on the same channel within this transaction; resolves with its COMPLETED or ERROR message. */
export type ChaincodeInvoker = (
  chaincodeName: string,
  input: peer.ChaincodeInput,
) => Promise<ChaincodeMessage>;

/** Optional services of a transaction context. */
export interface TransactionServices {
  history?: HistoryQueryExecutor;
  invoke?: ChaincodeInvoker;
}

/** An open query of the chaincode: its iterator, results not yet sent, and how many were returned. */
export interface QueryContext {
  iterator: QueryIterator;
  /** True when `value` of each result already is the serialized result (KeyModification of a history query). */
  raw?: boolean;
  pending: peer.QueryResultBytes[];
  totalReturnCount: number;
}

/**
 * One transaction in flight on a chaincode stream (Fabric's TransactionContext), keyed by
 * channel id + tx id: its simulator, its open queries, and where the chaincode's answer goes.
 */
export class TransactionContext {
  readonly queries = new Map<string, QueryContext>();
  /** Serializes the shim's requests of this transaction (the shim sends them one at a time anyway). */
  queue: Promise<void> = Promise.resolve();

  constructor(
    readonly channelId: string,
    readonly txId: string,
    /** The chaincode's namespace (its name). */
    readonly namespace: string,
    readonly simulator: ChaincodeSimulator,
    readonly isInit: boolean,
    /** Receives COMPLETED or ERROR. */
    readonly notify: (msg: ChaincodeMessage) => void,
    /** History queries and chaincode-to-chaincode calls, when the peer offers them. */
    readonly services: TransactionServices = {},
  ) {}

  /** Closes every open query iterator (on completion, as Fabric's CloseQueryIterators). */
  async closeQueries(): Promise<void> {
    const open = [...this.queries.values()];
    this.queries.clear();
    await Promise.all(open.map((q) => q.iterator.close()));
  }

  /** Closes one query and forgets it. */
  async cleanupQuery(id: string): Promise<void> {
    const q = this.queries.get(id);
    this.queries.delete(id);
    await q?.iterator.close();
  }
}

/** The key of a transaction context: Fabric uses channel id + tx id. */
export function contextKey(channelId: string, txId: string): string {
  return `${channelId}\u0000${txId}`;
}
