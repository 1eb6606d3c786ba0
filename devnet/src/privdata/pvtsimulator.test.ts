import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ledger } from '@hyperledger/fabric-protos';
import { hashedKey, hashedNamespace, hashOf, privateNamespace } from '../ledger/pvtdatastorage/namespaces';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import { parseCollectionsConfig } from './collections';
import { PvtTxSimulator } from './pvtsimulator';

const [coll] = parseCollectionsConfig([
  { name: 'c1', policy: "OR('Org1MSP.member')", memberOnlyRead: true, memberOnlyWrite: true },
]);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('PvtTxSimulator', () => {
  let dir: string;
  let db: StateDB;
  let member = true;
  const sim = (txId = 'tx1') =>
    new PvtTxSimulator(db, txId, {
      channelId: 'ch',
      collection: (ns, c) => (ns === 'cc' && c === 'c1' ? coll : undefined),
      creatorIsMember: () => member,
    });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pvtsim-'));
    db = await StateDB.open(dir);
    member = true;
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('puts hashes in the public rwset and the value only in the private write set', async () => {
    const s = sim();
    s.setPrivateData('cc', 'c1', 'k', Buffer.from('secret'));
    const pub = s.getResults();
    expect(Buffer.from(pub.serializeBinary()).includes(Buffer.from('secret'))).toBe(false);
    const [ns] = pub.getNsRwsetList();
    expect(ns.getNamespace()).toBe('cc');
    const [ch] = ns.getCollectionHashedRwsetList();
    const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(ch.getHashedRwset_asU8());
    expect(hex(hashed.getHashedWritesList()[0].getKeyHash_asU8())).toBe(hex(hashOf('k')));
    expect(hex(hashed.getHashedWritesList()[0].getValueHash_asU8())).toBe(hex(hashOf('secret')));
    const pvt = s.getPvtResults()!;
    const cp = pvt.getNsPvtRwsetList()[0].getCollectionPvtRwsetList()[0];
    expect(hex(ch.getPvtRwsetHash_asU8())).toBe(hex(hashOf(cp.getRwset_asU8())));
    const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(cp.getRwset_asU8());
    expect(Buffer.from(kv.getWritesList()[0].getValue_asU8()).toString()).toBe('secret');
  });

  it('reads a private value matching the hashed version, recording a hashed read', async () => {
    const b = new UpdateBatch();
    b.put(privateNamespace('cc', 'c1'), 'k', Buffer.from('v'), { blockNum: 3, txNum: 1 });
    b.put(hashedNamespace('cc', 'c1'), hashedKey(hashOf('k')), hashOf('v'), { blockNum: 3, txNum: 1 });
    await db.applyUpdates(b, 3);
    const s = sim();
    expect(Buffer.from((await s.getPrivateData('cc', 'c1', 'k'))!).toString()).toBe('v');
    expect(hex((await s.getPrivateDataHash('cc', 'c1', 'k'))!)).toBe(hex(hashOf('v')));
    const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(
      s.getResults().getNsRwsetList()[0].getCollectionHashedRwsetList()[0].getHashedRwset_asU8(),
    );
    expect(hashed.getHashedReadsList()[0].getVersion()?.getBlockNum()).toBe(3);
    expect(hashed.getHashedWritesList()).toHaveLength(0);
    expect(s.getPvtResults()).toBeUndefined();
  });

  it('fails as Fabric when the private value does not match the hashed version (a non-member peer)', async () => {
    const b = new UpdateBatch();
    b.put(hashedNamespace('cc', 'c1'), hashedKey(hashOf('k')), hashOf('v'), { blockNum: 4, txNum: 0 });
    await db.applyUpdates(b, 4);
    await expect(sim().getPrivateData('cc', 'c1', 'k')).rejects.toThrow(
      'private data matching public hash version is not available. Public hash version = {BlockNum: 4, TxNum: 0}, Private data version = <nil>',
    );
  });

  it('access checks and undefined collections use Fabric texts', () => {
    member = false;
    expect(() => sim().checkReadAccess('cc', 'c1')).toThrow(
      'tx creator does not have read access permission on privatedata in chaincodeName:cc collectionName: c1',
    );
    expect(() => sim().checkWriteAccess('cc', 'c1')).toThrow(
      'tx creator does not have write access permission on privatedata in chaincodeName:cc collectionName: c1',
    );
    expect(() => sim().checkReadAccess('cc', 'nope')).toThrow('collection ch/cc/nope could not be found');
    expect(() => sim().setPrivateData('cc', 'nope', 'k', Buffer.from('v'))).toThrow(
      'collection [nope] not defined in the collection config for chaincode [cc]',
    );
  });

  it('refuses private range queries after a write, and writes after a private range query', () => {
    const a = sim('txa');
    a.setState('cc', 'p', Buffer.from('x'));
    expect(() => a.getPrivateDataRange('cc', 'c1', '', '')).toThrow(
      'txid [txa]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction',
    );
    const b = sim('txb');
    b.getPrivateDataRange('cc', 'c1', '', '');
    expect(() => b.setPrivateData('cc', 'c1', 'k', Buffer.from('v'))).toThrow(
      'txid [txb]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed',
    );
  });

  it('a purge is a delete flagged is_purge in the hashed write set', () => {
    const s = sim();
    s.purgePrivateData('cc', 'c1', 'k');
    const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(
      s.getResults().getNsRwsetList()[0].getCollectionHashedRwsetList()[0].getHashedRwset_asU8(),
    );
    expect(hashed.getHashedWritesList()[0].getIsDelete()).toBe(true);
    expect(hashed.getHashedWritesList()[0].getIsPurge()).toBe(true);
  });
});
