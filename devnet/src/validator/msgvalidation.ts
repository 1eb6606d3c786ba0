import { createHash } from 'node:crypto';
import { common, peer } from '@hyperledger/fabric-protos';
import {
  ChaincodeActionPayloadView,
  ChannelHeaderView,
  EndorsementView,
  PayloadView,
  ProposalResponsePayloadView,
  readChaincodeActionPayload,
  readChannelHeader,
  readEnvelope,
  readPayload,
  readProposalResponsePayload,
  readSignatureHeader,
  readTransaction,
  SignatureHeaderView,
} from '../protoutil/views';

const Code = peer.TxValidationCode;

/**
 * What the validator needs from the channel's MSPs: `msp.MSPManager` satisfies it.
 * `deserializeIdentity` throws when the identity is unknown, malformed or not chained to its MSP's roots.
 */
export interface IdentityDeserializer {
  deserializeIdentity(serialized: Uint8Array): {
    mspId: string;
    verify(message: Uint8Array, signature: Uint8Array): boolean;
  };
}

/** An endorser transaction's single action, read down to its endorsements (bytes kept as received). */
export interface EndorserAction {
  chaincodeActionPayload: ChaincodeActionPayloadView;
  /** ProposalResponsePayload bytes exactly as endorsed: the endorsement signatures cover them. */
  proposalResponsePayload: Uint8Array;
  /** The ProposalResponsePayload read from those bytes. */
  proposalResponse: ProposalResponsePayloadView;
  endorsements: EndorsementView[];
}

/** A transaction envelope that passed the message checks of {@link validateTransaction}. */
export interface CheckedTransaction {
  payload: PayloadView;
  channelHeader: ChannelHeaderView;
  signatureHeader: SignatureHeaderView;
  /** Set for ENDORSER_TRANSACTION. */
  action?: EndorserAction;
}

/** Result of {@link validateTransaction}: a validation code, and the decoded transaction when VALID. */
export interface MessageValidationResult {
  code: number;
  reason?: string;
  tx?: CheckedTransaction;
}

/** Reads a protobuf message; a view throws on malformed input, and we turn that into undefined. */
function tryDecode<T>(decode: (b: Uint8Array) => T, bytes: Uint8Array): T | undefined {
  try {
    return decode(bytes);
  } catch {
    return undefined;
  }
}

function fail(code: number, reason: string): MessageValidationResult {
  return { code, reason };
}

/** Fabric's validateChannelHeader + validateSignatureHeader (core/common/validation/msgvalidation.go). */
function checkCommonHeader(chdr: ChannelHeaderView, shdr: SignatureHeaderView): string | undefined {
  const t = chdr.type;
  const known = [
    common.HeaderType.ENDORSER_TRANSACTION,
    common.HeaderType.CONFIG_UPDATE,
    common.HeaderType.CONFIG,
  ];
  if (!known.includes(t as never)) return `invalid header type ${t}`;
  if (chdr.epoch !== 0) return `invalid Epoch in ChannelHeader. Expected 0, got [${chdr.epoch}]`;
  if (shdr.nonce.length === 0) return 'invalid nonce specified in the header';
  if (shdr.creator.length === 0) return 'invalid creator specified in the header';
  return undefined;
}

/** Checks creator validity in the channel MSPs and its signature over the payload bytes as received. */
function checkSignatureFromCreator(
  creator: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
  msps: IdentityDeserializer,
): string | undefined {
  if (signature.length === 0 || message.length === 0) return 'nil arguments';
  let identity;
  try {
    identity = msps.deserializeIdentity(creator);
  } catch (e) {
    return `MSP error: ${(e as Error).message}`;
  }
  if (!identity.verify(message, signature)) return "creator's signature over the proposal is not valid";
  return undefined;
}

/** hex SHA-256(nonce ‖ creator): Fabric's ComputeTxID. */
function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

/** Fabric's GetProposalHash2: SHA-256(channel header ‖ signature header ‖ chaincode proposal payload), all as received. */
function proposalHash2(
  channelHeader: Uint8Array,
  signatureHeader: Uint8Array,
  ccProposalPayload: Uint8Array,
): Buffer {
  return createHash('sha256')
    .update(channelHeader)
    .update(signatureHeader)
    .update(ccProposalPayload)
    .digest();
}

/**
 * Fabric's validateEndorserTransaction: exactly one action, its signature header carries nonce and creator,
 * it decodes down to the ProposalResponsePayload, and that payload's proposal hash binds it to this header.
 */
