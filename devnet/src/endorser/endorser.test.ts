import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import { rwsetFromBytes, TxSimulator } from '../ledger/txmgr';
import { parseCollectionsConfig } from '../privdata/collections';
import { PvtTxSimulator } from '../privdata/pvtsimulator';
import { ChaincodeSupport } from '../chaincode';
import type { ChaincodeDefinition, ExecuteRequest, ExecuteResult } from '../chaincode';
import { createChaincodeProposal, signProposal } from '../protoutil';
import { Endorser } from './endorser';
import { ProposalError } from './proposalerror';
import type { EndorserBundle, EndorserChannel } from './deps';
import { TestChaincodeServer, startTestChaincode } from '../chaincode/testdata/testchaincode';

jest.setTimeout(30000);

const sha = (...parts: Uint8Array[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
function identity(mspId: string): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(`cert of ${mspId}`));
  return id.serializeBinary();
}
/** A fake signing identity: signature = SHA-256("sig" ‖ serialized identity ‖ message). */
const signerFor = (mspId: string): { serialize(): Uint8Array; sign(m: Uint8Array): Uint8Array } => ({
  serialize: () => identity(mspId),
  sign: (m) => sha(Buffer.from('sig'), identity(mspId), m),
});
const client = signerFor('ImmigrationMSP');
const peerSigner = signerFor('EducationMSP');

function bundle(writers: string[], config?: common.Config): EndorserBundle {
  return {
    channelId: 'egov',
    config,
    msps: {
      deserializeIdentity(bytes) {
        const id = msp.SerializedIdentity.deserializeBinary(bytes);
        if (!['ImmigrationMSP', 'EducationMSP', 'HealthMSP'].includes(id.getMspid()))
          throw new Error(`MSP ${id.getMspid()} is unknown`);
        return {
          mspId: id.getMspid(),
          verify: (m, s) => sha(Buffer.from('sig'), bytes, m).equals(Buffer.from(s)),
        };
      },
    },
    policies: {
      getPolicy: (p) =>
        p === '/Channel/Application/Writers' || p === '/Channel/Application/Admins'
          ? {
              evaluate(sd) {
                const id = msp.SerializedIdentity.deserializeBinary(sd[0].identity).getMspid();
                if (p.endsWith('Admins') || !writers.includes(id))
                  throw new Error(`implicit policy evaluation failed - 0 sub-policies were satisfied (${p})`);
              },
            }
          : undefined,
    },
  };
}

function proposal(
  args: string[],
  signer = client,
  opts: { chaincodeName?: string; channelId?: string; nonce?: Uint8Array } = {},
): { signed: peer.SignedProposal; txId: string } {
  const { proposal: p, txId } = createChaincodeProposal({
    channelId: opts.channelId ?? 'egov',
    chaincodeName: opts.chaincodeName ?? 'egov',
    args: args.map((a) => Buffer.from(a)),
    creator: signer.serialize(),
    nonce: opts.nonce,
  });
  return { signed: signProposal(p, signer), txId };
}

const def: ChaincodeDefinition = {
  name: 'egov',
  version: '0.1',
  sequence: 1,
  packageId: 'egov_0.1:aa',
  endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
  initRequired: false,
};

function decodeAction(pr: peer.ProposalResponse): peer.ChaincodeAction {
  const prp = peer.ProposalResponsePayload.deserializeBinary(pr.getPayload_asU8());
  return peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
}

