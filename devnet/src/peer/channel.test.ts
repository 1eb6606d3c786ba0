import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { peer } from '@hyperledger/fabric-protos';
import type { Bundle } from '../channelconfig';
import { LedgerCommitter } from '../committer';
import { BlockStore } from '../ledger/blockstore';
import { StateDB } from '../ledger/statedb';
import { blockHeaderHash } from '../protoutil';
import { noKeyLevelPolicies, TxValidator, txmgrStateSupport } from '../validator';
import { endorsedTx, newTestChannel, TestChannel, testBlock, testGenesisBlock } from '../validator/testing';
import { Channel } from './channel';

const Code = peer.TxValidationCode;
const definition = {
  name: 'egov',
  version: '0.1',
  sequence: 1,
  endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
};

describe('Channel', () => {
  let ch: TestChannel;
  let dir: string;
  let store: BlockStore;
  let state: StateDB;
  let channel: Channel;
  let committer: LedgerCommitter;

  beforeAll(async () => {
    ch = await newTestChannel('egov', ['ImmigrationMSP', 'EducationMSP', 'HealthMSP']);
  });
  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'channel-'));
    store = await BlockStore.open(path.join(dir, 'blocks'));
    state = await StateDB.open(path.join(dir, 'state'));
    const bundle = { channelId: 'egov', msps: ch.msps, policies: ch.policies } as unknown as Bundle;
    channel = new Channel({
      bundle,
      store,
      state,
      definitions: (n) => (n === 'egov' ? definition : undefined),
    });
    const validator = new TxValidator({
      channelId: 'egov',
      resources: () => ({
        msps: ch.msps,
        policies: ch.policies,
        definition: (n) => channel.definitions(n),
        keyLevel: noKeyLevelPolicies,
      }),
      txIdExists: async (id) => (await store.getTxLocation(id)) !== undefined,
    });
    committer = new LedgerCommitter({
      channelId: 'egov',
      store,
      state,
      validator,
      stateSupport: txmgrStateSupport(state),
      onCommitted: (c) => channel.committed(c),
    });
    await committer.commitGenesis(testGenesisBlock(ch));
  });
  afterEach(async () => {
    await Promise.all([store.close(), state.close()]);
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  function commit(envs: ReturnType<typeof endorsedTx>['envelope'][]): Promise<void> {
    return committer.commitBlock(
      testBlock(store.height(), blockHeaderHash(store.lastBlock()!.getHeader()!), envs, ch.orderer.member),
    );
  }

  function tx(endorsers = 2, writes: Record<string, string> = { k: 'v' }) {
    const [a, b] = ch.orgs;
    return endorsedTx('egov', a.member, [a.member, b.member].slice(0, endorsers), { writes });
  }

  /**
   * Waits for the same store lookup that waitForTx made (it must find nothing yet), then one turn of
   * the event loop, so a waiter that wrongly resolved from that lookup has settled by the time we look.
   */
  async function afterLookup(txId: string): Promise<void> {
    expect(await channel.store.getTxLocation(txId)).toBeUndefined();
    await new Promise((r) => setImmediate(r));
  }

  it('waitForTx resolves when the transaction commits after the call, with its validation code', async () => {
    const good = tx();
    const weak = tx(1);
    const waitGood = channel.waitForTx(good.txId);
    const waitWeak = channel.waitForTx(weak.txId);
    let settled = false;
    void waitGood.then(() => (settled = true));
    await afterLookup(good.txId);
    expect(settled).toBe(false);
    await commit([good.envelope, weak.envelope]);
    await expect(waitGood).resolves.toEqual({ blockNumber: 1, validationCode: Code.VALID });
    await expect(waitWeak).resolves.toEqual({
      blockNumber: 1,
      validationCode: Code.ENDORSEMENT_POLICY_FAILURE,
    });
  });

  it('waitForTx resolves at once for a transaction committed before the call', async () => {
    const good = tx();
    await commit([good.envelope]);
    await commit([tx(2, { other: 'x' }).envelope]);
    await expect(channel.waitForTx(good.txId)).resolves.toEqual({
      blockNumber: 1,
      validationCode: Code.VALID,
    });
  });

  it('waitForTx does not report a transaction whose block is stored but not yet applied to the state', async () => {
    // The window between the block store's append (which indexes the tx) and the state update.
    const good = tx();
    const block = testBlock(
      store.height(),
      blockHeaderHash(store.lastBlock()!.getHeader()!),
      [good.envelope],
      ch.orderer.member,
    );
    const filter = new Uint8Array([Code.VALID]);
    const md = block.getMetadata()!.getMetadataList_asU8();
    md[2] = filter; // TRANSACTIONS_FILTER
    block.getMetadata()!.setMetadataList(md);
    await store.append(block);
    expect(await store.getTxLocation(good.txId)).toBeDefined();
    let settled = false;
    const waiting = channel.waitForTx(good.txId).then((s) => ((settled = true), s));
    await afterLookup(good.txId);
    expect(settled).toBe(false);
    channel.committed({ block, filter } as unknown as Parameters<Channel['committed']>[0]);
    await expect(waiting).resolves.toEqual({ blockNumber: 1, validationCode: Code.VALID });
  });

  it('waitForTx rejects when its signal aborts', async () => {
    const ac = new AbortController();
    const waiting = channel.waitForTx(tx().txId, ac.signal);
    ac.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
  });

  it('notifies commit listeners with the block and its filter until they unsubscribe', async () => {
    const seen: [number, number[]][] = [];
    const off = channel.onCommit((block, filter) =>
      seen.push([block.getHeader()!.getNumber(), Array.from(filter)]),
    );
    await commit([tx().envelope, tx(1).envelope]);
    off();
    await commit([tx().envelope]);
    expect(seen).toEqual([[1, [Code.VALID, Code.ENDORSEMENT_POLICY_FAILURE]]]);
    expect(channel.definitions('egov')).toBe(definition);
    expect(channel.definitions('nope')).toBeUndefined();
  });
});
