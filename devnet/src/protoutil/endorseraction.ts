import { common } from '@hyperledger/fabric-protos';
import {
  ChaincodeActionView,
  ChannelHeaderView,
  readChaincodeAction,
  readChaincodeActionPayload,
  readEnvelopeHeaders,
  readProposalResponsePayload,
  readTransaction,
} from './views';

/** The first action of an endorser transaction with the channel header it came under. */
export interface EndorserAction {
  channelHeader: ChannelHeaderView;
  chaincodeAction: ChaincodeActionView;
}

/**
 * An envelope's channel header and, for an ENDORSER_TRANSACTION, the ChaincodeAction of its first
 * transaction action (fabric GetActionFromEnvelope), as read-only views of the envelope's bytes.
 * Throws when the envelope does not decode.
 */
export function envelopeAction(envBytes: Uint8Array): {
  channelHeader: ChannelHeaderView;
  chaincodeAction?: ChaincodeActionView;
} {
  const { payload, channelHeader } = readEnvelopeHeaders(envBytes);
  if (!channelHeader) throw new Error('envelope payload has no header');
  if (channelHeader.type !== common.HeaderType.ENDORSER_TRANSACTION) return { channelHeader };
  const action = readTransaction(payload.data).actions[0];
  if (!action) throw new Error('transaction has no actions');
  const endorsed = readChaincodeActionPayload(action.payload).action;
  if (!endorsed) throw new Error('no payload in ChaincodeActionPayload');
  const prp = readProposalResponsePayload(endorsed.proposalResponsePayload);
  return { channelHeader, chaincodeAction: readChaincodeAction(prp.extension) };
}

/**
 * The ChaincodeAction of an envelope's first transaction action, or undefined when the envelope is not
 * an ENDORSER_TRANSACTION. Throws when the envelope does not decode.
 */
export function endorserActionOf(envBytes: Uint8Array): EndorserAction | undefined {
  const { channelHeader, chaincodeAction } = envelopeAction(envBytes);
  return chaincodeAction ? { channelHeader, chaincodeAction } : undefined;
}
