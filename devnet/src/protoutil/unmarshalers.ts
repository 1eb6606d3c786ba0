import { common, peer } from '@hyperledger/fabric-protos';

/**
 * Unmarshals `bytes` with a generated `deserializeBinary`, turning google-protobuf's assertion
 * errors into an error that names the message type (like Fabric's "error unmarshalling X").
 */
export function unmarshal<T>(typeName: string, deserialize: (bytes: Uint8Array) => T, bytes: Uint8Array): T {
  try {
    return deserialize(bytes);
  } catch (err) {
    throw new Error(`error unmarshalling ${typeName}: ${(err as Error).message}`);
  }
}

/** common.Envelope from bytes. */
export const unmarshalEnvelope = (b: Uint8Array): common.Envelope =>
  unmarshal('Envelope', common.Envelope.deserializeBinary, b);
/** common.Payload from bytes. */
export const unmarshalPayload = (b: Uint8Array): common.Payload =>
  unmarshal('Payload', common.Payload.deserializeBinary, b);
/** common.ChannelHeader from bytes. */
export const unmarshalChannelHeader = (b: Uint8Array): common.ChannelHeader =>
  unmarshal('ChannelHeader', common.ChannelHeader.deserializeBinary, b);
/** common.SignatureHeader from bytes. */
export const unmarshalSignatureHeader = (b: Uint8Array): common.SignatureHeader =>
  unmarshal('SignatureHeader', common.SignatureHeader.deserializeBinary, b);
/** common.Header from bytes. */
export const unmarshalHeader = (b: Uint8Array): common.Header =>
  unmarshal('Header', common.Header.deserializeBinary, b);
/** common.Block from bytes. */
export const unmarshalBlock = (b: Uint8Array): common.Block =>
  unmarshal('Block', common.Block.deserializeBinary, b);
/** peer.Proposal from bytes. */
export const unmarshalProposal = (b: Uint8Array): peer.Proposal =>
  unmarshal('Proposal', peer.Proposal.deserializeBinary, b);
/** peer.ChaincodeHeaderExtension from bytes. */
export const unmarshalChaincodeHeaderExtension = (b: Uint8Array): peer.ChaincodeHeaderExtension =>
  unmarshal('ChaincodeHeaderExtension', peer.ChaincodeHeaderExtension.deserializeBinary, b);
/** peer.ChaincodeProposalPayload from bytes. */
export const unmarshalChaincodeProposalPayload = (b: Uint8Array): peer.ChaincodeProposalPayload =>
  unmarshal('ChaincodeProposalPayload', peer.ChaincodeProposalPayload.deserializeBinary, b);
/** peer.ChaincodeInvocationSpec from bytes. */
export const unmarshalChaincodeInvocationSpec = (b: Uint8Array): peer.ChaincodeInvocationSpec =>
  unmarshal('ChaincodeInvocationSpec', peer.ChaincodeInvocationSpec.deserializeBinary, b);
/** peer.Transaction from bytes. */
export const unmarshalTransaction = (b: Uint8Array): peer.Transaction =>
  unmarshal('Transaction', peer.Transaction.deserializeBinary, b);
/** peer.ChaincodeActionPayload from bytes. */
export const unmarshalChaincodeActionPayload = (b: Uint8Array): peer.ChaincodeActionPayload =>
  unmarshal('ChaincodeActionPayload', peer.ChaincodeActionPayload.deserializeBinary, b);
/** peer.ProposalResponsePayload from bytes. */
export const unmarshalProposalResponsePayload = (b: Uint8Array): peer.ProposalResponsePayload =>
  unmarshal('ProposalResponsePayload', peer.ProposalResponsePayload.deserializeBinary, b);
/** peer.ChaincodeAction from bytes. */
export const unmarshalChaincodeAction = (b: Uint8Array): peer.ChaincodeAction =>
  unmarshal('ChaincodeAction', peer.ChaincodeAction.deserializeBinary, b);
/** peer.ChaincodeEvent from bytes. */
export const unmarshalChaincodeEvent = (b: Uint8Array): peer.ChaincodeEvent =>
  unmarshal('ChaincodeEvent', peer.ChaincodeEvent.deserializeBinary, b);

/** An envelope opened down to its headers; all byte fields are the bytes as received. */
export interface UnpackedEnvelope {
  envelope: common.Envelope;
  payload: common.Payload;
  /** payload.header.channel_header bytes as received (hash/sign these, never re-serialize). */
  channelHeaderBytes: Uint8Array;
  channelHeader: common.ChannelHeader;
  signatureHeaderBytes: Uint8Array;
  signatureHeader: common.SignatureHeader;
}

/** Opens an Envelope (or its bytes) into payload, channel header and signature header. */
export function unpackEnvelope(envelopeOrBytes: common.Envelope | Uint8Array): UnpackedEnvelope {
  const envelope =
    envelopeOrBytes instanceof Uint8Array ? unmarshalEnvelope(envelopeOrBytes) : envelopeOrBytes;
  const payload = unmarshalPayload(envelope.getPayload_asU8());
  const header = payload.getHeader();
  if (!header) throw new Error('envelope payload has no header');
  const channelHeaderBytes = header.getChannelHeader_asU8();
  const signatureHeaderBytes = header.getSignatureHeader_asU8();
  return {
    envelope,
    payload,
    channelHeaderBytes,
    channelHeader: unmarshalChannelHeader(channelHeaderBytes),
    signatureHeaderBytes,
    signatureHeader: unmarshalSignatureHeader(signatureHeaderBytes),
  };
}