describe('Endorser (fake chaincode)', () => {
  let dir: string;
  let state: StateDB;
  let channel: EndorserChannel;
  let committed: Set<string>;
  let behaviour: (req: ExecuteRequest) => Promise<ExecuteResult>;
  let endorser: Endorser;

  const respond = (status: number, message = '', payload = ''): peer.Response => {
    const r = new peer.Response();
    r.setStatus(status);
    r.setMessage(message);
    r.setPayload(Buffer.from(payload));
    return r;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'endorser-'));
    state = await StateDB.open(dir);
    const b = new UpdateBatch();
    b.put('egov', 'citizen1', Buffer.from('Alice'), { blockNum: 4, txNum: 2 });
    await state.applyUpdates(b, 4);
    committed = new Set();
    channel = {
      bundle: bundle(['ImmigrationMSP', 'EducationMSP']),
      state,
      store: { getTxLocation: async (id) => (committed.has(id) ? {} : undefined) },
    };
    behaviour = async (req) => {
      const v = await req.simulator.getState('egov', 'citizen1');
      req.simulator.setState('egov', 'citizen1', Buffer.from(`${Buffer.from(v ?? []).toString()}!`));
      const ev = new peer.ChaincodeEvent();
      ev.setEventName('Updated');
      ev.setChaincodeId('egov');
      ev.setTxId(req.txId);
      return { response: respond(200, '', 'done'), event: ev };
    };
    endorser = new Endorser({
      channels: (id) => (id === 'egov' ? channel : undefined),
      chaincodeSupport: {
        definition: (n) => (n === 'egov' ? def : undefined),
        execute: (req) => behaviour(req),
      },
      signer: peerSigner,
    });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('endorses: version 1, chaincode response, payload with proposal hash, rwset, event, chaincode id, signature over payload ‖ endorser', async () => {
    const { signed } = proposal(['update']);
    const pr = await endorser.processProposal(signed);
    expect(pr.getVersion()).toBe(1);
    expect(pr.getResponse()?.getStatus()).toBe(200);
    expect(Buffer.from(pr.getResponse()?.getPayload_asU8() ?? []).toString()).toBe('done');
    const action = decodeAction(pr);
    expect(action.getChaincodeId()?.toObject()).toMatchObject({ name: 'egov', version: '0.1' });
    expect(peer.ChaincodeEvent.deserializeBinary(action.getEvents_asU8()).getEventName()).toBe('Updated');
    const rw = rwsetFromBytes(action.getResults_asU8()).nsRwSets[0].kvRwSet;
    expect(rw.reads[0].version).toEqual({ blockNum: 4, txNum: 2 });
    expect(Buffer.from(rw.writes[0].value).toString()).toBe('Alice!');
    const prp = peer.ProposalResponsePayload.deserializeBinary(pr.getPayload_asU8());
    const p = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const hdr = common.Header.deserializeBinary(p.getHeader_asU8());
    const cpp = peer.ChaincodeProposalPayload.deserializeBinary(p.getPayload_asU8());
    const noTransient = new peer.ChaincodeProposalPayload();
    noTransient.setInput(cpp.getInput_asU8());
    expect(Buffer.from(prp.getProposalHash_asU8())).toEqual(
      sha(hdr.getChannelHeader_asU8(), hdr.getSignatureHeader_asU8(), noTransient.serializeBinary()),
    );
    const e = pr.getEndorsement() as peer.Endorsement;
    expect(Buffer.from(e.getEndorser_asU8())).toEqual(Buffer.from(peerSigner.serialize()));
    expect(Buffer.from(e.getSignature_asU8())).toEqual(
      sha(Buffer.from('sig'), peerSigner.serialize(), pr.getPayload_asU8(), e.getEndorser_asU8()),
    );
  });

  it('two endorsements of the same proposal on the same state have byte-identical payloads', async () => {
    const { signed } = proposal(['update']);
    const a = await endorser.processProposal(signed);
    const b = await endorser.processProposal(signed);
    expect(Buffer.from(a.getPayload_asU8()).equals(Buffer.from(b.getPayload_asU8()))).toBe(true);
  });

  it('evaluating only: the chaincode response without signature, payload or interest; errors as when endorsing', async () => {
    const { signed } = proposal(['update']);
    const sign = jest.spyOn(peerSigner, 'sign');
    const pr = await endorser.processProposal(signed, { evaluateOnly: true });
    expect([pr.getVersion(), pr.getResponse()?.getStatus(), pr.hasEndorsement(), pr.hasInterest()]).toEqual([
      1,
      200,
      false,
      false,
    ]);
    expect(Buffer.from(pr.getResponse()?.getPayload_asU8() ?? []).toString()).toBe('done');
    expect(pr.getPayload_asU8().length).toBe(0);
    expect(sign).not.toHaveBeenCalled();
    sign.mockRestore();
    // The same checks as an endorsement: a second proposal with a committed txid is a duplicate.
    const nonce = Buffer.from('evaluate-only nonce');
    committed.add(proposal(['update'], client, { nonce }).txId);
    await expect(
      endorser.processProposal(proposal(['update'], client, { nonce }).signed, { evaluateOnly: true }),
    ).rejects.toThrow(/duplicate transaction found/);
    behaviour = async () => ({ response: respond(500, 'boom') });
    const err = await endorser.processProposal(proposal(['x']).signed, { evaluateOnly: true });
    expect([err.getResponse()?.getStatus(), err.hasEndorsement()]).toEqual([500, false]);
    expect(decodeAction(err).getResponse()?.getMessage()).toBe('boom');
  });

  it('evaluating only builds no read-write set, unless private data was touched: its write set is still distributed', async () => {
    const getResults = jest.spyOn(TxSimulator.prototype, 'getResults');
    await endorser.processProposal(proposal(['update']).signed, { evaluateOnly: true });
    expect(getResults).not.toHaveBeenCalled();
    await endorser.processProposal(proposal(['update']).signed);
    expect(getResults).toHaveBeenCalledTimes(1);
    getResults.mockRestore();

    const [coll] = parseCollectionsConfig([
      { name: 'c1', policy: "OR('ImmigrationMSP.member')", memberOnlyRead: true, memberOnlyWrite: true },
    ]);
    const distributed: string[] = [];
    const withPrivateData = new Endorser({
      channels: (id) => (id === 'egov' ? channel : undefined),
      chaincodeSupport: {
        definition: (n) => (n === 'egov' ? def : undefined),
        execute: async (req) => {
          (req.simulator as PvtTxSimulator).setPrivateData('egov', 'c1', 'k', Buffer.from('secret'));
          return { response: respond(200, '', 'done') };
        },
      },
      signer: peerSigner,
      privateData: () => ({
        newSimulator: (db, txId) =>
          new PvtTxSimulator(db, txId, {
            channelId: 'egov',
            collection: (ns, c) => (ns === 'egov' && c === 'c1' ? coll : undefined),
            creatorIsMember: () => true,
          }),
        pvtResults: (sim) => (sim as PvtTxSimulator).getPvtResults(),
        distribute: async (txId, pvt) => {
          distributed.push(`${txId}:${pvt.getNsPvtRwsetList()[0].getNamespace()}`);
        },
      }),
    });
    const { signed, txId } = proposal(['update']);
    const pr = await withPrivateData.processProposal(signed, { evaluateOnly: true });
    expect([pr.getResponse()?.getStatus(), pr.hasEndorsement()]).toEqual([200, false]);
    expect(distributed).toEqual([`${txId}:egov`]);
  });

  it('does not endorse chaincode errors: 4xx without payload, 5xx with payload', async () => {
    behaviour = async () => ({ response: respond(404, 'no such citizen') });
    const nf = await endorser.processProposal(proposal(['x']).signed);
    expect([
      nf.getResponse()?.getStatus(),
      nf.getResponse()?.getMessage(),
      nf.hasEndorsement(),
      nf.getPayload_asU8().length,
    ]).toEqual([404, 'no such citizen', false, 0]);
    behaviour = async () => ({ response: respond(500, 'boom') });
    const err = await endorser.processProposal(proposal(['x']).signed);
    expect([err.getResponse()?.getStatus(), err.hasEndorsement()]).toEqual([500, false]);
    expect(decodeAction(err).getResponse()?.getMessage()).toBe('boom');
  });

  it('answers 500 for simulation failures, an undefined chaincode and an unknown channel', async () => {
    behaviour = async () => {
      throw new Error('transaction returned with failure: bad input');
    };
    const sim = await endorser.processProposal(proposal(['x']).signed);
    expect(sim.getResponse()?.getMessage()).toBe(
      'error in simulation: transaction returned with failure: bad input',
    );
    const undef = await endorser.processProposal(proposal(['x'], client, { chaincodeName: 'other' }).signed);
    expect(undef.getResponse()?.getMessage()).toMatch(
      /^make sure the chaincode other has been successfully defined on channel egov and try again/,
    );
    const nochan = await endorser.processProposal(proposal(['x'], client, { channelId: 'nope' }).signed);
    expect([nochan.getResponse()?.getStatus(), nochan.getResponse()?.getMessage()]).toEqual([
      500,
      "channel 'nope' not found",
    ]);
  });

  it('rejects unknown creators, bad signatures, wrong txids, duplicates and ACL failures with Fabric texts', async () => {
    await expect(endorser.processProposal(proposal(['x'], signerFor('EvilMSP')).signed)).rejects.toThrow(
      'error validating proposal: access denied: channel [egov] creator org unknown, creator is malformed',
    );
    const bad = proposal(['x']).signed;
    bad.setSignature(new Uint8Array([1, 2, 3]));
    await expect(endorser.processProposal(bad)).rejects.toThrow(
      'error validating proposal: access denied: channel [egov] creator org [ImmigrationMSP]',
    );

    const { signed, txId } = proposal(['x']);
    committed.add(txId);
    await expect(endorser.processProposal(signed)).rejects.toThrow(`duplicate transaction found [${txId}]`);

    const health = signerFor('HealthMSP');
    const acl = endorser.processProposal(proposal(['x'], health).signed);
    await expect(acl).rejects.toBeInstanceOf(ProposalError);
    await expect(acl).rejects.toThrow(
      /failed evaluating policy on signed data during check policy \[\/Channel\/Application\/Writers\]/,
    );

    // A txid that is not SHA-256(nonce ‖ creator).
    const p = createChaincodeProposal({
      channelId: 'egov',
      chaincodeName: 'egov',
      args: [],
      creator: client.serialize(),
    }).proposal;
    const h = common.Header.deserializeBinary(p.getHeader_asU8());
    const ch = common.ChannelHeader.deserializeBinary(h.getChannelHeader_asU8());
    ch.setTxId('0'.repeat(64));
    h.setChannelHeader(ch.serializeBinary());
    p.setHeader(h.serializeBinary());
    await expect(endorser.processProposal(signProposal(p, client))).rejects.toThrow(
      /incorrectly computed txid '0{64}' -- expected '[0-9a-f]{64}'/,
    );
  });

  it('follows the channel config ACL for peer/Propose', async () => {
    const acls = new peer.ACLs();
    const res = new peer.APIResource();
    res.setPolicyRef('/Channel/Application/Admins');
    acls.getAclsMap().set('peer/Propose', res);
    const value = new common.ConfigValue();
    value.setValue(acls.serializeBinary());
    const app = new common.ConfigGroup();
    app.getValuesMap().set('ACLs', value);
    const root = new common.ConfigGroup();
    root.getGroupsMap().set('Application', app);
    const config = new common.Config();
    config.setChannelGroup(root);
    channel = { ...channel, bundle: bundle(['ImmigrationMSP'], config) };
    await expect(endorser.processProposal(proposal(['x']).signed)).rejects.toThrow(
      /check policy \[\/Channel\/Application\/Admins\]/,
    );
  });
});

