import { common, peer } from '@hyperledger/fabric-protos';
import {
  unmarshalChaincodeAction,
  unmarshalChaincodeActionPayload,
  unmarshalChaincodeEvent,
  unmarshalChannelHeader,
  unmarshalPayload,
  unmarshalProposalResponsePayload,
  unmarshalTransaction,
} from '../../protoutil/unmarshalers';

/**
 * The filtered view of a committed block that DeliverFiltered streams (fabric core/peer/
 * deliverevents.go toFilteredBlock): per transaction its id, header type and validation code
 * from TRANSACTIONS_FILTER, and for endorser transactions the chaincode events without their
 * payloads. Unreadable envelopes and envelopes without a header are skipped, as Fabric does;
 * a payload, channel header or transaction that cannot be unmarshalled is an error.
 */
export function toFilteredBlock(block: common.Block): peer.FilteredBlock {
  const filtered = new peer.FilteredBlock();
  filtered.setNumber(block.getHeader()?.getNumber() ?? 0);
  const flags = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  const data = block.getData()?.getDataList_asU8() ?? [];
  const txs: peer.FilteredTransaction[] = [];
  data.forEach((envelopeBytes, txIndex) => {
    const tx = toFilteredTransaction(envelopeBytes, flagAt(flags, txIndex));
    if (!tx) return;
    filtered.setChannelId(tx.channelId);
    txs.push(tx.filtered);
  });
  filtered.setFilteredTransactionsList(txs);
  return filtered;
}

function flagAt(flags: Uint8Array | undefined, i: number): number {
  return flags !== undefined && i < flags.length ? flags[i] : peer.TxValidationCode.NOT_VALIDATED;
}

function toFilteredTransaction(
  envelopeBytes: Uint8Array,
  code: number,
): { channelId: string; filtered: peer.FilteredTransaction } | undefined {
  let envelope: common.Envelope;
  try {
    envelope = common.Envelope.deserializeBinary(envelopeBytes);
  } catch {
    return undefined; // fabric logs "error getting tx from block" and skips it
  }
  const payload = withMessage('could not extract payload from envelope', () =>
    unmarshalPayload(envelope.getPayload_asU8()),
  );
  const header = payload.getHeader();
  if (!header) return undefined;
  const chdr = unmarshalChannelHeader(header.getChannelHeader_asU8());
  const filtered = new peer.FilteredTransaction();
  filtered.setTxid(chdr.getTxId());
  filtered.setType(chdr.getType() as common.HeaderTypeMap[keyof common.HeaderTypeMap]);
  filtered.setTxValidationCode(code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
  if (chdr.getType() === common.HeaderType.ENDORSER_TRANSACTION) {
    const tx = withMessage('error unmarshal transaction payload for block event', () =>
      unmarshalTransaction(payload.getData_asU8()),
    );
    filtered.setTransactionActions(toFilteredActions(tx.getActionsList()));
  }
  return { channelId: chdr.getChannelId(), filtered };
}

/** The chaincode events of a transaction's actions, payloads left out (fabric toFilteredActions). */
function toFilteredActions(actions: peer.TransactionAction[]): peer.FilteredTransactionActions {
  const result = new peer.FilteredTransactionActions();
  for (const action of actions) {
    const cap = withMessage('error unmarshal transaction action payload for block event', () =>
      unmarshalChaincodeActionPayload(action.getPayload_asU8()),
    );
    const endorsed = cap.getAction();
    if (!endorsed) continue;
    const prp = withMessage('error unmarshal proposal response payload for block event', () =>
      unmarshalProposalResponsePayload(endorsed.getProposalResponsePayload_asU8()),
    );
    const ccAction = withMessage('error unmarshal chaincode action for block event', () =>
      unmarshalChaincodeAction(prp.getExtension_asU8()),
    );
    const event = withMessage('error unmarshal chaincode event for block event', () =>
      unmarshalChaincodeEvent(ccAction.getEvents_asU8()),
    );
    if (event.getChaincodeId() === '') continue;
    const stripped = new peer.ChaincodeEvent();
    stripped.setTxId(event.getTxId());
    stripped.setChaincodeId(event.getChaincodeId());
    stripped.setEventName(event.getEventName());
    const filteredAction = new peer.FilteredChaincodeAction();
    filteredAction.setChaincodeEvent(stripped);
    result.addChaincodeActions(filteredAction);
  }
  return result;
}

/** Runs `fn`, prefixing its error like Go's errors.WithMessage. */
function withMessage<T>(message: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error(`${message}: ${(err as Error).message}`);
  }
}
