import { common, peer } from '@hyperledger/fabric-protos';

/**
 * Assembles the unsigned transaction envelope from the proposal and its endorsements, as Fabric's gateway
 * prepareTransaction (submit.go) and protoutil.CreateTx do:
 * Envelope{payload: Payload{header: proposal header, data: Transaction{actions: [TransactionAction{
 * header: signature header bytes, payload: ChaincodeActionPayload{chaincode_proposal_payload: the proposal
 * payload WITHOUT its transient map, action: ChaincodeEndorsedAction}}]}}}. The client signs `payload`.
 */
export function prepareTransaction(
  header: common.Header,
  proposalPayload: peer.ChaincodeProposalPayload,
  action: peer.ChaincodeEndorsedAction,
): common.Envelope {
  // The transient map is private to the endorsers: it must never be ordered or stored in a block.
  const cppNoTransient = new peer.ChaincodeProposalPayload();
  cppNoTransient.setInput(proposalPayload.getInput_asU8());

  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(cppNoTransient.serializeBinary());
  actionPayload.setAction(action);

  const txAction = new peer.TransactionAction();
  txAction.setHeader(header.getSignatureHeader_asU8());
  txAction.setPayload(actionPayload.serializeBinary());

  const transaction = new peer.Transaction();
  transaction.setActionsList([txAction]);

  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());

  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}

/** An endorsed action: the agreed ProposalResponsePayload and the endorsements over it. */
export function newEndorsedAction(
  proposalResponsePayload: Uint8Array,
  endorsements: peer.Endorsement[],
): peer.ChaincodeEndorsedAction {
  const action = new peer.ChaincodeEndorsedAction();
  action.setProposalResponsePayload(proposalResponsePayload);
  action.setEndorsementsList(uniqueEndorsements(endorsements));
  return action;
}

/** Drops repeated endorsements by the same endorser identity, keeping the first (fabric uniqueEndorsements). */
export function uniqueEndorsements(endorsements: (peer.Endorsement | undefined)[]): peer.Endorsement[] {
  const seen = new Set<string>();
  const unique: peer.Endorsement[] = [];
  for (const endorsement of endorsements) {
    if (!endorsement) continue;
    const key = Buffer.from(endorsement.getEndorser_asU8()).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(endorsement);
  }
  return unique;
}
