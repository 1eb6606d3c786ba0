import type { common } from '@hyperledger/fabric-protos';
import type { TxLocation } from './blockindex';

/**
 * Read access to a chain of blocks (fabric's blockstore query APIs): what deliver, qscc, cscc and the
 * gateway use. The orderer's BlockStore is one; a peer gives its clients a view of committed blocks only.
 */
export interface BlockReader {
  height(): number;
  lastBlock(): common.Block | undefined;
  currentBlockHash(): Uint8Array;
  getBlockBytes(n: number): Promise<Uint8Array | undefined>;
  getBlock(n: number): Promise<common.Block | undefined>;
  getBlockByHash(hash: Uint8Array): Promise<common.Block | undefined>;
  getTxLocation(txId: string): Promise<TxLocation | undefined>;
  getBlockByTxId(txId: string): Promise<common.Block | undefined>;
  getTxById(txId: string): Promise<common.Envelope | undefined>;
  waitForHeight(h: number, signal?: AbortSignal): Promise<void>;
}
