import { common, peer } from '@hyperledger/fabric-protos';

/** The first action of an endorser transaction with the channel header it came under. */
export interface EndorserAction {
  channelHeader: common.ChannelHeader;
  chaincodeAction: peer.ChaincodeAction;
}

/**
 * An envelope's channel header and, for an ENDORSER_TRANSACTION, the ChaincodeAction of its first
 * transaction action (fabric GetActionFromEnvelope). Throws when the envelope does not decode.
 */
export function envelopeAction(envBytes: Uint8Array): {
  channelHeader: common.ChannelHeader;
  chaincodeAction?: peer.ChaincodeAction;
} {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envBytes).getPayload_asU8(),
  );
  const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return { channelHeader };
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const prp = peer.ProposalResponsePayload.deserializeBinary(
    cap.getAction()!.getProposalResponsePayload_asU8(),
  );
  return { channelHeader, chaincodeAction: peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()) };
}

/**
 * The ChaincodeAction of an envelope's first transaction action, or undefined when the envelope is not
 * an ENDORSER_TRANSACTION. Throws when the envelope does not decode.
 */
export function endorserActionOf(envBytes: Uint8Array): EndorserAction | undefined {
  const { channelHeader, chaincodeAction } = envelopeAction(envBytes);
  return chaincodeAction ? { channelHeader, chaincodeAction } : undefined;
}
