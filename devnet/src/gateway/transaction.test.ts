import { parseTransactionEnvelope } from '@hyperledger/fabric-gateway/dist/transactionparser';
import { common, peer } from '@hyperledger/fabric-protos';
import { newEndorsedAction, prepareTransaction, uniqueEndorsements } from './transaction';

function endorsement(who: string): peer.Endorsement {
  const e = new peer.Endorsement();
  e.setEndorser(Buffer.from(who));
  e.setSignature(Buffer.from(`sig-${who}`));
  return e;
}

function proposalParts() {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId('egov');
  channelHeader.setTxId('tx1');
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(Buffer.from('creator'));
  signatureHeader.setNonce(Buffer.from('nonce'));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const cpp = new peer.ChaincodeProposalPayload();
  cpp.setInput(Buffer.from('invocation spec'));
  cpp.getTransientmapMap().set('secret', Buffer.from('private'));
  const response = new peer.Response();
  response.setStatus(200);
  response.setPayload(Buffer.from('the result'));
  const action = new peer.ChaincodeAction();
  action.setResponse(response);
  const prp = new peer.ProposalResponsePayload();
  prp.setExtension$(action.serializeBinary());
  return { header, cpp, prp: prp.serializeBinary() };
}

describe('prepareTransaction', () => {
  test("fabric-gateway's own transaction parser finds the channel and the result", () => {
    const { header, cpp, prp } = proposalParts();
    const envelope = prepareTransaction(
      header,
      cpp,
      newEndorsedAction(prp, [endorsement('a'), endorsement('b')]),
    );
    const parsed = parseTransactionEnvelope(envelope);
    expect(parsed.channelName).toBe('egov');
    expect(Buffer.from(parsed.result).toString()).toBe('the result');
  });

  test('unsigned, header reused, signature header as action header, transient map dropped', () => {
    const { header, cpp, prp } = proposalParts();
    const envelope = prepareTransaction(header, cpp, newEndorsedAction(prp, [endorsement('a')]));
    expect(envelope.getSignature_asU8()).toHaveLength(0);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    expect(Buffer.from(payload.getHeader()!.serializeBinary())).toEqual(
      Buffer.from(header.serializeBinary()),
    );
    const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
    expect(Buffer.from(action.getHeader_asU8())).toEqual(Buffer.from(header.getSignatureHeader_asU8()));
    const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const ordered = peer.ChaincodeProposalPayload.deserializeBinary(cap.getChaincodeProposalPayload_asU8());
    expect(ordered.getTransientmapMap().getLength()).toBe(0);
    expect(Buffer.from(ordered.getInput_asU8()).toString()).toBe('invocation spec');
    expect(Buffer.from(envelope.getPayload_asU8()).includes(Buffer.from('private'))).toBe(false);
    expect(Buffer.from(cap.getAction()!.getProposalResponsePayload_asU8())).toEqual(Buffer.from(prp));
  });

  test('the same endorser endorses once', () => {
    const unique = uniqueEndorsements([endorsement('a'), endorsement('b'), endorsement('a'), undefined]);
    expect(unique.map((e) => Buffer.from(e.getEndorser_asU8()).toString())).toEqual(['a', 'b']);
  });
});