function checkEndorserTransaction(payload: PayloadView): EndorserAction | string {
  const tx = tryDecode(readTransaction, payload.data);
  if (!tx) return 'could not unmarshal Transaction';
  const actions = tx.actions;
  if (actions.length !== 1)
    return `only one action per transaction is supported, tx contains ${actions.length}`;
  const act = actions[0];
  const actShdr = tryDecode(readSignatureHeader, act.header);
  if (!actShdr) return 'could not unmarshal the action SignatureHeader';
  if (actShdr.nonce.length === 0) return 'invalid nonce specified in the header';
  if (actShdr.creator.length === 0) return 'invalid creator specified in the header';
  const cap = tryDecode(readChaincodeActionPayload, act.payload);
  const endorsed = cap?.action;
  if (!cap || !endorsed) return 'could not unmarshal ChaincodeActionPayload';
  const prpBytes = endorsed.proposalResponsePayload;
  const prp = tryDecode(readProposalResponsePayload, prpBytes);
  if (!prp) return 'could not unmarshal ProposalResponsePayload';
  const expected = proposalHash2(payload.header!.channelHeader, act.header, cap.chaincodeProposalPayload);
  if (!expected.equals(prp.proposalHash)) return 'proposal hash does not match';
  return {
    chaincodeActionPayload: cap,
    proposalResponsePayload: prpBytes,
    proposalResponse: prp,
    endorsements: endorsed.endorsements,
  };
}

/**
 * Message-level checks of one transaction, in Fabric's order (core/common/validation/msgvalidation.go
 * ValidateTransaction): NIL_ENVELOPE, BAD_PAYLOAD, BAD_COMMON_HEADER, TARGET_CHAIN_NOT_FOUND (devnet
 * checks the channel id here; Fabric's chainExists is a stub), BAD_CREATOR_SIGNATURE, BAD_PROPOSAL_TXID,
 * INVALID_ENDORSER_TRANSACTION, UNSUPPORTED_TX_PAYLOAD (CONFIG_UPDATE). CONFIG envelopes pass here and are
 * handled by the caller.
 */
export async function validateTransaction(
  envelopeBytes: Uint8Array | undefined,
  channelId: string,
  msps: IdentityDeserializer,
): Promise<MessageValidationResult> {
  if (!envelopeBytes || envelopeBytes.length === 0) return fail(Code.NIL_ENVELOPE, 'nil envelope');
  const env = tryDecode(readEnvelope, envelopeBytes);
  if (!env) return fail(Code.INVALID_OTHER_REASON, 'could not unmarshal Envelope');
  const payloadBytes = env.payload;
  const payload = tryDecode(readPayload, payloadBytes);
  if (!payload) return fail(Code.BAD_PAYLOAD, 'could not unmarshal Payload');
  const header = payload.header;
  if (!header) return fail(Code.BAD_COMMON_HEADER, 'nil header');
  const chdr = tryDecode(readChannelHeader, header.channelHeader);
  if (!chdr) return fail(Code.BAD_COMMON_HEADER, 'could not unmarshal ChannelHeader');
  const shdr = tryDecode(readSignatureHeader, header.signatureHeader);
  if (!shdr) return fail(Code.BAD_COMMON_HEADER, 'could not unmarshal SignatureHeader');
  const headerError = checkCommonHeader(chdr, shdr);
  if (headerError) return fail(Code.BAD_COMMON_HEADER, headerError);
  if (chdr.channelId !== channelId) {
    return fail(
      Code.TARGET_CHAIN_NOT_FOUND,
      `transaction is for channel [${chdr.channelId}], not [${channelId}]`,
    );
  }
  const sigError = checkSignatureFromCreator(shdr.creator, env.signature, payloadBytes, msps);
  if (sigError) return fail(Code.BAD_CREATOR_SIGNATURE, sigError);
  const checked: CheckedTransaction = { payload, channelHeader: chdr, signatureHeader: shdr };
  switch (chdr.type) {
    case common.HeaderType.ENDORSER_TRANSACTION: {
      const expectedTxId = computeTxId(shdr.nonce, shdr.creator);
      if (chdr.txId !== expectedTxId) {
        return fail(Code.BAD_PROPOSAL_TXID, `invalid txid. got [${chdr.txId}], expected [${expectedTxId}]`);
      }
      const action = checkEndorserTransaction(payload);
      if (typeof action === 'string') return fail(Code.INVALID_ENDORSER_TRANSACTION, action);
      return { code: Code.VALID, tx: { ...checked, action } };
    }
    case common.HeaderType.CONFIG:
      return { code: Code.VALID, tx: checked };
    default:
      return fail(Code.UNSUPPORTED_TX_PAYLOAD, `unsupported transaction payload type ${chdr.type}`);
  }
}
