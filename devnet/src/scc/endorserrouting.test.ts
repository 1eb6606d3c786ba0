import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { ledger, msp, peer } from '@hyperledger/fabric-protos';
import { Endorser } from '../endorser';
import type { EndorserBundle, EndorserChannel, SystemChaincodeRunner } from '../endorser/deps';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import type { TxSimulator } from '../ledger/txmgr';
import { stateDataBytes } from '../lifecycle/serializer';
import { createChaincodeProposal, signProposal, type UnpackedProposal } from '../protoutil';

const sha = (...parts: Uint8Array[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
function identity(mspId: string): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(`cert of ${mspId}`));
  return id.serializeBinary();
}
const signerFor = (mspId: string) => ({
  serialize: () => identity(mspId),
  sign: (m: Uint8Array) => sha(Buffer.from('sig'), identity(mspId), m),
});
const msps = {
  deserializeIdentity(bytes: Uint8Array) {
    const id = msp.SerializedIdentity.deserializeBinary(bytes);
    return {
      mspId: id.getMspid(),
      verify: (m: Uint8Array, s: Uint8Array) => sha(Buffer.from('sig'), bytes, m).equals(Buffer.from(s)),
    };
  },
};
// Nobody passes peer/Propose (Writers): system chaincodes must not be subject to it.
const bundle: EndorserBundle = {
  channelId: 'egov',
  msps,
  policies: {
    getPolicy: () => ({
      evaluate: () => {
        throw new Error('not a writer');
      },
    }),
  },
};

function proposal(chaincodeName: string, channelId: string, signer = signerFor('AMSP')): peer.SignedProposal {
  const { proposal: p } = createChaincodeProposal({
    channelId,
    chaincodeName,
    args: [Buffer.from('Fn')],
    creator: signer.serialize(),
  });
  return signProposal(p, signer);
}

describe('Endorser with system chaincodes', () => {
  let dir: string;
  let state: StateDB;
  let channel: EndorserChannel;
  const calls: { name: string; channel: boolean; simulator: boolean }[] = [];
  const runner: SystemChaincodeRunner = {
    isSysCC: (n) => ['_lifecycle', 'qscc', 'cscc'].includes(n),
    needsSimulator: (n) => n === '_lifecycle',
    localMsp: () => ({
      msps: {
        deserializeIdentity: (b: Uint8Array) => {
          const id = msps.deserializeIdentity(b);
          if (id.mspId !== 'AMSP') throw new Error(`expected MSP ID AMSP, received ${id.mspId}`);
          return id;
        },
      },
    }),
    async execute(up: UnpackedProposal, ch: EndorserChannel | undefined, sim: TxSimulator | undefined) {
      calls.push({ name: up.chaincodeName, channel: ch !== undefined, simulator: sim !== undefined });
      if (sim) sim.setState('_lifecycle', 'k', Buffer.from('v'));
      const r = new peer.Response();
      r.setStatus(200);
      r.setPayload(Buffer.from(`${up.chaincodeName} ok`));
      return { response: r, results: sim?.getResultsBytes() };
    },
  };
  const executor = {
    definition: (name: string) =>
      name === 'egov'
        ? {
            name,
            version: '1',
            sequence: 2,
            packageId: 'p',
            initRequired: false,
            endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
          }
        : undefined,
    execute: async () => {
      const r = new peer.Response();
      r.setStatus(200);
      return { response: r };
    },
  };
  const endorser = () =>
    new Endorser({
      channels: (id) => (id === 'egov' ? channel : undefined),
      chaincodeSupport: executor,
      signer: signerFor('AMSP'),
      systemChaincodes: runner,
    });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scc-endorser-'));
    state = await StateDB.open(dir);
    channel = { bundle, state };
    calls.length = 0;
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a channel-less proposal unendorsed, validated against the local MSP only', async () => {
    const pr = await endorser().processProposal(proposal('_lifecycle', ''));
    expect(pr.getResponse()!.getStatus()).toBe(200);
    expect(pr.hasEndorsement()).toBe(false);
    expect(calls).toEqual([{ name: '_lifecycle', channel: false, simulator: false }]);
    await expect(endorser().processProposal(proposal('_lifecycle', '', signerFor('BMSP')))).rejects.toThrow(
      /^error validating proposal: access denied/,
    );
  });

  it('endorses a system chaincode on a channel without the peer/Propose ACL, as chaincode <name>:syscc', async () => {
    const pr = await endorser().processProposal(proposal('qscc', 'egov'));
    expect(pr.getResponse()!.getStatus()).toBe(200);
    expect(pr.hasEndorsement()).toBe(true);
    const action = peer.ChaincodeAction.deserializeBinary(
      peer.ProposalResponsePayload.deserializeBinary(pr.getPayload_asU8()).getExtension_asU8(),
    );
    expect([action.getChaincodeId()!.getName(), action.getChaincodeId()!.getVersion()]).toEqual([
      'qscc',
      'syscc',
    ]);
    expect(calls).toEqual([{ name: 'qscc', channel: true, simulator: false }]);

    const lc = await endorser().processProposal(proposal('_lifecycle', 'egov'));
    const lcAction = peer.ChaincodeAction.deserializeBinary(
      peer.ProposalResponsePayload.deserializeBinary(lc.getPayload_asU8()).getExtension_asU8(),
    );
    const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(lcAction.getResults_asU8());
    expect(rwset.getNsRwsetList().map((n) => n.getNamespace())).toEqual(['_lifecycle']);
  });
});

