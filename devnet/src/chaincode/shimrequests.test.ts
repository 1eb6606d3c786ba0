import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { peer } from '@hyperledger/fabric-protos';
import { hashedKey, hashedNamespace, hashOf, privateNamespace } from '../ledger/pvtdatastorage/namespaces';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import { parseCollectionsConfig } from '../privdata/collections';
import { PvtTxSimulator } from '../privdata/pvtsimulator';
import { SHIM_REQUESTS } from './shimrequests';
import { TransactionContext } from './transactioncontext';

const T = peer.ChaincodeMessage.Type;
const W = peer.WriteRecord.Type;
const LIMITS = { totalQueryLimit: 100_000 };
const [COLLECTION] = parseCollectionsConfig([
  { name: 'c1', policy: "OR('Org1MSP.member')", memberOnlyRead: true, memberOnlyWrite: true },
]);
const VP = 'VALIDATION_PARAMETER';

/** One write, as a batch record and as the single message that would carry it. */
interface Write {
  type: number;
  key: string;
  collection?: string;
  value?: string;
  metadata?: string;
}

function asRecord(w: Write): peer.WriteRecord {
  const r = new peer.WriteRecord();
  r.setType(w.type as peer.WriteRecord.TypeMap[keyof peer.WriteRecord.TypeMap]);
  r.setKey(w.key);
  r.setCollection(w.collection ?? '');
  if (w.value !== undefined) r.setValue(Buffer.from(w.value));
  if (w.metadata !== undefined) r.setMetadata(stateMetadata(w.metadata));
  return r;
}

function stateMetadata(value: string): peer.StateMetadata {
  const md = new peer.StateMetadata();
  md.setMetakey(VP);
  md.setValue(Buffer.from(value));
  return md;
}

function asSingleMessage(w: Write): { type: number; payload: Uint8Array } {
  const collection = w.collection ?? '';
  if (w.type === W.PUT_STATE) {
    const m = new peer.PutState();
    m.setKey(w.key);
    m.setValue(Buffer.from(w.value ?? ''));
    m.setCollection(collection);
    return { type: T.PUT_STATE, payload: m.serializeBinary() };
  }
  if (w.type === W.DEL_STATE) {
    const m = new peer.DelState();
    m.setKey(w.key);
    m.setCollection(collection);
    return { type: T.DEL_STATE, payload: m.serializeBinary() };
  }
  if (w.type === W.PUT_STATE_METADATA) {
    const m = new peer.PutStateMetadata();
    m.setKey(w.key);
    m.setCollection(collection);
    m.setMetadata(stateMetadata(w.metadata ?? ''));
    return { type: T.PUT_STATE_METADATA, payload: m.serializeBinary() };
  }
  const m = new peer.PurgePrivateState();
  m.setKey(w.key);
  m.setCollection(collection);
  return { type: T.PURGE_PRIVATE_DATA, payload: m.serializeBinary() };
}

function batchPayload(writes: Write[]): Uint8Array {
  const b = new peer.WriteBatchState();
  b.setRecList(writes.map(asRecord));
  return b.serializeBinary();
}

