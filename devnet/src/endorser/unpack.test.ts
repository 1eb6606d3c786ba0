import { createHash } from 'node:crypto';
import { common, peer } from '@hyperledger/fabric-protos';
import {
  createChaincodeProposal,
  signProposal,
  unpackProposal as referenceUnpack,
  type Signer,
  type UnpackedProposal,
} from '../protoutil';
import { unpackProposal } from './unpack';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const signer: Signer = {
  serialize: () => Buffer.from('alice'),
  sign: (m) => createHash('sha256').update(m).digest(),
};

function proposal(opts: { transient?: Map<string, Uint8Array>; args?: Uint8Array[] } = {}) {
  return createChaincodeProposal({
    channelId: 'egov',
    chaincodeName: 'egov',
    args: opts.args ?? [Buffer.from('CreateRecord'), Buffer.from('r1')],
    creator: Buffer.from('creator-bytes'),
    nonce: Buffer.alloc(24, 7),
    transientMap: opts.transient,
  }).proposal;
}

/** Every field of an UnpackedProposal, encoded: two unpackings agree when these do. */
function encoded(u: UnpackedProposal) {
  return {
    signedProposal: hex(u.signedProposal.serializeBinary()),
    proposal: hex(u.proposal.serializeBinary()),
    header: hex(u.header.serializeBinary()),
    channelHeader: hex(u.channelHeader.serializeBinary()),
    signatureHeader: hex(u.signatureHeader.serializeBinary()),
    chaincodeHeaderExtension: hex(u.chaincodeHeaderExtension.serializeBinary()),
    chaincodeProposalPayload: hex(u.chaincodeProposalPayload.serializeBinary()),
    chaincodeInvocationSpec: hex(u.chaincodeInvocationSpec.serializeBinary()),
    chaincodeName: u.chaincodeName,
    input: hex(u.input.serializeBinary()),
    proposalHash: hex(u.proposalHash),
  };
}

/** `p` with its ChaincodeInvocationSpec changed by `edit`. */
function withSpec(edit: (cis: peer.ChaincodeInvocationSpec) => void): peer.Proposal {
  const p = proposal();
  const cpp = peer.ChaincodeProposalPayload.deserializeBinary(p.getPayload_asU8());
  const cis = peer.ChaincodeInvocationSpec.deserializeBinary(cpp.getInput_asU8());
  edit(cis);
  cpp.setInput(cis.serializeBinary());
  p.setPayload(cpp.serializeBinary());
  return p;
}

/** `p` with its ChaincodeHeaderExtension replaced by `ext`. */
function withExtension(ext: peer.ChaincodeHeaderExtension): peer.Proposal {
  const p = proposal();
  const header = common.Header.deserializeBinary(p.getHeader_asU8());
  const chdr = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  chdr.setExtension$(ext.serializeBinary());
  header.setChannelHeader(chdr.serializeBinary());
  p.setHeader(header.serializeBinary());
  return p;
}

describe("the endorser's unpackProposal", () => {
  test.each([
    ['a proposal', proposal()],
    ['a proposal with transient data', proposal({ transient: new Map([['k', Buffer.from('v')]]) })],
    ['a proposal with a 300-byte argument', proposal({ args: [Buffer.alloc(300, 1)] })],
    [
      'a proposal with an empty invocation spec input',
      withSpec((cis) => cis.getChaincodeSpec()!.setInput(new peer.ChaincodeInput())),
    ],
  ])('opens %s as protoutil does', (_name, p) => {
    const signed = signProposal(p, signer);
    expect(encoded(unpackProposal(signed))).toEqual(encoded(referenceUnpack(signed)));
  });

  const noId = new peer.ChaincodeHeaderExtension();
  const noName = new peer.ChaincodeHeaderExtension();
  noName.setChaincodeId(new peer.ChaincodeID());
  test.each([
    ['no chaincode id', withExtension(noId), 'ChaincodeHeaderExtension.ChaincodeId is nil'],
    ['no chaincode name', withExtension(noName), 'ChaincodeHeaderExtension.ChaincodeId.Name is empty'],
    [
      'no chaincode spec',
      withSpec((cis) => cis.clearChaincodeSpec()),
      'chaincode invocation spec did not contain chaincode spec',
    ],
    [
      'no chaincode input',
      withSpec((cis) => cis.getChaincodeSpec()!.clearInput()),
      'chaincode input did not contain any input',
    ],
  ])('refuses %s as protoutil does', (_name, p, message) => {
    const signed = signProposal(p, signer);
    expect(() => referenceUnpack(signed)).toThrow(new Error(message));
    expect(() => unpackProposal(signed)).toThrow(new Error(message));
  });

  test.each([
    ['Proposal', (p: peer.Proposal) => Uint8Array.from([...p.serializeBinary(), (1 << 3) | 2, 40])],
    [
      'Header',
      (p: peer.Proposal) => {
        p.setHeader(Uint8Array.from([(1 << 3) | 2, 40]));
        return p.serializeBinary();
      },
    ],
    [
      'ChaincodeProposalPayload',
      (p: peer.Proposal) => {
        p.setPayload(Uint8Array.from([(1 << 3) | 2, 40]));
        return p.serializeBinary();
      },
    ],
  ])('names a malformed %s as protoutil does', (typeName, corrupt) => {
    const signed = new peer.SignedProposal();
    signed.setProposalBytes(corrupt(proposal()));
    expect(() => referenceUnpack(signed)).toThrow(`error unmarshalling ${typeName}: `);
    expect(() => unpackProposal(signed)).toThrow(`error unmarshalling ${typeName}: `);
  });
});