describe('Endorser with system chaincodes: the definition read', () => {
  let dir: string;
  let state: StateDB;
  const writers: EndorserBundle = {
    channelId: 'egov',
    msps,
    policies: { getPolicy: () => ({ evaluate: () => undefined }) },
  };
  const executor = {
    definition: () => ({
      name: 'egov',
      version: '1',
      sequence: 2,
      packageId: 'p',
      initRequired: false,
      endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
    }),
    execute: async () => {
      const r = new peer.Response();
      r.setStatus(200);
      return { response: r };
    },
  };
  const runner = {
    isSysCC: () => false,
    needsSimulator: () => false,
    localMsp: () => ({ msps }),
    execute: async () => ({ response: new peer.Response() }),
  };
  const endorser = () =>
    new Endorser({
      channels: () => ({ bundle: writers, state }),
      chaincodeSupport: executor,
      signer: signerFor('AMSP'),
      systemChaincodes: runner,
    });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scc-endorser-'));
    state = await StateDB.open(dir);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setSequence(seq: number): Promise<void> {
    const batch = new UpdateBatch();
    batch.put('_lifecycle', 'namespaces/fields/egov/Sequence', stateDataBytes({ int64: seq }), {
      blockNum: 4,
      txNum: 1,
    });
    await state.applyUpdates(batch, 4);
  }

  it('puts the _lifecycle Sequence read (with its version) in the read-write set', async () => {
    await setSequence(2);
    const pr = await endorser().processProposal(proposal('egov', 'egov'));
    expect(pr.getResponse()!.getStatus()).toBe(200);
    const action = peer.ChaincodeAction.deserializeBinary(
      peer.ProposalResponsePayload.deserializeBinary(pr.getPayload_asU8()).getExtension_asU8(),
    );
    const ns = ledger.rwset.TxReadWriteSet.deserializeBinary(action.getResults_asU8())
      .getNsRwsetList()
      .find((n) => n.getNamespace() === '_lifecycle')!;
    const read = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()).getReadsList()[0];
    expect([read.getKey(), read.getVersion()!.getBlockNum(), read.getVersion()!.getTxNum()]).toEqual([
      'namespaces/fields/egov/Sequence',
      4,
      1,
    ]);
  });

  it("refuses with Fabric's messages when the chaincode is not defined or its definition changed", async () => {
    const none = await endorser().processProposal(proposal('egov', 'egov'));
    expect(none.getResponse()!.getMessage()).toBe(
      "make sure the chaincode egov has been successfully defined on channel egov and try again: chaincode definition for 'egov' not found",
    );
    await setSequence(3);
    const changed = await endorser().processProposal(proposal('egov', 'egov'));
    expect(changed.getResponse()!.getMessage()).toBe(
      "make sure the chaincode egov has been successfully defined on channel egov and try again: chaincode cache at sequence 2 but current sequence is 3, chaincode definition for 'egov' changed during invoke",
    );
  });
});
