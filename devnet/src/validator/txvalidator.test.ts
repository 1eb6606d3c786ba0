import { common, ledger, peer } from '@hyperledger/fabric-protos';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import { endorsedTx, newTestChannel, newTestOrg, TestChannel, testBlock } from './testing';
import { validateState } from './statevalidator';
import { txmgrStateSupport } from './txmgrsupport';
import { TxValidator, ValidatorResources } from './txvalidator';
import { noKeyLevelPolicies } from './vscc';

const Code = peer.TxValidationCode;
const definition = {
  name: 'egov',
  version: '0.1',
  endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
};

let ch: TestChannel;
beforeAll(async () => {
  ch = await newTestChannel('egov', ['ImmigrationMSP', 'EducationMSP', 'HealthMSP']);
});

function validator(ledgerTxIds: string[] = []): TxValidator {
  const resources = (): ValidatorResources => ({
    msps: ch.msps,
    policies: ch.policies,
    definition: (name) => (name === 'egov' ? definition : undefined),
    keyLevel: noKeyLevelPolicies,
  });
  return new TxValidator({
    channelId: 'egov',
    resources,
    txIdExists: (id) => Promise.resolve(ledgerTxIds.includes(id)),
  });
}

/** Two of three ministries endorse: satisfies MAJORITY. */
function goodTx(spec = {}) {
  const [a, b] = ch.orgs;
  return endorsedTx('egov', a.member, [a.member, b.member], { writes: { k1: 'v1' }, ...spec });
}

/** Replaces the envelope's payload with `mutate(payload)` and re-signs it with `signer` (or keeps the signature). */
function mutatePayload(
  env: common.Envelope,
  mutate: (p: common.Payload) => void,
  resign = true,
): common.Envelope {
  const payload = common.Payload.deserializeBinary(env.getPayload_asU8());
  mutate(payload);
  const bytes = payload.serializeBinary();
  const out = new common.Envelope();
  out.setPayload(bytes);
  out.setSignature(resign ? ch.orgs[0].member.sign(bytes) : env.getSignature_asU8());
  return out;
}

function mutateChannelHeader(
  env: common.Envelope,
  mutate: (h: common.ChannelHeader) => void,
): common.Envelope {
  return mutatePayload(env, (p) => {
    const chdr = common.ChannelHeader.deserializeBinary(p.getHeader()!.getChannelHeader_asU8());
    mutate(chdr);
    p.getHeader()!.setChannelHeader(chdr.serializeBinary());
  });
}

async function codes(envs: (common.Envelope | Uint8Array)[], ledgerTxIds: string[] = []): Promise<number[]> {
  const block = testBlock(5, new Uint8Array(32), envs, ch.orderer.member);
  const v = await validator(ledgerTxIds).validate(block);
  return Array.from(v.flags.toBytes());
}

