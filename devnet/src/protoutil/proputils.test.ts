import { createHash } from 'node:crypto';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import {
  createChaincodeProposal,
  createProposalResponse,
  createProposalResponseFailure,
  endorseProposalResponse,
  getBytesProposalPayloadForTx,
  getProposalHash,
  getProposalHash2,
  signProposal,
  unpackProposal,
} from './proputils';
import type { Signer } from './signer';
import { checkTxId, computeTxId } from './txid';
import { createSignedTx } from './txutils';
import { parseEndorserTransaction } from './txparse';
import { unpackEnvelope } from './unmarshalers';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  parts.forEach((p) => h.update(p));
  return h.digest('hex');
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A signer whose "signature" is a recognizable hash: enough to check what was signed. */
function fakeSigner(name: string): Signer {
  return { serialize: () => Buffer.from(name), sign: (m) => Buffer.from(sha(Buffer.from(name), m), 'hex') };
}

const creator = Buffer.from('creator-bytes');
function proposal(transient?: Map<string, Uint8Array>) {
  return createChaincodeProposal({
    channelId: 'egov',
    chaincodeName: 'egov',
    args: [Buffer.from('CreateRecord'), Buffer.from('r1')],
    creator,
    nonce: Buffer.alloc(24, 7),
    transientMap: transient,
  });
}

describe('computeTxId', () => {
  it('is hex SHA-256 of nonce ‖ creator', () => {
    expect(computeTxId(Buffer.from('nonce'), Buffer.from('creator'))).toBe(sha(Buffer.from('noncecreator')));
    expect(() => checkTxId('00', Buffer.from('nonce'), Buffer.from('creator'))).toThrow(/invalid txID/);
  });
});

describe('proposal hash (GetProposalHash1)', () => {
  it('hashes channel header ‖ signature header ‖ payload re-marshalled without the transient map', () => {
    const { proposal: p } = proposal(new Map([['secret', Buffer.from('s3cret')]]));
    const header = common.Header.deserializeBinary(p.getHeader_asU8());
    const cpp = peer.ChaincodeProposalPayload.deserializeBinary(p.getPayload_asU8());
    // Go proto.Marshal(&ChaincodeProposalPayload{Input: input}) = field 1, wire type 2: 0x0a len input
    const input = cpp.getInput_asU8();
    const expectedCpp = Buffer.concat([Buffer.from([0x0a, input.length]), input]);
    expect(hex(getBytesProposalPayloadForTx(cpp))).toBe(hex(expectedCpp));
    const expected = sha(header.getChannelHeader_asU8(), header.getSignatureHeader_asU8(), expectedCpp);
    expect(hex(getProposalHash(p))).toBe(expected);
    // hashing the raw payload (with transient data) would give something else
    expect(
      sha(header.getChannelHeader_asU8(), header.getSignatureHeader_asU8(), p.getPayload_asU8()),
    ).not.toBe(expected);
  });

  it('is the same with or without transient data when headers are equal', () => {
    const a = proposal(new Map([['k', Buffer.from('v')]])).proposal;
    const b = new peer.Proposal();
    b.setHeader(a.getHeader_asU8());
    const cpp = peer.ChaincodeProposalPayload.deserializeBinary(a.getPayload_asU8());
    b.setPayload(getBytesProposalPayloadForTx(cpp));
    expect(hex(getProposalHash(a))).toBe(hex(getProposalHash(b)));
    expect(
      hex(getProposalHash2(common.Header.deserializeBinary(b.getHeader_asU8()), b.getPayload_asU8())),
    ).toBe(hex(getProposalHash(a)));
  });
});

describe('unpackProposal', () => {
  it('opens every part and exposes the transient map', () => {
    const { proposal: p, txId } = proposal(new Map([['k', Buffer.from('v')]]));
    const u = unpackProposal(signProposal(p, fakeSigner('alice')));
    expect(u.channelHeader.getTxId()).toBe(txId);
    expect(u.channelHeader.getChannelId()).toBe('egov');
    expect(u.chaincodeName).toBe('egov');
    expect(Buffer.from(u.signatureHeader.getCreator_asU8()).toString()).toBe('creator-bytes');
    expect(u.input.getArgsList_asU8().map((a) => Buffer.from(a).toString())).toEqual(['CreateRecord', 'r1']);
    expect(
      Buffer.from(u.chaincodeProposalPayload.getTransientmapMap().get('k') as Uint8Array).toString(),
    ).toBe('v');
    expect(hex(u.proposalHash)).toBe(hex(getProposalHash(p)));
    expect(txId).toBe(computeTxId(Buffer.alloc(24, 7), creator));
  });

  it('rejects a proposal without chaincode id', () => {
    const { proposal: p } = proposal();
    const header = common.Header.deserializeBinary(p.getHeader_asU8());
    const chdr = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    chdr.setExtension$(new peer.ChaincodeHeaderExtension().serializeBinary());
    header.setChannelHeader(chdr.serializeBinary());
    p.setHeader(header.serializeBinary());
    expect(() => unpackProposal(signProposal(p, fakeSigner('a')))).toThrow(
      'ChaincodeHeaderExtension.ChaincodeId is nil',
    );
  });
});

