import { common, peer } from '@hyperledger/fabric-protos';
import { unpackProposal } from './proposal';

/** A field google-protobuf's generated code does not know: number 15, length-delimited. */
const unknownField = Uint8Array.from([(15 << 3) | 2, 3, 1, 2, 3]);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));

function signed(proposalBytes: Uint8Array): peer.SignedProposal {
  const sp = new peer.SignedProposal();
  sp.setProposalBytes(proposalBytes);
  sp.setSignature(Buffer.from('sig'));
  return sp;
}

function parts(opts: { transient?: boolean; chaincode?: string; spec?: boolean; id?: boolean } = {}) {
  const chdr = new common.ChannelHeader();
  chdr.setType(common.HeaderType.ENDORSER_TRANSACTION);
  chdr.setChannelId('egov');
  chdr.setTxId('ab12');
  const shdr = new common.SignatureHeader();
  shdr.setCreator(Buffer.from('creator'));
  shdr.setNonce(Buffer.from('nonce'));
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(shdr.serializeBinary());
  const input = new peer.ChaincodeInput();
  input.setArgsList([Buffer.from('Put'), Buffer.from('k')]);
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  if (opts.id !== false) {
    const id = new peer.ChaincodeID();
    id.setName(opts.chaincode ?? 'conformance');
    spec.setChaincodeId(id);
  }
  spec.setInput(input);
  const cis = new peer.ChaincodeInvocationSpec();
  if (opts.spec !== false) cis.setChaincodeSpec(spec);
  const cpp = new peer.ChaincodeProposalPayload();
  cpp.setInput(cis.serializeBinary());
  if (opts.transient) cpp.getTransientmapMap().set('secret', Buffer.from('private'));
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(cpp.serializeBinary());
  return { header, cpp, proposal };
}

describe('unpackProposal', () => {
  test('reads what google-protobuf reads, bytes as received', () => {
    const { header, cpp, proposal } = parts();
    const bytes = proposal.serializeBinary();
    const up = unpackProposal(signed(bytes));
    expect(up).toMatchObject({
      channelId: 'egov',
      chaincodeName: 'conformance',
      txId: 'ab12',
      hasTransientData: false,
    });
    expect(Buffer.from(up.header.channelHeader)).toEqual(Buffer.from(header.getChannelHeader_asU8()));
    expect(Buffer.from(up.header.signatureHeader)).toEqual(Buffer.from(header.getSignatureHeader_asU8()));
    expect(Buffer.from(up.input)).toEqual(Buffer.from(cpp.getInput_asU8()));
  });

  test('transient data is noticed', () => {
    expect(
      unpackProposal(signed(parts({ transient: true }).proposal.serializeBinary())).hasTransientData,
    ).toBe(true);
  });

  test('unknown fields are skipped', () => {
    const { proposal } = parts();
    const up = unpackProposal(signed(cat(unknownField, proposal.serializeBinary(), unknownField)));
    expect(up.chaincodeName).toBe('conformance');
  });

  test.each([
    ['no proposal', undefined, 'a signed proposal is required'],
    ['empty proposal bytes', signed(new Uint8Array()), 'a signed proposal is required'],
    [
      'a truncated proposal',
      signed(Uint8Array.from([(1 << 3) | 2, 10, 1])),
      'error unmarshalling proposal: invalid length: past the end of the message',
    ],
    [
      'a malformed header',
      (() => {
        const p = new peer.Proposal();
        p.setHeader(Uint8Array.from([(1 << 3) | 2, 5]));
        return signed(p.serializeBinary());
      })(),
      'error unmarshalling header: invalid length: past the end of the message',
    ],
    [
      'no channel id',
      (() => {
        const { proposal } = parts();
        const h = common.Header.deserializeBinary(proposal.getHeader_asU8());
        h.setChannelHeader(new Uint8Array());
        proposal.setHeader(h.serializeBinary());
        return signed(proposal.serializeBinary());
      })(),
      'no channel id provided',
    ],
    [
      'no chaincode spec',
      signed(parts({ spec: false }).proposal.serializeBinary()),
      'no chaincode spec is provided, channel id [egov]',
    ],
    [
      'no chaincode id',
      signed(parts({ id: false }).proposal.serializeBinary()),
      'no chaincode id is provided, channel id [egov]',
    ],
    [
      'no chaincode name',
      signed(parts({ chaincode: '' }).proposal.serializeBinary()),
      'no chaincode name is provided, channel id [egov]',
    ],
  ])('%s', (_name, sp, message) => {
    expect(() => unpackProposal(sp)).toThrow(new Error(message));
  });
});
