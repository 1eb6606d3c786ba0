import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { peer } from '@hyperledger/fabric-protos';
import { hashedKey, hashedNamespace, hashOf, privateNamespace } from '../ledger/pvtdatastorage/namespaces';
import { PvtDataStore } from '../ledger/pvtdatastorage/pvtdatastore';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import { TransientStore } from '../transientstore';
import { decodeTxRwSet } from '../validator/rwset';
import { txmgrStateSupport } from '../validator/txmgrsupport';
import { parseCollectionsConfig } from './collections';
import { PrivateDataCoordinator } from './coordinator';
import { PvtTxSimulator } from './pvtsimulator';
import type { CollectionResolver } from './resolver';

const colls = parseCollectionsConfig([
  { name: 'mine', policy: "OR('Org1MSP.member')", blockToLive: 1 },
  { name: 'theirs', policy: "OR('Org2MSP.member')" },
]);
const resolver = {
  collection: (_ns: string, c: string) => colls.find((x) => x.name === c),
  isEligible: (_ns: string, c: string) => c === 'mine',
} as unknown as CollectionResolver;

describe('PrivateDataCoordinator', () => {
  let dir: string;
  let state: StateDB;
  let store: PvtDataStore;
  let transient: TransientStore;
  let fetched: string[];
  let coordinator: PrivateDataCoordinator;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pvtcoord-'));
    state = await StateDB.open(path.join(dir, 'state'));
    store = await PvtDataStore.open(path.join(dir, 'pvt'));
    transient = new TransientStore();
    fetched = [];
    coordinator = new PrivateDataCoordinator({
      resolver,
      transient,
      store,
      state,
      fetcher: { fetch: async (txId) => (fetched.push(txId), []) },
    });
  });
  afterEach(async () => {
    await store.close();
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Simulates a tx writing `writes` (collection → key → value) and returns its rwset and private write set. */
  function simulate(txId: string, writes: Record<string, Record<string, string>>) {
    const sim = new PvtTxSimulator(state, txId, {
      channelId: 'ch',
      collection: (_ns, c) => colls.find((x) => x.name === c),
      creatorIsMember: () => true,
    });
    for (const [c, kvs] of Object.entries(writes))
      for (const [k, v] of Object.entries(kvs)) sim.setPrivateData('cc', c, k, Buffer.from(v));
    const rwset = decodeTxRwSet(sim.getResults().serializeBinary());
    return { rwset, pvt: sim.getPvtResults()! };
  }

  /** Commits one block of txs the way the committer does: hashed writes, then private data. */
  async function commit(
    blockNum: number,
    txs: { txId: string; rwset: ReturnType<typeof decodeTxRwSet> }[],
  ): Promise<void> {
    const batch = new UpdateBatch();
    for (const [txNum, tx] of txs.entries())
      await txmgrStateSupport(state).applyWrites(batch, tx.rwset, blockNum, txNum);
    await coordinator.prepareCommit(
      blockNum,
      txs.map((t, txNum) => ({ ...t, txNum, code: peer.TxValidationCode.VALID })),
      batch,
    );
    await state.applyUpdates(batch, blockNum);
    coordinator.afterCommit(
      blockNum,
      txs.map((t) => t.txId),
    );
  }

  it('commits the private writes of eligible collections from the transient store, and only those', async () => {
    const { rwset, pvt } = simulate('t1', { mine: { k: 'v' }, theirs: { x: 'y' } });
    coordinator.storeTransient('t1', 1, pvt);
    await commit(1, [{ txId: 't1', rwset }]);
    expect(Buffer.from((await state.get(privateNamespace('cc', 'mine'), 'k'))!.value).toString()).toBe('v');
    expect(await state.get(privateNamespace('cc', 'theirs'), 'x')).toBeUndefined();
    expect(await state.get(hashedNamespace('cc', 'theirs'), hashedKey(hashOf('x')))).toBeDefined();
    expect(
      (await store.getByTxId('t1'))?.pvt
        .getNsPvtRwsetList()[0]
        .getCollectionPvtRwsetList()
        .map((c) => c.getCollectionName()),
    ).toEqual(['mine']);
    expect(transient.size()).toBe(0);
    expect(fetched).toEqual([]);
  });

  it('asks the fetcher for missing data, and refuses data whose hash does not match', async () => {
    const { rwset } = simulate('t2', { mine: { k: 'v' } });
    const other = simulate('t2', { mine: { k: 'forged' } });
    coordinator.storeTransient('t2', 1, other.pvt);
    await commit(1, [{ txId: 't2', rwset }]);
    expect(fetched).toEqual(['t2']);
    expect(await state.get(privateNamespace('cc', 'mine'), 'k')).toBeUndefined();
  });

  it('purges hashed and private values when blockToLive has passed (written at n, gone at n + btl + 1)', async () => {
    const { rwset, pvt } = simulate('t3', { mine: { k: 'v' } });
    coordinator.storeTransient('t3', 1, pvt);
    await commit(1, [{ txId: 't3', rwset }]);
    await commit(2, []);
    expect(await state.get(privateNamespace('cc', 'mine'), 'k')).toBeDefined();
    expect(await coordinator.lookup('t3')).toHaveLength(1);
    await commit(3, []);
    expect(await state.get(privateNamespace('cc', 'mine'), 'k')).toBeUndefined();
    expect(await state.get(hashedNamespace('cc', 'mine'), hashedKey(hashOf('k')))).toBeUndefined();
    // The private data store forgets it at the same block: a pull of expired data gets nothing.
    expect(await coordinator.lookup('t3')).toEqual([]);
    expect(await store.getBlock(1)).toEqual([]);
  });

  it('renews the private value version after a metadata-only update of the key', async () => {
    const first = simulate('t4', { mine: { k: 'v' } });
    coordinator.storeTransient('t4', 1, first.pvt);
    await commit(1, [{ txId: 't4', rwset: first.rwset }]);
    const sim = new PvtTxSimulator(state, 't5', {
      channelId: 'ch',
      collection: (_ns, c) => colls.find((x) => x.name === c),
      creatorIsMember: () => true,
    });
    sim.setPrivateDataMetadata('cc', 'mine', 'k', { VALIDATION_PARAMETER: Buffer.from('p') });
    const rwset = decodeTxRwSet(sim.getResults().serializeBinary());
    coordinator.storeTransient('t5', 2, sim.getPvtResults()!);
    await commit(2, [{ txId: 't5', rwset }]);
    expect((await state.get(privateNamespace('cc', 'mine'), 'k'))!.version).toEqual({
      blockNum: 2,
      txNum: 0,
    });
    expect((await state.get(hashedNamespace('cc', 'mine'), hashedKey(hashOf('k'))))!.version).toEqual({
      blockNum: 2,
      txNum: 0,
    });
  });
});