describe('proposal responses and transactions', () => {
  function result(status = 200) {
    const response = new peer.Response();
    response.setStatus(status);
    response.setPayload(Buffer.from('result'));
    const rwset = new ledger.rwset.TxReadWriteSet();
    rwset.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    const ccId = new peer.ChaincodeID();
    ccId.setName('egov');
    return { response, results: rwset.serializeBinary(), chaincodeId: ccId };
  }

  it('signs payload ‖ endorser and round-trips through createSignedTx and parseEndorserTransaction', () => {
    const client: Signer = { serialize: () => creator, sign: fakeSigner('client').sign };
    const { proposal: p, txId } = proposal(new Map([['secret', Buffer.from('s3cret')]]));
    const endorser = fakeSigner('peer0');
    const pr = createProposalResponse(p.getHeader_asU8(), p.getPayload_asU8(), result(), endorser);
    expect(pr.getResponse()!.getStatus()).toBe(200);
    expect(hex(pr.getEndorsement()!.getSignature_asU8())).toBe(
      hex(endorser.sign(Buffer.concat([pr.getPayload_asU8(), Buffer.from('peer0')]))),
    );
    const env = createSignedTx(p, client, [pr, pr]);
    const u = unpackEnvelope(env);
    expect(u.channelHeader.getTxId()).toBe(txId);
    expect(hex(env.getSignature_asU8())).toBe(hex(client.sign(env.getPayload_asU8())));
    const tx = parseEndorserTransaction(u.payload.getData_asU8());
    const a = tx.actions[0];
    expect(a.endorsements).toHaveLength(1); // same endorser twice is kept once
    expect(Buffer.from(a.response!.getPayload_asU8()).toString()).toBe('result');
    expect(a.chaincodeId!.getName()).toBe('egov');
    expect(a.txRwSet.getDataModel()).toBe(ledger.rwset.TxReadWriteSet.DataModel.KV);
    expect(a.chaincodeProposalPayload.getTransientmapMap().getLength()).toBe(0); // transient data never in the tx
    expect(hex(a.proposalResponsePayload.getProposalHash_asU8())).toBe(hex(getProposalHash(p)));
    expect(
      hex(
        getProposalHash2(
          common.Header.deserializeBinary(p.getHeader_asU8()),
          a.chaincodeProposalPayloadBytes,
        ),
      ),
    ).toBe(hex(getProposalHash(p)));
  });

  it('endorses like the 2.x endorser: the outer response is the chaincode response', () => {
    const { proposal: p } = proposal();
    const r = result(201);
    const pr = endorseProposalResponse(getProposalHash(p), r, fakeSigner('peer0'));
    expect(pr.getResponse()!.getStatus()).toBe(201);
    expect(pr.getVersion()).toBe(1);
    const legacy = createProposalResponse(p.getHeader_asU8(), p.getPayload_asU8(), r, fakeSigner('peer0'));
    expect(hex(pr.getPayload_asU8())).toBe(hex(legacy.getPayload_asU8()));
    expect(hex(pr.getEndorsement()!.getSignature_asU8())).toBe(
      hex(legacy.getEndorsement()!.getSignature_asU8()),
    );
  });

  it('refuses failed responses, mismatched payloads and a foreign signer', () => {
    const client: Signer = { serialize: () => creator, sign: fakeSigner('client').sign };
    const { proposal: p } = proposal();
    const ok = createProposalResponse(p.getHeader_asU8(), p.getPayload_asU8(), result(), fakeSigner('peer0'));
    const r2 = result();
    r2.response.setPayload(Buffer.from('other'));
    const other = createProposalResponse(p.getHeader_asU8(), p.getPayload_asU8(), r2, fakeSigner('peer1'));
    const failed = createProposalResponseFailure(
      p.getHeader_asU8(),
      p.getPayload_asU8(),
      result(500).response,
      new Uint8Array(0),
      undefined,
      'egov',
    );
    expect(failed.hasEndorsement()).toBe(false);
    expect(() => createSignedTx(p, client, [ok, failed])).toThrow(/error code 500/);
    expect(() => createSignedTx(p, client, [ok, other])).toThrow(/do not match/);
    expect(() => createSignedTx(p, fakeSigner('mallory'), [ok])).toThrow(/signer must be the same/);
  });
});
