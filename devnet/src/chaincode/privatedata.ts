import type { ResultsIterator, StateMetadata } from '../ledger/txmgr';
import type { TransactionContext } from './transactioncontext';

/** The private data operations of a simulator (privdata/ PvtTxSimulator satisfies it). */
export interface PrivateDataSimulator {
  checkReadAccess(ns: string, coll: string): void;
  checkWriteAccess(ns: string, coll: string): void;
  getPrivateData(ns: string, coll: string, key: string): Promise<Uint8Array | undefined>;
  getPrivateDataHash(ns: string, coll: string, key: string): Promise<Uint8Array | undefined>;
  getPrivateDataMetadata(ns: string, coll: string, key: string): Promise<StateMetadata | undefined>;
  setPrivateData(ns: string, coll: string, key: string, value: Uint8Array | undefined): void;
  purgePrivateData(ns: string, coll: string, key: string): void;
  setPrivateDataMetadata(ns: string, coll: string, key: string, metadata: StateMetadata | undefined): void;
  getPrivateDataRange(ns: string, coll: string, start: string, end: string): ResultsIterator;
}

/**
 * The private data half of Fabric's handler.go: every private data API refuses to run in Init
 * ("private data APIs are not allowed in chaincode Init()"), reads check memberOnlyRead and writes
 * memberOnlyWrite before the simulator is asked. Returns the simulator for the operation.
 */
export function privateData(
  ctx: TransactionContext,
  coll: string,
  access: 'read' | 'write' | 'none',
): PrivateDataSimulator {
  if (ctx.isInit) {
    throw new Error('private data APIs are not allowed in chaincode Init()');
  }
  const sim = ctx.simulator as Partial<PrivateDataSimulator>;
  if (typeof sim.getPrivateData !== 'function') {
    throw new Error(`private data (collection '${coll}') is not available in this simulation`);
  }
  const pvt = sim as PrivateDataSimulator;
  if (access === 'read') pvt.checkReadAccess(ctx.namespace, coll);
  if (access === 'write') pvt.checkWriteAccess(ctx.namespace, coll);
  return pvt;
}
