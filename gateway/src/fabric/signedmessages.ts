import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import { ApiError } from '../errors';

/** Who created a message a client signed: its MSP id and PEM certificate (Fabric's SerializedIdentity). */
export interface Creator {
  mspId: string;
  certificate: string;
}

/**
 * A message of fabric-gateway's offline signing flow as the client sends it back with its
 * signature: the bytes the signature covers, who made it, and where it goes.
 */
export interface SignableMessage {
  transactionId: string;
  channel: string;
  creator: Creator;
  /** The bytes whose SHA-256 digest the client signs (fabric-gateway's getDigest()). */
  signedBytes: Uint8Array;
  /** The chaincode a proposal or transaction invokes (not known for a commit status request). */
  chaincode?: string;
}

/** Deserializes with a protobuf message class; garbage is the client's mistake, named by `what`. */
function decode<T>(what: string, parse: () => T, empty: (m: T) => boolean): T {
  let message: T;
  try {
    message = parse();
  } catch {
    throw new ApiError('VALIDATION_FAILED', `${what} is not a valid protobuf message`);
  }
  if (empty(message)) throw new ApiError('VALIDATION_FAILED', `${what} is empty or incomplete`);
  return message;
}

function creatorOf(what: string, bytes: Uint8Array): Creator {
  const identity = decode(
    `${what}: creator`,
    () => msp.SerializedIdentity.deserializeBinary(bytes),
    (m) => m.getMspid() === '' || m.getIdBytes_asU8().length === 0,
  );
  return {
    mspId: identity.getMspid(),
    certificate: Buffer.from(identity.getIdBytes_asU8()).toString('utf8'),
  };
}

/** Channel, transaction id and creator of a proposal's or transaction's common.Header. */
function headerFields(what: string, header: common.Header | undefined): Omit<SignableMessage, 'signedBytes'> {
  if (header === undefined) throw new ApiError('VALIDATION_FAILED', `${what} has no header`);
  const channelHeader = decode(
    `${what}: channel header`,
    () => common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()),
    (m) => m.getChannelId() === '' || m.getTxId() === '',
  );
  const signatureHeader = decode(
    `${what}: signature header`,
    () => common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()),
    (m) => m.getCreator_asU8().length === 0,
  );
  return {
    transactionId: channelHeader.getTxId(),
    channel: channelHeader.getChannelId(),
    creator: creatorOf(what, signatureHeader.getCreator_asU8()),
    chaincode:
      decode(
        `${what}: chaincode header extension`,
        () => peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8()),
        () => false,
      )
        .getChaincodeId()
        ?.getName() || undefined,
  };
}

/** A proposal as fabric-gateway's Proposal.getBytes() gives it (gateway.ProposedTransaction). */
export function parseProposal(bytes: Uint8Array): SignableMessage {
  const proposed = decode(
    'proposal',
    () => gateway.ProposedTransaction.deserializeBinary(bytes),
    (m) => (m.getProposal()?.getProposalBytes_asU8().length ?? 0) === 0,
  );
  const signedBytes = proposed.getProposal()!.getProposalBytes_asU8();
  const proposal = decode(
    'proposal',
    () => peer.Proposal.deserializeBinary(signedBytes),
    (m) => m.getHeader_asU8().length === 0,
  );
  const header = decode(
    'proposal: header',
    () => common.Header.deserializeBinary(proposal.getHeader_asU8()),
    () => false,
  );
  return { ...headerFields('proposal', header), signedBytes };
}

/** An endorsed transaction as fabric-gateway's Transaction.getBytes() gives it (gateway.PreparedTransaction). */
export function parseTransaction(bytes: Uint8Array): SignableMessage {
  const prepared = decode(
    'transaction',
    () => gateway.PreparedTransaction.deserializeBinary(bytes),
    (m) => (m.getEnvelope()?.getPayload_asU8().length ?? 0) === 0,
  );
  const signedBytes = prepared.getEnvelope()!.getPayload_asU8();
  const payload = decode(
    'transaction: payload',
    () => common.Payload.deserializeBinary(signedBytes),
    (m) => m.getHeader() === undefined,
  );
  return { ...headerFields('transaction', payload.getHeader()), signedBytes };
}

/** A commit status request as fabric-gateway's SubmittedTransaction.getBytes() gives it (gateway.SignedCommitStatusRequest). */
export function parseCommitStatusRequest(bytes: Uint8Array): SignableMessage {
  const signed = decode(
    'commit',
    () => gateway.SignedCommitStatusRequest.deserializeBinary(bytes),
    (m) => m.getRequest_asU8().length === 0,
  );
  const signedBytes = signed.getRequest_asU8();
  const request = decode(
    'commit: request',
    () => gateway.CommitStatusRequest.deserializeBinary(signedBytes),
    (m) => m.getChannelId() === '' || m.getTransactionId() === '' || m.getIdentity_asU8().length === 0,
  );
  return {
    transactionId: request.getTransactionId(),
    channel: request.getChannelId(),
    creator: creatorOf('commit', request.getIdentity_asU8()),
    signedBytes,
  };
}
