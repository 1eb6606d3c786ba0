import { common, ledger, peer } from '@hyperledger/fabric-protos';
import {
  unmarshal,
  unmarshalChaincodeAction,
  unmarshalChaincodeActionPayload,
  unmarshalChaincodeEvent,
  unmarshalChaincodeProposalPayload,
  unmarshalProposalResponsePayload,
  unmarshalSignatureHeader,
  unmarshalTransaction,
} from './unmarshalers';

/** One TransactionAction of an endorser transaction, opened down to its read-write set. */
export interface ParsedTransactionAction {
  action: peer.TransactionAction;
  /** The action header (the proposal's SignatureHeader) as received. */
  signatureHeaderBytes: Uint8Array;
  signatureHeader: common.SignatureHeader;
  chaincodeActionPayload: peer.ChaincodeActionPayload;
  /** ChaincodeProposalPayload bytes as received (no transient map in a transaction). */
  chaincodeProposalPayloadBytes: Uint8Array;
  chaincodeProposalPayload: peer.ChaincodeProposalPayload;
  endorsedAction: peer.ChaincodeEndorsedAction;
  /** The bytes every endorsement signed (with the endorser's identity appended). */
  proposalResponsePayloadBytes: Uint8Array;
  proposalResponsePayload: peer.ProposalResponsePayload;
  chaincodeAction: peer.ChaincodeAction;
  endorsements: peer.Endorsement[];
  /** The chaincode's response (status, message, payload). */
  response: peer.Response | undefined;
  chaincodeId: peer.ChaincodeID | undefined;
  txRwSet: ledger.rwset.TxReadWriteSet;
  /** The chaincode event, if the chaincode set one. */
  event: peer.ChaincodeEvent | undefined;
}

/** Opens one TransactionAction (fabric GetPayloads, plus the rwset and event). */
export function parseTransactionAction(action: peer.TransactionAction): ParsedTransactionAction {
  const signatureHeaderBytes = action.getHeader_asU8();
  const chaincodeActionPayload = unmarshalChaincodeActionPayload(action.getPayload_asU8());
  const endorsedAction = chaincodeActionPayload.getAction();
  if (!endorsedAction || endorsedAction.getProposalResponsePayload_asU8().length === 0) {
    throw new Error('no payload in ChaincodeActionPayload');
  }
  const proposalResponsePayloadBytes = endorsedAction.getProposalResponsePayload_asU8();
  const proposalResponsePayload = unmarshalProposalResponsePayload(proposalResponsePayloadBytes);
  const extension = proposalResponsePayload.getExtension_asU8();
  if (extension.length === 0) throw new Error('response payload is missing extension');
  const chaincodeAction = unmarshalChaincodeAction(extension);
  const eventBytes = chaincodeAction.getEvents_asU8();
  const chaincodeProposalPayloadBytes = chaincodeActionPayload.getChaincodeProposalPayload_asU8();
  return {
    action,
    signatureHeaderBytes,
    signatureHeader: unmarshalSignatureHeader(signatureHeaderBytes),
    chaincodeActionPayload,
    chaincodeProposalPayloadBytes,
    chaincodeProposalPayload: unmarshalChaincodeProposalPayload(chaincodeProposalPayloadBytes),
    endorsedAction,
    proposalResponsePayloadBytes,
    proposalResponsePayload,
    chaincodeAction,
    endorsements: endorsedAction.getEndorsementsList(),
    response: chaincodeAction.getResponse(),
    chaincodeId: chaincodeAction.getChaincodeId(),
    txRwSet: unmarshal(
      'TxReadWriteSet',
      ledger.rwset.TxReadWriteSet.deserializeBinary,
      chaincodeAction.getResults_asU8(),
    ),
    event: eventBytes.length > 0 ? unmarshalChaincodeEvent(eventBytes) : undefined,
  };
}

/** An endorser transaction (payload.data of an ENDORSER_TRANSACTION envelope), opened. */
export interface ParsedEndorserTransaction {
  transaction: peer.Transaction;
  actions: ParsedTransactionAction[];
}

/** Opens Transaction → actions → ChaincodeActionPayload → … → TxReadWriteSet. */
export function parseEndorserTransaction(payloadData: Uint8Array): ParsedEndorserTransaction {
  const transaction = unmarshalTransaction(payloadData);
  const actions = transaction.getActionsList();
  if (actions.length === 0) throw new Error('at least one TransactionAction required');
  return { transaction, actions: actions.map(parseTransactionAction) };
}

/**
 * A TxReadWriteSet's namespaces with each KVRWSet unmarshalled (the rwset proto keeps them as
 * bytes; fabric rwsetutil.TxRwSetFromProtoMsg).
 */
export function parseTxRwSet(txRwSet: ledger.rwset.TxReadWriteSet): {
  namespace: string;
  kvRwSet: ledger.rwset.kvrwset.KVRWSet;
  collectionHashedRwSets: ledger.rwset.CollectionHashedReadWriteSet[];
}[] {
  return txRwSet.getNsRwsetList().map((ns) => ({
    namespace: ns.getNamespace(),
    kvRwSet: unmarshal('KVRWSet', ledger.rwset.kvrwset.KVRWSet.deserializeBinary, ns.getRwset_asU8()),
    collectionHashedRwSets: ns.getCollectionHashedRwsetList(),
  }));
}