describe('TxValidator', () => {
  it('accepts a transaction endorsed by two of three ministries under MAJORITY', async () => {
    expect(await codes([goodTx().envelope])).toEqual([Code.VALID]);
  });

  it('refuses an endorsement from one ministry only under MAJORITY of three', async () => {
    const [a] = ch.orgs;
    const { envelope } = endorsedTx('egov', a.member, [a.member], { writes: { k: 'v' } });
    expect(await codes([envelope])).toEqual([Code.ENDORSEMENT_POLICY_FAILURE]);
  });

  it('does not count the same endorser twice', async () => {
    const [a] = ch.orgs;
    const { envelope } = endorsedTx('egov', a.member, [a.member, a.member], { writes: { k: 'v' } });
    expect(await codes([envelope])).toEqual([Code.ENDORSEMENT_POLICY_FAILURE]);
  });

  it('refuses an envelope whose signature does not verify', async () => {
    const { envelope } = goodTx();
    const sig = Uint8Array.from(envelope.getSignature_asU8());
    sig[sig.length - 3] ^= 0x01;
    envelope.setSignature(sig);
    expect(await codes([envelope])).toEqual([Code.BAD_CREATOR_SIGNATURE]);
  });

  it('refuses a creator from an MSP that is not on the channel', async () => {
    const stranger = await newTestOrg('StrangerMSP');
    const { envelope } = endorsedTx('egov', stranger.member, [ch.orgs[0].member, ch.orgs[1].member]);
    expect(await codes([envelope])).toEqual([Code.BAD_CREATOR_SIGNATURE]);
  });

  it('refuses a tx id that is not SHA-256(nonce ‖ creator)', async () => {
    const env = mutateChannelHeader(goodTx().envelope, (h) => h.setTxId('ab'.repeat(32)));
    expect(await codes([env])).toEqual([Code.BAD_PROPOSAL_TXID]);
  });

  it('refuses a transaction for another channel', async () => {
    const env = mutateChannelHeader(goodTx().envelope, (h) => h.setChannelId('other'));
    expect(await codes([env])).toEqual([Code.TARGET_CHAIN_NOT_FOUND]);
  });

  it('marks nil envelopes, bad payloads and bad headers in Fabric order', async () => {
    const noHeader = new common.Envelope();
    noHeader.setPayload(new common.Payload().serializeBinary());
    noHeader.setSignature(Uint8Array.of(1));
    const badType = mutateChannelHeader(goodTx().envelope, (h) => h.setType(common.HeaderType.MESSAGE));
    const cfgUpdate = mutateChannelHeader(goodTx().envelope, (h) =>
      h.setType(common.HeaderType.CONFIG_UPDATE),
    );
    expect(await codes([new Uint8Array(), noHeader, badType, cfgUpdate])).toEqual([
      Code.NIL_ENVELOPE,
      Code.BAD_COMMON_HEADER,
      Code.BAD_COMMON_HEADER,
      Code.UNSUPPORTED_TX_PAYLOAD,
    ]);
  });

  it('refuses a proposal response that is not bound to the transaction header', async () => {
    // Same tx id, but a different nonce in the action's signature header breaks the proposal hash.
    const env = mutatePayload(goodTx().envelope, (p) => {
      const tx = peer.Transaction.deserializeBinary(p.getData_asU8());
      const action = tx.getActionsList()[0];
      const shdr = common.SignatureHeader.deserializeBinary(action.getHeader_asU8());
      shdr.setNonce(Buffer.from('another nonce of 24 byte'));
      action.setHeader(shdr.serializeBinary());
      p.setData(tx.serializeBinary());
    });
    expect(await codes([env])).toEqual([Code.INVALID_ENDORSER_TRANSACTION]);
  });

  it('marks the second of two transactions with the same id in one block', async () => {
    const { envelope } = goodTx();
    expect(await codes([envelope, envelope])).toEqual([Code.VALID, Code.DUPLICATE_TXID]);
  });

  it('marks a transaction whose id is already in the ledger', async () => {
    const { envelope, txId } = goodTx();
    expect(await codes([envelope], [txId])).toEqual([Code.DUPLICATE_TXID]);
  });

  it('marks a read-write set that does not decode BAD_RWSET, at any level (as rwsetutil.FromProtoBytes)', async () => {
    const [a, b] = ch.orgs;
    const tx = (results: Uint8Array) =>
      endorsedTx('egov', a.member, [a.member, b.member], { results }).envelope;
    // NsReadWriteSet (field 2) whose length runs past the end
    const badTx = Uint8Array.from([(2 << 3) | 2, 5, 0x0a]);
    const ns = (rwset: Uint8Array, hashed?: Uint8Array) => {
      const n = new ledger.rwset.NsReadWriteSet();
      n.setNamespace('egov');
      n.setRwset(rwset);
      if (hashed) {
        const c = new ledger.rwset.CollectionHashedReadWriteSet();
        c.setCollectionName('c');
        c.setHashedRwset(hashed);
        n.addCollectionHashedRwset(c);
      }
      const t = new ledger.rwset.TxReadWriteSet();
      t.addNsRwset(n);
      return t.serializeBinary();
    };
    // a KVWrite (field 3 of KVRWSet) whose key is cut short
    const badKv = ns(Uint8Array.from([(3 << 3) | 2, 3, (1 << 3) | 2, 9, 0x61]));
    // a KVRead whose version (field 2) is a truncated varint
    const badVersion = ns(Uint8Array.from([(1 << 3) | 2, 4, (2 << 3) | 2, 2, (1 << 3) | 0, 0x80]));
    // a hashed write with an invalid wire type
    const badHashed = ns(new Uint8Array(), Uint8Array.from([(2 << 3) | 2, 1, (1 << 3) | 7]));
    const good = ns(new ledger.rwset.kvrwset.KVRWSet().serializeBinary());
    expect(await codes([tx(badTx), tx(badKv), tx(badVersion), tx(badHashed), tx(good)])).toEqual([
      Code.BAD_RWSET,
      Code.BAD_RWSET,
      Code.BAD_RWSET,
      Code.BAD_RWSET,
      Code.VALID,
    ]);
  });

  it('refuses writes outside the chaincode namespace and undefined chaincodes', async () => {
    const [a, b] = ch.orgs;
    const foreign = endorsedTx('egov', a.member, [a.member, b.member], {
      namespace: 'other',
      writes: { k: 'v' },
    }).envelope;
    const lifecycle = endorsedTx('egov', a.member, [a.member, b.member], {
      namespace: '_lifecycle',
      writes: { k: 'v' },
    }).envelope;
    const undefinedCc = endorsedTx('egov', a.member, [a.member, b.member], {
      chaincode: 'nope',
      writes: { k: 'v' },
    }).envelope;
    expect(await codes([foreign, lifecycle, undefinedCc])).toEqual([
      Code.ILLEGAL_WRITESET,
      Code.ILLEGAL_WRITESET,
      Code.INVALID_CHAINCODE,
    ]);
  });
});

