/** Block storage shared by the orderer and the peers (fabric common/ledger/blkstorage). */
export { BlockStore, BLOCK_FILE_NAME, INDEX_DIR_NAME } from './blockstore';
export type { BlockStoreOptions } from './blockstore';
export type { TxLocation } from './blockindex';
export { blockTxInfo, extractTxId } from './blocktxinfo';
export type { BlockReader } from './blockreader';
