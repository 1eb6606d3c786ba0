import { parseTransactionEnvelope } from '@hyperledger/fabric-gateway/dist/transactionparser';
import { common, peer } from '@hyperledger/fabric-protos';
import { newEndorsedAction, prepareTransaction, uniqueEndorsements } from './transaction';

function endorsement(who: string, signature = `sig-${who}`): peer.Endorsement {
  const e = new peer.Endorsement();
  e.setEndorser(Buffer.from(who));
  e.setSignature(Buffer.from(signature));
  return e;
}

function proposalParts(inputText = 'invocation spec') {
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
  cpp.setInput(Buffer.from(inputText));
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

function headerParts(header: common.Header) {
  return { channelHeader: header.getChannelHeader_asU8(), signatureHeader: header.getSignatureHeader_asU8() };
}

/** The envelope as google-protobuf builds it (the gateway's code before its own encoder): the reference bytes. */
function referenceEnvelope(
  header: common.Header,
  cpp: peer.ChaincodeProposalPayload,
  prp: Uint8Array,
  endorsements: peer.Endorsement[],
): Uint8Array {
  const cppNoTransient = new peer.ChaincodeProposalPayload();
  cppNoTransient.setInput(cpp.getInput_asU8());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prp);
  endorsed.setEndorsementsList(endorsements);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(cppNoTransient.serializeBinary());
  actionPayload.setAction(endorsed);
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
  return envelope.serializeBinary();
}

describe('prepareTransaction', () => {
  test("fabric-gateway's own transaction parser finds the channel and the result", () => {
    const { header, cpp, prp } = proposalParts();
    const envelope = prepareTransaction(
      headerParts(header),
      cpp.getInput_asU8(),
      newEndorsedAction(prp, [endorsement('a'), endorsement('b')]),
    );
    const parsed = parseTransactionEnvelope(envelope);
    expect(parsed.channelName).toBe('egov');
    expect(Buffer.from(parsed.result).toString()).toBe('the result');
  });

  test('unsigned, header reused, signature header as action header, transient map dropped', () => {
    const { header, cpp, prp } = proposalParts();
    const envelope = prepareTransaction(
      headerParts(header),
      cpp.getInput_asU8(),
      newEndorsedAction(prp, [endorsement('a')]),
    );
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

  test.each([
    ['two endorsements', 'invocation spec', ['a', 'b'], ''],
    ['no endorsement', 'invocation spec', [], ''],
    ['an empty input', '', ['a'], ''],
    ['an endorsement with empty fields', 'x', [''], 'empty'],
    ['fields of 2- and 3-byte lengths', 'i'.repeat(200), ['e'.repeat(900), 'f'.repeat(20000)], 'long'],
  ])('the same bytes as google-protobuf: %s', (_name, input, endorsers, signatures) => {
    const { header, cpp, prp } = proposalParts(input);
    const endorsements = endorsers.map((who) =>
      endorsement(who, signatures === 'empty' ? '' : signatures === 'long' ? 's'.repeat(300) : `sig-${who}`),
    );
    const envelope = prepareTransaction(
      headerParts(header),
      cpp.getInput_asU8(),
      newEndorsedAction(prp, endorsements),
    );
    expect(Buffer.from(envelope.serializeBinary())).toEqual(
      Buffer.from(referenceEnvelope(header, cpp, prp, endorsements)),
    );
  });

  test('the same bytes as google-protobuf with an empty header and an empty proposal response payload', () => {
    const header = new common.Header();
    const cpp = new peer.ChaincodeProposalPayload();
    const envelope = prepareTransaction(
      headerParts(header),
      cpp.getInput_asU8(),
      newEndorsedAction(new Uint8Array(), []),
    );
    expect(Buffer.from(envelope.serializeBinary())).toEqual(
      Buffer.from(referenceEnvelope(header, cpp, new Uint8Array(), [])),
    );
  });

  test('the same endorser endorses once', () => {
    const unique = uniqueEndorsements([endorsement('a'), endorsement('b'), endorsement('a'), undefined]);
    expect(unique.map((e) => Buffer.from(e.getEndorser_asU8()).toString())).toEqual(['a', 'b']);
  });
});
