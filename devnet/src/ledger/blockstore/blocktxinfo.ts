import { common, peer } from '@hyperledger/fabric-protos';
import { readEnvelopeHeaders } from '../../protoutil/views';

/** The tx ids and validation codes of a block's data entries, in order. */
export interface BlockTxInfo {
  txIds: string[];
  validationCodes: number[];
}

/**
 * Reads each data entry's tx id from its channel header and its validation code from the
 * TRANSACTIONS_FILTER metadata (fabric blkstorage/blockserializer.go extractTxID, blockindex.go).
 * A malformed envelope gets the tx id '' (Fabric logs and ignores it: the validator marks such a
 * transaction invalid); a block without a filter (as the orderer holds it) gets NOT_VALIDATED.
 */
export function blockTxInfo(block: common.Block): BlockTxInfo {
  const data = block.getData()?.getDataList_asU8() ?? [];
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  return {
    txIds: data.map(extractTxId),
    validationCodes: data.map((_, i) =>
      filter !== undefined && i < filter.length ? filter[i] : peer.TxValidationCode.NOT_VALIDATED,
    ),
  };
}

/** The tx id in an envelope's channel header, or '' if the envelope cannot be read. */
export function extractTxId(envelopeBytes: Uint8Array): string {
  try {
    return readEnvelopeHeaders(envelopeBytes).channelHeader?.txId ?? '';
  } catch {
    return '';
  }
}
