import { common } from '@hyperledger/fabric-protos';
import { endorserActionOf } from '../protoutil';
import { decodeTxRwSet, DecodedTxRwSet } from '../validator';

/**
 * The read-write set of each transaction of a stored block, for re-applying it (undefined for a
 * transaction that is not an endorser transaction or does not decode; the stored filter marks those
 * invalid anyway).
 */
export function rwsetsOfBlock(block: common.Block): (DecodedTxRwSet | undefined)[] {
  return (block.getData()?.getDataList_asU8() ?? []).map((bytes) => {
    try {
      return rwsetOfEnvelope(bytes);
    } catch {
      return undefined;
    }
  });
}

function rwsetOfEnvelope(bytes: Uint8Array): DecodedTxRwSet | undefined {
  const action = endorserActionOf(bytes);
  return action && decodeTxRwSet(action.chaincodeAction.results);
}

/** The TRANSACTIONS_FILTER stored in a block's metadata (empty when absent). */
export function filterOf(block: common.Block): Uint8Array {
  const entries = block.getMetadata()?.getMetadataList_asU8() ?? [];
  return entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
}