let stateDir: string;
let state: StateDB;
beforeEach(async () => {
  stateDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'validator-state-'));
  state = await StateDB.open(stateDir);
});
afterEach(async () => {
  await state.close();
  await fs.promises.rm(stateDir, { recursive: true, force: true });
});

/** Commits `balance` at version (3, 0) and `k` at (9, 1) as an earlier block would have. */
async function seedState(): Promise<void> {
  const seed = new UpdateBatch();
  seed.put('egov', 'balance', Buffer.from('5'), { blockNum: 3, txNum: 0 });
  seed.put('egov', 'k', Buffer.from('old'), { blockNum: 9, txNum: 1 });
  await state.applyUpdates(seed, 9);
}

describe('validateState with ledger/txmgr MVCC', () => {
  it('invalidates a later read of a key an earlier valid transaction of the block wrote', async () => {
    await seedState();
    const reads = { balance: { blockNum: 3, txNum: 0 } };
    const tx1 = goodTx({ reads, writes: { balance: '10' } }).envelope;
    const tx2 = goodTx({ reads, writes: { balance: '20' } }).envelope;
    const tx3 = goodTx({ reads: { other: undefined }, writes: { other: 'x' } }).envelope;
    const block = testBlock(10, new Uint8Array(32), [tx1, tx2, tx3], ch.orderer.member);
    const v = await validator().validate(block);
    expect(Array.from(v.flags.toBytes())).toEqual([Code.VALID, Code.VALID, Code.VALID]);
    const { batch, conflicts } = await validateState(10, v, txmgrStateSupport(state));
    expect(Array.from(v.flags.toBytes())).toEqual([Code.VALID, Code.MVCC_READ_CONFLICT, Code.VALID]);
    expect(conflicts).toEqual([{ txNum: 1, code: Code.MVCC_READ_CONFLICT }]);
    expect(Buffer.from(batch.get('egov', 'balance')!.value!).toString()).toBe('10');
    expect(batch.get('egov', 'balance')!.version).toEqual({ blockNum: 10, txNum: 0 });
    expect(batch.get('egov', 'other')!.version).toEqual({ blockNum: 10, txNum: 2 });
  });

  it('invalidates a read of a stale committed version and leaves its writes out', async () => {
    await seedState();
    const tx = goodTx({ reads: { k: { blockNum: 8, txNum: 0 } }, writes: { k: 'v' } }).envelope;
    const v = await validator().validate(testBlock(10, new Uint8Array(32), [tx], ch.orderer.member));
    const { batch } = await validateState(10, v, txmgrStateSupport(state));
    expect(v.flags.flag(0)).toBe(Code.MVCC_READ_CONFLICT);
    expect(batch.size()).toBe(0);
  });

  it('skips transactions that failed earlier checks', async () => {
    const [a] = ch.orgs;
    const weak = endorsedTx('egov', a.member, [a.member], { writes: { k: 'v' } }).envelope;
    const v = await validator().validate(testBlock(10, new Uint8Array(32), [weak], ch.orderer.member));
    const { batch } = await validateState(10, v, txmgrStateSupport(state));
    expect(v.flags.flag(0)).toBe(Code.ENDORSEMENT_POLICY_FAILURE);
    expect(batch.size()).toBe(0);
  });
});
