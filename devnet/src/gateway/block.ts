import { common, peer } from '@hyperledger/fabric-protos';

/** One endorser transaction of a block, as the gateway's event code reads it (fabric gateway/event/block.go). */
export interface BlockTransaction {
  txId: string;
  /** Position in block.data (the index into TRANSACTIONS_FILTER). */
  txNumber: number;
  /** peer.TxValidationCode; INVALID_OTHER_REASON when the block carries no code for it. */
  validationCode: number;
  payload: common.Payload;
}

/**
 * The block's ENDORSER_TRANSACTION entries with their validation codes. `filter` defaults to the block's
 * TRANSACTIONS_FILTER metadata. Entries that do not decode, and other header types, are skipped.
 */
export function blockTransactions(
  block: common.Block,
  filter: Uint8Array = transactionsFilter(block),
): BlockTransaction[] {
  const transactions: BlockTransaction[] = [];
  block
    .getData()
    ?.getDataList_asU8()
    .forEach((envelopeBytes, txNumber) => {
      const payload = decodePayload(envelopeBytes);
      if (!payload) return;
      const channelHeader = common.ChannelHeader.deserializeBinary(
        payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
      );
      if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
      const validationCode =
        txNumber < filter.length ? filter[txNumber] : peer.TxValidationCode.INVALID_OTHER_REASON;
      transactions.push({ txId: channelHeader.getTxId(), txNumber, validationCode, payload });
    });
  return transactions;
}

/** The block's TRANSACTIONS_FILTER metadata (empty if absent). */
export function transactionsFilter(block: common.Block): Uint8Array {
  const metadata = block.getMetadata()?.getMetadataList_asU8() ?? [];
  return metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
}

/**
 * The chaincode events of a transaction: per action, ChaincodeActionPayload → ProposalResponsePayload →
 * ChaincodeAction.events; only complete events (chaincode id, name and tx id set) count (fabric
 * gateway/event/transaction.go).
 */
export function transactionChaincodeEvents(transaction: BlockTransaction): peer.ChaincodeEvent[] {
  const events: peer.ChaincodeEvent[] = [];
  let tx: peer.Transaction;
  try {
    tx = peer.Transaction.deserializeBinary(transaction.payload.getData_asU8());
  } catch {
    return events;
  }
  for (const action of tx.getActionsList()) {
    const event = actionEvent(action);
    if (event && event.getChaincodeId() !== '' && event.getEventName() !== '' && event.getTxId() !== '')
      events.push(event);
  }
  return events;
}

function actionEvent(action: peer.TransactionAction): peer.ChaincodeEvent | undefined {
  try {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const responsePayload = peer.ProposalResponsePayload.deserializeBinary(
      actionPayload.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array(),
    );
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
    return peer.ChaincodeEvent.deserializeBinary(chaincodeAction.getEvents_asU8());
  } catch {
    return undefined;
  }
}

function decodePayload(envelopeBytes: Uint8Array): common.Payload | undefined {
  try {
    return common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
    );
  } catch {
    return undefined;
  }
}
