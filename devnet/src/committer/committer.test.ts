import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, peer } from '@hyperledger/fabric-protos';
import { BlockStore } from '../ledger/blockstore';
import { StateDB } from '../ledger/statedb';
import { blockHeaderHash } from '../protoutil';
import { noKeyLevelPolicies, TxValidator, txmgrStateSupport } from '../validator';
import { endorsedTx, newTestChannel, TestChannel, testBlock, testGenesisBlock } from '../validator/testing';
import { commitHashOf } from './commithash';
import { CommittedBlock, LedgerCommitter } from './committer';
import { filterOf } from './recovery';

const Code = peer.TxValidationCode;
const definition = {
  name: 'egov',
  version: '0.1',
  endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
};

let ch: TestChannel;
let dir: string;
let store: BlockStore;
let state: StateDB;

beforeAll(async () => {
  ch = await newTestChannel('egov', ['ImmigrationMSP', 'EducationMSP', 'HealthMSP']);
});
beforeEach(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'committer-'));
  store = await BlockStore.open(path.join(dir, 'blockstore'));
  state = await StateDB.open(path.join(dir, 'statedb'));
});
afterEach(async () => {
  await store.close();
  await state.close();
  await fs.promises.rm(dir, { recursive: true, force: true });
});

function newCommitter(committed: CommittedBlock[] = [], st: StateDB = state): LedgerCommitter {
  const validator = new TxValidator({
    channelId: 'egov',
    resources: () => ({
      msps: ch.msps,
      policies: ch.policies,
      definition: () => definition,
      keyLevel: noKeyLevelPolicies,
    }),
    txIdExists: async (txId) => (await store.getTxLocation(txId)) !== undefined,
  });
  return new LedgerCommitter({
    channelId: 'egov',
    store,
    state: st,
    validator,
    stateSupport: txmgrStateSupport(st),
    onCommitted: (c) => committed.push(c),
  });
}

function tx(spec: Parameters<typeof endorsedTx>[3]) {
  const [a, b] = ch.orgs;
  return endorsedTx('egov', a.member, [a.member, b.member], spec);
}

function nextBlock(envs: common.Envelope[]): common.Block {
  return testBlock(store.height(), blockHeaderHash(store.lastBlock()!.getHeader()!), envs, ch.orderer.member);
}

describe('LedgerCommitter', () => {
  it('joins from the genesis block, then commits blocks with filter, commit hash and state', async () => {
    const committed: CommittedBlock[] = [];
    const c = newCommitter(committed);
    await c.commitGenesis(testGenesisBlock(ch));
    expect(store.height()).toBe(1);
    expect(await state.savepoint()).toBe(0);
    expect(Array.from(filterOf((await store.getBlock(0))!))).toEqual([Code.VALID]);

    const t1 = tx({ reads: { a: undefined }, writes: { a: '1' } });
    const t2 = tx({ reads: { a: undefined }, writes: { a: '2' } });
    await c.commitBlock(nextBlock([t1.envelope, t2.envelope]));
    const b1 = (await store.getBlock(1))!;
    expect(Array.from(filterOf(b1))).toEqual([Code.VALID, Code.MVCC_READ_CONFLICT]);
    expect(commitHashOf(b1).length).toBe(32);
    expect(await state.savepoint()).toBe(1);
    const a = await state.get('egov', 'a');
    expect(Buffer.from(a!.value).toString()).toBe('1');
    expect(a!.version).toEqual({ blockNum: 1, txNum: 0 });
    expect(await store.getTxLocation(t2.txId)).toEqual({
      blockNumber: 1,
      txNumber: 1,
      validationCode: Code.MVCC_READ_CONFLICT,
    });

    const t3 = tx({ reads: { a: { blockNum: 1, txNum: 0 } }, writes: { a: '3' } });
    await c.commitBlock(nextBlock([t3.envelope]));
    const b2 = (await store.getBlock(2))!;
    expect(Array.from(filterOf(b2))).toEqual([Code.VALID]);
    expect(Buffer.from(commitHashOf(b2)).equals(Buffer.from(commitHashOf(b1)))).toBe(false);
    expect(committed.map((x) => x.block.getHeader()!.getNumber())).toEqual([0, 1, 2]);
    expect(committed[1].txs.map((t) => t.txId)).toEqual([t1.txId, t2.txId]);
  });

  it('gives two peers committing the same blocks the same commit hash', async () => {
    const c = newCommitter();
    await c.commitGenesis(testGenesisBlock(ch));
    const block = nextBlock([tx({ writes: { x: '1' } }).envelope]);
    const copy = common.Block.deserializeBinary(block.serializeBinary());
    await c.commitBlock(block);
    const dir2 = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'committer2-'));
    const store2 = await BlockStore.open(path.join(dir2, 'blockstore'));
    const state2 = await StateDB.open(path.join(dir2, 'statedb'));
    try {
      const validator = new TxValidator({
        channelId: 'egov',
        resources: () => ({
          msps: ch.msps,
          policies: ch.policies,
          definition: () => definition,
          keyLevel: noKeyLevelPolicies,
        }),
        txIdExists: async () => false,
      });
      const c2 = new LedgerCommitter({
        channelId: 'egov',
        store: store2,
        state: state2,
        validator,
        stateSupport: txmgrStateSupport(state2),
        onCommitted: () => undefined,
      });
      await c2.commitGenesis(testGenesisBlock(ch));
      await c2.commitBlock(copy);
      expect(Buffer.from(commitHashOf((await store2.getBlock(1))!)).toString('hex')).toBe(
        Buffer.from(commitHashOf((await store.getBlock(1))!)).toString('hex'),
      );
    } finally {
      await store2.close();
      await state2.close();
      await fs.promises.rm(dir2, { recursive: true, force: true });
    }
  });

  it('re-applies blocks above the state savepoint after a crash between block append and state update', async () => {
    const c = newCommitter();
    await c.commitGenesis(testGenesisBlock(ch));
    const original = state.applyUpdates.bind(state);
    const spy = jest.spyOn(state, 'applyUpdates').mockRejectedValueOnce(new Error('disk full'));
    await expect(c.commitBlock(nextBlock([tx({ writes: { r: 'recovered' } }).envelope]))).rejects.toThrow(
      /state update of block 1 failed: disk full/,
    );
    expect(store.height()).toBe(2);
    expect(await state.savepoint()).toBe(0);
    await expect(c.commitBlock(nextBlock([tx({ writes: { s: 'x' } }).envelope]))).rejects.toThrow(
      /state update of block 1 failed/,
    );
    spy.mockImplementation(original);

    const restarted = newCommitter();
    expect(await restarted.recover()).toBe(1);
    expect(await state.savepoint()).toBe(1);
    expect(Buffer.from((await state.get('egov', 'r'))!.value).toString()).toBe('recovered');
    expect(await restarted.recover()).toBe(0);
  });

  it('refuses a genesis block that is not a config block', async () => {
    const block = testBlock(0, new Uint8Array(), [tx({}).envelope], ch.orderer.member);
    await expect(newCommitter().commitGenesis(block)).rejects.toThrow(/single CONFIG envelope/);
  });
});
