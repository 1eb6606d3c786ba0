import { common, peer } from '@hyperledger/fabric-protos';
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
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
  );
  const chdr = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
  if (chdr.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return undefined;
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const prp = peer.ProposalResponsePayload.deserializeBinary(
    cap.getAction()!.getProposalResponsePayload_asU8(),
  );
  const ccAction = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
  return decodeTxRwSet(ccAction.getResults_asU8());
}

/** The TRANSACTIONS_FILTER stored in a block's metadata (empty when absent). */
export function filterOf(block: common.Block): Uint8Array {
  const entries = block.getMetadata()?.getMetadataList_asU8() ?? [];
  return entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
}
