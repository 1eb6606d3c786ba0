import { common, peer } from '@hyperledger/fabric-protos';

/** A chaincode event of a valid transaction, where it sits in the ledger and what emitted it. */
export interface LedgerEvent {
  blockNumber: bigint;
  /** Position of the transaction in its block (0-based). */
  transactionIndex: number;
  transactionId: string;
  chaincode: string;
  /** The contract of the invoked transaction (`ledger` of `ledger:RegisterRecord`); undefined when unqualified. */
  contract?: string;
  /** The invoked transaction without its contract (`RegisterRecord`). */
  transaction: string;
  eventName: string;
  payload: Uint8Array;
}

/** What the event stream needs of one block: its number, size and its valid transactions' events. */
export interface BlockEvents {
  blockNumber: bigint;
  /** Transactions in the block, valid or not. */
  transactionCount: number;
  /** Chaincode events of valid transactions, in transaction order (Fabric keeps one per transaction). */
  events: LedgerEvent[];
  /** Ids of every transaction in the block, by index (to find a checkpointed one). */
  transactionIds: string[];
}

/** The invoked function (`contract:Transaction`) of an endorsed transaction action. */
function invokedFunction(action: peer.ChaincodeActionPayload): string {
  const proposal = peer.ChaincodeProposalPayload.deserializeBinary(action.getChaincodeProposalPayload_asU8());
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec();
  const first = spec?.getInput()?.getArgsList_asU8()[0];
  return first ? Buffer.from(first).toString('utf8') : '';
}

/** The chaincode event of an endorser transaction's first action, with the function that emitted it. */
function chaincodeEvent(payload: common.Payload): { event: peer.ChaincodeEvent; fn: string } | undefined {
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const first = transaction.getActionsList()[0];
  if (!first) return undefined;
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(first.getPayload_asU8());
  const responseBytes = actionPayload.getAction()?.getProposalResponsePayload_asU8();
  if (!responseBytes) return undefined;
  const response = peer.ProposalResponsePayload.deserializeBinary(responseBytes);
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
  const eventBytes = chaincodeAction.getEvents_asU8();
  if (eventBytes.length === 0) return undefined;
  const event = peer.ChaincodeEvent.deserializeBinary(eventBytes);
  if (!event.getEventName()) return undefined;
  return { event, fn: invokedFunction(actionPayload) };
}

/** Splits `ledger:RegisterRecord` into contract and transaction. */
function splitFunction(fn: string): { contract?: string; transaction: string } {
  const colon = fn.indexOf(':');
  return colon < 0 ? { transaction: fn } : { contract: fn.slice(0, colon), transaction: fn.slice(colon + 1) };
}

/**
 * Reads a block as Fabric's peer delivers it: each envelope's transaction id, and the chaincode
 * event of every endorser transaction the block's TRANSACTIONS_FILTER marks VALID (Fabric's
 * ChaincodeEvents service skips invalid ones the same way).
 */
export function readBlockEvents(block: common.Block): BlockEvents {
  const blockNumber = BigInt(block.getHeader()?.getNumber() ?? 0);
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const events: LedgerEvent[] = [];
  const transactionIds: string[] = [];
  envelopes.forEach((bytes, transactionIndex) => {
    const payload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
    );
    const channelHeader = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    const transactionId = channelHeader.getTxId();
    transactionIds.push(transactionId);
    const valid = filter?.[transactionIndex] === peer.TxValidationCode.VALID;
    if (!valid || channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
    const found = chaincodeEvent(payload);
    if (!found) return;
    events.push({
      blockNumber,
      transactionIndex,
      transactionId,
      chaincode: found.event.getChaincodeId(),
      ...splitFunction(found.fn),
      eventName: found.event.getEventName(),
      payload: found.event.getPayload_asU8(),
    });
  });
  return { blockNumber, transactionCount: envelopes.length, events, transactionIds };
}
