import { common, peer } from '@hyperledger/fabric-protos';
import { envelopeAction, getChannelIdFromBlock } from '../protoutil';
import { counter, gauge, histogram } from './registry';

/** Fabric's buckets for the ledger's commit-time histograms (core/ledger/kvledger/metrics.go). */
export const LEDGER_TIME_BUCKETS = [0.005, 0.01, 0.015, 0.05, 0.1, 1, 10];

const TX_CODE_NAMES = new Map<number, string>(
  Object.entries(peer.TxValidationCode).map(([k, v]) => [v as number, k]),
);
const HEADER_TYPE_NAMES = new Map<number, string>(
  Object.entries(common.HeaderType).map(([k, v]) => [v as number, k]),
);

/** Sets ledger_blockchain_height{channel} (blkstorage): on the orderer and on each peer. */
export function setBlockchainHeight(channel: string, height: number): void {
  gauge('ledger_blockchain_height', 'Height of the chain in blocks.', ['channel']).set({ channel }, height);
}

/** Transaction type, `name:version` of the chaincode, and validation code name of each tx of a block. */
export function txStats(
  block: common.Block,
  filter: Uint8Array,
): { type: string; chaincode: string; code: string }[] {
  return (block.getData()?.getDataList_asU8() ?? []).map((env, i) => ({
    ...typeAndChaincode(env),
    code: TX_CODE_NAMES.get(filter[i]) ?? String(filter[i]),
  }));
}

function typeAndChaincode(envBytes: Uint8Array): { type: string; chaincode: string } {
  try {
    const { channelHeader, chaincodeAction } = envelopeAction(envBytes);
    const t = channelHeader.type;
    const id = chaincodeAction?.chaincodeId;
    return {
      type: HEADER_TYPE_NAMES.get(t) ?? String(t),
      chaincode: id ? `${id.name}:${id.version}` : 'unknown',
    };
  } catch {
    // an undecodable transaction is counted as Fabric does: type and chaincode "unknown"
    return { type: 'unknown', chaincode: 'unknown' };
  }
}

/**
 * The peer ledger's metrics for one committed block (kvledger): ledger_block_processing_time,
 * ledger_blockchain_height and ledger_transaction_count{channel, transaction_type, chaincode, validation_code}.
 */
export function recordBlockCommitted(
  channel: string,
  block: common.Block,
  filter: Uint8Array,
  seconds: number,
): void {
  histogram(
    'ledger_block_processing_time',
    'Time taken in seconds for ledger block processing.',
    ['channel'],
    LEDGER_TIME_BUCKETS,
  ).observe({ channel }, seconds);
  setBlockchainHeight(channel, block.getHeader()!.getNumber() + 1);
  const txCount = counter('ledger_transaction_count', 'Number of transactions processed.', [
    'channel',
    'transaction_type',
    'chaincode',
    'validation_code',
  ]);
  for (const s of txStats(block, filter)) {
    txCount.inc({ channel, transaction_type: s.type, chaincode: s.chaincode, validation_code: s.code });
  }
}

/** The channel a block belongs to (the channel header of its first envelope), '' when it cannot be read. */
export function channelOfBlock(block: common.Block): string {
  try {
    return getChannelIdFromBlock(block);
  } catch {
    return '';
  }
}

/** ledger_blockchain_height after `block` was written (the orderer's block writer). */
export function recordBlockWritten(block: common.Block): void {
  setBlockchainHeight(channelOfBlock(block), block.getHeader()!.getNumber() + 1);
}
