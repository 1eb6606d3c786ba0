import { common, peer } from '@hyperledger/fabric-protos';

/** A client's proposal taken apart: what the gateway routes on and what it reuses to build the transaction. */
export interface UnpackedProposal {
  channelId: string;
  chaincodeName: string;
  txId: string;
  /** The proposal's Header, reused as the transaction payload's header. */
  header: common.Header;
  /** The ChaincodeProposalPayload, input and transient map. */
  payload: peer.ChaincodeProposalPayload;
  hasTransientData: boolean;
}

/**
 * Decodes SignedProposal → Proposal → Header/ChannelHeader and ChaincodeProposalPayload →
 * ChaincodeInvocationSpec (fabric evaluate.go getChannelAndChaincodeFromSignedProposal). Throws naming the part
 * that is missing or malformed.
 */
export function unpackProposal(signedProposal: peer.SignedProposal | undefined): UnpackedProposal {
  const proposalBytes = signedProposal?.getProposalBytes_asU8() ?? new Uint8Array();
  if (proposalBytes.length === 0) throw new Error('a signed proposal is required');
  const proposal = decode('proposal', () => peer.Proposal.deserializeBinary(proposalBytes));
  const header = decode('header', () => common.Header.deserializeBinary(proposal.getHeader_asU8()));
  const channelHeader = decode('channel header', () =>
    common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()),
  );
  const payload = decode('chaincode proposal payload', () =>
    peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8()),
  );
  const spec = decode('chaincode invocation spec', () =>
    peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8()),
  );
  const channelId = channelHeader.getChannelId();
  if (channelId.length === 0) throw new Error('no channel id provided');
  const chaincodeSpec = spec.getChaincodeSpec();
  if (!chaincodeSpec) throw new Error(`no chaincode spec is provided, channel id [${channelId}]`);
  const chaincodeId = chaincodeSpec.getChaincodeId();
  if (!chaincodeId) throw new Error(`no chaincode id is provided, channel id [${channelId}]`);
  if (chaincodeId.getName().length === 0)
    throw new Error(`no chaincode name is provided, channel id [${channelId}]`);
  return {
    channelId,
    chaincodeName: chaincodeId.getName(),
    txId: channelHeader.getTxId(),
    header,
    payload,
    hasTransientData: payload.getTransientmapMap().getLength() > 0,
  };
}

/** Runs a protobuf decode and names what failed to decode. */
function decode<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error(`error unmarshalling ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