describe('shim requests: batched writes and reads (Fabric 3.1 WRITE_BATCH_STATE, GET_STATE_MULTIPLE)', () => {
  let dir: string;
  let db: StateDB;
  let member: boolean;

  const simulator = (txId: string) =>
    new PvtTxSimulator(db, txId, {
      channelId: 'ch',
      collection: (ns, c) => (ns === 'cc' && c === 'c1' ? COLLECTION : undefined),
      creatorIsMember: () => member,
    });
  const context = (sim: PvtTxSimulator, isInit = false) =>
    new TransactionContext('ch', sim.txId, 'cc', sim, isInit, () => undefined);
  const request = (type: number, payload: Uint8Array, ctx: TransactionContext) => {
    const handle = SHIM_REQUESTS.get(type);
    if (!handle) throw new Error(`no handler for message type ${type}`);
    return handle(payload, ctx, LIMITS);
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shimreq-'));
    db = await StateDB.open(dir);
    member = true;
    const b = new UpdateBatch();
    b.put('cc', 'pub', Buffer.from('public value'), { blockNum: 2, txNum: 0 });
    b.put(privateNamespace('cc', 'c1'), 'pvt', Buffer.from('private value'), { blockNum: 2, txNum: 1 });
    b.put(hashedNamespace('cc', 'c1'), hashedKey(hashOf('pvt')), hashOf('private value'), {
      blockNum: 2,
      txNum: 1,
    });
    await db.applyUpdates(b, 2);
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const WRITES: Write[] = [
    { type: W.PUT_STATE, key: 'a', value: 'one' },
    { type: W.PUT_STATE_METADATA, key: 'a', metadata: 'policy of a' },
    { type: W.DEL_STATE, key: 'pub' },
    { type: W.PUT_STATE, key: 'p', collection: 'c1', value: 'secret' },
    { type: W.PUT_STATE_METADATA, key: 'p', collection: 'c1', metadata: 'policy of p' },
    { type: W.DEL_STATE, key: 'pvt', collection: 'c1' },
    { type: W.PURGE_PRIVATE_DATA, key: 'old', collection: 'c1' },
    { type: W.PUT_STATE, key: 'a', value: 'two' },
  ];

  it('applies a WRITE_BATCH_STATE as its records sent one by one would: the same public and private rwsets', async () => {
    const batched = simulator('tx1');
    await expect(
      request(T.WRITE_BATCH_STATE, batchPayload(WRITES), context(batched)),
    ).resolves.toBeUndefined();
    const single = simulator('tx1');
    for (const w of WRITES) {
      const m = asSingleMessage(w);
      await request(m.type, m.payload, context(single));
    }
    const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
    const pub = batched.getResults();
    expect(hex(pub.serializeBinary())).toBe(hex(single.getResults().serializeBinary()));
    expect(hex(batched.getPvtResults()?.serializeBinary())).toBe(
      hex(single.getPvtResults()?.serializeBinary()),
    );
    // Not two empty sets: the last write of `a` and the private write are in them.
    expect(Buffer.from(pub.serializeBinary()).includes(Buffer.from('two'))).toBe(true);
    expect(
      Buffer.from(batched.getPvtResults()?.serializeBinary() ?? []).includes(Buffer.from('secret')),
    ).toBe(true);
  });

  it("refuses a record of no known type with Fabric's text", async () => {
    const payload = batchPayload([{ type: W.UNDEFINED, key: 'x' }]);
    await expect(request(T.WRITE_BATCH_STATE, payload, context(simulator('tx2')))).rejects.toThrow(
      'unknown operation type',
    );
  });

  it('checks private data writes in a batch as single writes are checked', async () => {
    const pvtWrite = batchPayload([{ type: W.PUT_STATE, key: 'p', collection: 'c1', value: 'v' }]);
    await expect(request(T.WRITE_BATCH_STATE, pvtWrite, context(simulator('tx3'), true))).rejects.toThrow(
      'private data APIs are not allowed in chaincode Init()',
    );
    member = false;
    await expect(request(T.WRITE_BATCH_STATE, pvtWrite, context(simulator('tx4')))).rejects.toThrow(
      'tx creator does not have write access permission on privatedata in chaincodeName:cc collectionName: c1',
    );
  });

  it('answers GET_STATE_MULTIPLE in key order, empty for an absent key, from the world state or a collection', async () => {
    const ask = async (keys: string[], collection: string, sim: PvtTxSimulator) => {
      const req = new peer.GetStateMultiple();
      req.setKeysList(keys);
      req.setCollection(collection);
      const res = await request(T.GET_STATE_MULTIPLE, req.serializeBinary(), context(sim));
      return peer.GetStateMultipleResult.deserializeBinary(res ?? new Uint8Array(0))
        .getValuesList_asU8()
        .map((v) => Buffer.from(v).toString());
    };
    expect(await ask(['missing', 'pub'], '', simulator('tx5'))).toEqual(['', 'public value']);
    expect(await ask(['pvt', 'missing'], 'c1', simulator('tx6'))).toEqual(['private value', '']);
    member = false;
    await expect(ask(['pvt'], 'c1', simulator('tx7'))).rejects.toThrow(
      'tx creator does not have read access permission on privatedata in chaincodeName:cc collectionName: c1',
    );
  });
});
