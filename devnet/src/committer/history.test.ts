import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ledger } from '@hyperledger/fabric-protos';
import { BlockStore } from '../ledger/blockstore';
import { HistoryDB } from '../ledger/history';
import { StateDB } from '../ledger/statedb';
import { blockHeaderHash } from '../protoutil';
import { noKeyLevelPolicies, TxValidator, txmgrStateSupport } from '../validator';
import { endorsedTx, newTestChannel, TestChannel, testBlock, testGenesisBlock } from '../validator/testing';
import { LedgerCommitter } from './committer';

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
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'committer-history-'));
  store = await BlockStore.open(path.join(dir, 'blockstore'));
  state = await StateDB.open(path.join(dir, 'statedb'));
});
afterEach(async () => {
  await store.close();
  await state.close();
  await fs.promises.rm(dir, { recursive: true, force: true });
});

function committer(history: HistoryDB): LedgerCommitter {
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
    state,
    validator,
    stateSupport: txmgrStateSupport(state),
    history,
    onCommitted: () => undefined,
  });
}

async function values(history: HistoryDB, key: string): Promise<string[]> {
  const it = history.getHistoryForKey('egov', key);
  const out: string[] = [];
  for (let r = await it.next(); r !== undefined; r = await it.next()) {
    out.push(
      Buffer.from(
        ledger.queryresult.KeyModification.deserializeBinary(r.modification).getValue_asU8(),
      ).toString(),
    );
  }
  return out;
}

describe('LedgerCommitter with the history index', () => {
  it('indexes each committed block and, after losing the history database, re-derives it from the blocks at recovery', async () => {
    const [a, b] = ch.orgs;
    let history = await HistoryDB.open(path.join(dir, 'history'));
    const c = committer(history);
    await c.commitGenesis(testGenesisBlock(ch));
    for (const v of ['1', '2']) {
      const t = endorsedTx('egov', a.member, [a.member, b.member], { writes: { h: v } });
      await c.commitBlock(
        testBlock(
          store.height(),
          blockHeaderHash(store.lastBlock()!.getHeader()!),
          [t.envelope],
          ch.orderer.member,
        ),
      );
    }
    expect(await values(history, 'h')).toEqual(['2', '1']);
    expect(await history.savepoint()).toBe(2);
    await history.close();

    // A crash that lost the history index (or left it behind the blocks): start over from an empty one.
    history = await HistoryDB.open(path.join(dir, 'history-new'));
    try {
      await committer(history).recover();
      expect(await history.savepoint()).toBe(2);
      expect(await values(history, 'h')).toEqual(['2', '1']);
    } finally {
      await history.close();
    }
  });
});
