import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ledger } from '@hyperledger/fabric-protos';
import { hashedKey, hashOf } from './namespaces';
import { PvtDataStore, StoredPvtData } from './pvtdatastore';

/** A tx's private write set: namespace → collection → key written with value `v` (or the given keys). */
function pvt(colls: Record<string, string[]>, keys?: string[]): ledger.rwset.TxPvtReadWriteSet {
  const tx = new ledger.rwset.TxPvtReadWriteSet();
  for (const [ns, names] of Object.entries(colls)) {
    const n = new ledger.rwset.NsPvtReadWriteSet();
    n.setNamespace(ns);
    for (const name of names) {
      const kv = new ledger.rwset.kvrwset.KVRWSet();
      for (const key of keys ?? [`${name}-key`]) {
        const w = new ledger.rwset.kvrwset.KVWrite();
        w.setKey(key);
        w.setValue(Buffer.from('v'));
        kv.addWrites(w);
      }
      const c = new ledger.rwset.CollectionPvtReadWriteSet();
      c.setCollectionName(name);
      c.setRwset(kv.serializeBinary());
      n.addCollectionPvtRwset(c);
    }
    tx.addNsPvtRwset(n);
  }
  return tx;
}

/** The keys written in each collection of a stored write set. */
const keysOf = (s: StoredPvtData | undefined): Record<string, string[]> =>
  Object.fromEntries(
    s?.pvt.getNsPvtRwsetList().flatMap((n) =>
      n.getCollectionPvtRwsetList().map((c) => [
        c.getCollectionName(),
        ledger.rwset.kvrwset.KVRWSet.deserializeBinary(c.getRwset_asU8())
          .getWritesList()
          .map((w) => w.getKey()),
      ]),
    ) ?? [],
  );

const collsOf = (s: StoredPvtData | undefined): string[] =>
  s?.pvt
    .getNsPvtRwsetList()
    .flatMap((n) =>
      n.getCollectionPvtRwsetList().map((c) => `${n.getNamespace()}/${c.getCollectionName()}`),
    ) ?? [];

describe('PvtDataStore', () => {
  let dir: string;
  let store: PvtDataStore;
  // short: blockToLive 1; brief: 2; others: kept forever.
  const btl = (_ns: string, coll: string): number => ({ short: 1, brief: 2 })[coll] ?? 0;
  const commitBlock = (blockNum: number, entries: StoredPvtData[] = []) =>
    store.commit(entries, { blockNum, blockToLive: btl });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pvtstore-'));
    store = await PvtDataStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps write sets by tx id and by block, in tx order', async () => {
    await commitBlock(5, [
      { txId: 'b', blockNum: 5, txNum: 2, pvt: pvt({ cc: ['forever'] }) },
      { txId: 'a', blockNum: 5, txNum: 0, pvt: pvt({ cc: ['forever'] }) },
    ]);
    expect((await store.getBlock(5)).map((s) => s.txId)).toEqual(['a', 'b']);
    expect((await store.getByTxId('b'))?.txNum).toBe(2);
    expect(await store.getByTxId('nope')).toBeUndefined();
  });

  it('purges a collection of a write set at block written + blockToLive + 1, keeping its other collections', async () => {
    await commitBlock(10, [
      {
        txId: 't',
        blockNum: 10,
        txNum: 0,
        pvt: pvt({ cc: ['short', 'brief', 'forever'], other: ['short'] }),
      },
    ]);
    await commitBlock(11);
    expect(collsOf(await store.getByTxId('t'))).toEqual([
      'cc/short',
      'cc/brief',
      'cc/forever',
      'other/short',
    ]);
    await commitBlock(12);
    expect(collsOf(await store.getByTxId('t'))).toEqual(['cc/brief', 'cc/forever']);
    await commitBlock(13);
    expect(collsOf(await store.getByTxId('t'))).toEqual(['cc/forever']);
    expect(collsOf((await store.getBlock(10))[0])).toEqual(['cc/forever']);
  });

  it('forgets a tx entirely once all of its collections expired', async () => {
    await commitBlock(1, [{ txId: 't', blockNum: 1, txNum: 3, pvt: pvt({ cc: ['short'] }) }]);
    await commitBlock(2);
    expect(await store.getBlock(1)).toHaveLength(1);
    await commitBlock(3);
    expect(await store.getByTxId('t')).toBeUndefined();
    expect(await store.getBlock(1)).toEqual([]);
  });

  it('purges what expired while blocks were committed without expiry options (catch-up at the next commit)', async () => {
    await commitBlock(1, [{ txId: 't', blockNum: 1, txNum: 0, pvt: pvt({ cc: ['short'] }) }]);
    await store.commit([]); // legacy call: stores nothing, purges nothing
    expect(await store.getByTxId('t')).toBeDefined();
    await commitBlock(7);
    expect(await store.getByTxId('t')).toBeUndefined();
  });

  it('keeps its expiry schedule across a reopen', async () => {
    await commitBlock(1, [{ txId: 't', blockNum: 1, txNum: 0, pvt: pvt({ cc: ['short'] }) }]);
    await store.close();
    store = await PvtDataStore.open(dir);
    await commitBlock(3);
    expect(await store.getByTxId('t')).toBeUndefined();
  });

  describe('PurgePrivateData markers', () => {
    const marker = (key: string, txNum: number) => ({
      namespace: 'cc',
      collection: 'forever',
      keyHash: hashedKey(hashOf(key)),
      txNum,
    });

    beforeEach(async () => {
      await commitBlock(1, [
        { txId: 'w1', blockNum: 1, txNum: 0, pvt: pvt({ cc: ['forever', 'other'] }, ['k', 'j']) },
      ]);
      await commitBlock(2, [{ txId: 'w2', blockNum: 2, txNum: 0, pvt: pvt({ cc: ['forever'] }, ['k']) }]);
    });

    it('drop the purged key from every write set at or below the purge, keeping the collection and other keys', async () => {
      await store.commit([{ txId: 'p', blockNum: 3, txNum: 1, pvt: pvt({ cc: ['forever'] }, ['k']) }], {
        blockNum: 3,
        blockToLive: btl,
        purgeMarkers: [marker('k', 1)],
      });
      await commitBlock(4, [{ txId: 'w4', blockNum: 4, txNum: 0, pvt: pvt({ cc: ['forever'] }, ['k']) }]);
      expect(keysOf(await store.getByTxId('w1'))).toEqual({ forever: ['j'], other: ['k', 'j'] });
      expect(keysOf(await store.getByTxId('w2'))).toEqual({ forever: [] });
      expect(keysOf(await store.getByTxId('p'))).toEqual({ forever: [] });
      expect(keysOf((await store.getBlock(2))[0])).toEqual({ forever: [] });
      // Written again after the purge: kept.
      expect(keysOf(await store.getByTxId('w4'))).toEqual({ forever: ['k'] });
    });

    it("keep a purge tx's own purge writes for peers, and everything for crash recovery", async () => {
      await store.commit([{ txId: 'p', blockNum: 3, txNum: 0, pvt: pvt({ cc: ['forever'] }, ['k']) }], {
        blockNum: 3,
        blockToLive: btl,
        purgeMarkers: [marker('k', 0)],
      });
      expect(keysOf(await store.getByTxId('p', { keepPurgeWrites: true }))).toEqual({ forever: ['k'] });
      expect(keysOf(await store.getByTxId('w2', { keepPurgeWrites: true }))).toEqual({ forever: [] });
      expect(keysOf((await store.getBlock(2, { includePurged: true }))[0])).toEqual({ forever: ['k'] });
    });
  });
});