describe('Endorser with a real fabric-shim chaincode server', () => {
  let dir: string;
  let state: StateDB;
  let server: TestChaincodeServer;
  let support: ChaincodeSupport;
  let endorser: Endorser;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'endorser-it-'));
    state = await StateDB.open(dir);
    const b = new UpdateBatch();
    ['a', 'b', 'c'].forEach((k, i) =>
      b.put('egov', k, Buffer.from(k.toUpperCase()), { blockNum: 1, txNum: i }),
    );
    await state.applyUpdates(b, 1);
    server = await startTestChaincode('egov_0.1:aa');
    const withServer: ChaincodeDefinition = { ...def, server: { address: server.address } };
    support = new ChaincodeSupport({
      home: dir,
      peerName: 'p',
      definitions: { get: (n) => (n === 'egov' ? withServer : undefined) },
    });
    endorser = new Endorser({
      channels: (id) => (id === 'egov' ? { bundle: bundle(['ImmigrationMSP']), state } : undefined),
      chaincodeSupport: support,
      signer: peerSigner,
    });
  });
  afterAll(async () => {
    await support.close();
    await server.stop();
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('endorses put/get/range over the real shim protocol', async () => {
    const pr = await endorser.processProposal(proposal(['readput', 'a']).signed);
    expect([
      pr.getResponse()?.getStatus(),
      Buffer.from(pr.getResponse()?.getPayload_asU8() ?? []).toString(),
      pr.hasEndorsement(),
    ]).toEqual([200, 'A', true]);
    const rw = rwsetFromBytes(decodeAction(pr).getResults_asU8()).nsRwSets[0].kvRwSet;
    expect(rw.reads.map((r) => [r.key, r.version?.txNum])).toEqual([['a', 0]]);
    expect(rw.writes.map((w) => [w.key, Buffer.from(w.value).toString()])).toEqual([['a', 'A+']]);

    const range = await endorser.processProposal(proposal(['range', 'a', 'c']).signed);
    expect(JSON.parse(Buffer.from(range.getResponse()?.getPayload_asU8() ?? []).toString())).toEqual([
      'a',
      'b',
    ]);
    const info = rwsetFromBytes(decodeAction(range).getResults_asU8()).nsRwSets[0].kvRwSet.rangeQueriesInfo;
    expect(info.map((i) => [i.getStartKey(), i.getEndKey(), i.getItrExhausted()])).toEqual([
      ['a', 'c', true],
    ]);

    const failed = await endorser.processProposal(proposal(['fail']).signed);
    expect([
      failed.getResponse()?.getStatus(),
      failed.getResponse()?.getMessage(),
      failed.hasEndorsement(),
    ]).toEqual([500, 'deliberate failure', false]);
  });
});
