import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { peer } from '@hyperledger/fabric-protos';
import { StateDB, UpdateBatch } from '../statedb';
import { TxSimulator } from './txsimulator';
import { QueryExecutor } from './queryexecutor';
import { rwsetFromBytes, parseTxRwSet } from './rwsetparse';
import { mvccCheck } from './mvcc';
import { applyWrites } from './applywrites';
import { validateAndPrepareBatch } from './blockvalidation';
import { deserializeMetadata } from './statemetadata';

const b = (s: string): Uint8Array => Buffer.from(s);
const str = (u: Uint8Array | undefined): string | undefined =>
  u === undefined ? undefined : Buffer.from(u).toString();
const { VALID, MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT } = peer.TxValidationCode;

describe('txmgr', () => {
  let dir: string;
  let db: StateDB;

  async function commit(block: number, kvs: Record<string, string | null>, ns = 'egov'): Promise<void> {
    const batch = new UpdateBatch();
    Object.entries(kvs).forEach(([k, v], i) =>
      v === null
        ? batch.delete(ns, k, { blockNum: block, txNum: i })
        : batch.put(ns, k, b(v), { blockNum: block, txNum: i }),
    );
    await db.applyUpdates(batch, block);
  }

  async function drain(sim: QueryExecutor, start: string, end: string, max = Infinity): Promise<string[]> {
    const it = sim.getStateRange('egov', start, end);
    const keys: string[] = [];
    while (keys.length < max) {
      const kv = await it.next();
      if (!kv) break;
      keys.push(kv.key);
    }
    return keys;
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'txmgr-'));
    db = await StateDB.open(dir);
    await commit(1, { a: 'A', b: 'B', c: 'C' });
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records reads with committed versions and returns committed values, not own writes', async () => {
    const sim = new TxSimulator(db, 'tx1');
    sim.setState('egov', 'a', b('new'));
    expect(str(await sim.getState('egov', 'a'))).toBe('A'); // Fabric: no read-your-writes
    expect(await sim.getState('egov', 'zz')).toBeUndefined();
    const rw = parseTxRwSet(sim.getResults());
    const reads = rw.nsRwSets[0].kvRwSet.reads;
    expect(reads.map((r) => [r.key, r.version])).toEqual([
      ['a', { blockNum: 1, txNum: 0 }],
      ['zz', undefined],
    ]);
    const writes = rw.nsRwSets[0].kvRwSet.writes;
    expect(writes.map((w) => [w.key, str(w.value), w.isDelete])).toEqual([['a', 'new', false]]);
    expect(() => sim.getResults()).toThrow(/only be called once/);
  });

  it('produces byte-identical, sorted results whatever the order of operations', async () => {
    const one = new TxSimulator(db, 'tx');
    one.setState('zeta', 'k', b('1'));
    one.setState('egov', '\u{10000}', b('x'));
    one.setState('egov', '\uffff', b('y'));
    one.deleteState('egov', 'b');
    await one.getState('egov', 'c');
    await one.getState('egov', 'a');

    const two = new TxSimulator(db, 'tx');
    await two.getState('egov', 'a');
    two.deleteState('egov', 'b');
    two.setState('egov', '\uffff', b('y'));
    await two.getState('egov', 'c');
    two.setState('egov', '\u{10000}', b('x'));
    two.setState('zeta', 'k', b('1'));

    const bytes1 = one.getResultsBytes();
    expect(Buffer.from(bytes1).equals(Buffer.from(two.getResultsBytes()))).toBe(true);
    const rw = rwsetFromBytes(bytes1);
    expect(rw.nsRwSets.map((n) => n.namespace)).toEqual(['egov', 'zeta']);
    const writes = rw.nsRwSets[0].kvRwSet.writes;
    expect(writes.map((w) => w.key)).toEqual(['b', '\uffff', '\u{10000}']); // UTF-8 order
    expect(writes[0].isDelete).toBe(true);
  });

  it('records range query info: partial scans end at the last key, full scans are exhausted', async () => {
    const sim = new TxSimulator(db, 'tx');
    expect(await drain(sim, 'a', 'c', 1)).toEqual(['a']);
    expect(await drain(sim, 'b', '')).toEqual(['b', 'c']);
    await sim.done();
    const infos = parseTxRwSet(sim.getResults()).nsRwSets[0].kvRwSet.rangeQueriesInfo;
    expect(infos.map((i) => [i.getStartKey(), i.getEndKey(), i.getItrExhausted()])).toEqual([
      ['a', 'a', false],
      ['b', '', true],
    ]);
    expect(
      infos[1]
        .getRawReads()
        ?.getKvReadsList()
        .map((r) => r.getKey()),
    ).toEqual(['b', 'c']);
  });

  it('uses a Merkle summary above 50 range results and validates it', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 120; i++) many[`k${String(i).padStart(3, '0')}`] = 'v';
    await commit(2, many);
    const sim = new TxSimulator(db, 'tx');
    expect((await drain(sim, 'k', 'l')).length).toBe(120);
    const tx = parseTxRwSet(sim.getResults());
    const info = tx.nsRwSets[0].kvRwSet.rangeQueriesInfo[0];
    expect(info.getReadsMerkleHashes()?.getMaxDegree()).toBe(50);
    expect(info.getRawReads()).toBeUndefined();

    expect(await mvccCheck(db, tx, new UpdateBatch())).toBe(VALID);
    const insert = new UpdateBatch();
    insert.put('egov', 'k0505', b('x'), { blockNum: 3, txNum: 0 });
    expect(await mvccCheck(db, tx, insert)).toBe(PHANTOM_READ_CONFLICT);
  });

  it('mvccCheck detects stale reads, in-block writes and phantoms', async () => {
    const sim = new TxSimulator(db, 'tx');
    await sim.getState('egov', 'a');
    await drain(sim, 'b', 'd');
    const tx = parseTxRwSet(sim.getResults());

    expect(await mvccCheck(db, tx, new UpdateBatch())).toBe(VALID);

    const inBlock = new UpdateBatch();
    inBlock.put('egov', 'a', b('A'), { blockNum: 2, txNum: 0 });
    expect(await mvccCheck(db, tx, inBlock)).toBe(MVCC_READ_CONFLICT);

    const phantom = new UpdateBatch();
    phantom.put('egov', 'bb', b('new'), { blockNum: 2, txNum: 0 });
    expect(await mvccCheck(db, tx, phantom)).toBe(PHANTOM_READ_CONFLICT);

    const deleted = new UpdateBatch();
    deleted.delete('egov', 'c', { blockNum: 2, txNum: 0 });
    expect(await mvccCheck(db, tx, deleted)).toBe(PHANTOM_READ_CONFLICT);

    await commit(2, { a: 'A2' });
    expect(await mvccCheck(db, tx, new UpdateBatch())).toBe(MVCC_READ_CONFLICT);
  });

  it('a non-exhausted scan stays valid when keys are added after its end key', async () => {
    const sim = new TxSimulator(db, 'tx');
    expect(await drain(sim, 'a', '', 2)).toEqual(['a', 'b']);
    const tx = parseTxRwSet(sim.getResults());
    const later = new UpdateBatch();
    later.put('egov', 'bz', b('x'), { blockNum: 2, txNum: 0 });
    expect(await mvccCheck(db, tx, later)).toBe(VALID);
    const changedEnd = new UpdateBatch();
    changedEnd.put('egov', 'b', b('x'), { blockNum: 2, txNum: 0 });
    expect(await mvccCheck(db, tx, changedEnd)).toBe(PHANTOM_READ_CONFLICT);
  });

  it('validateAndPrepareBatch invalidates the second of two conflicting transactions', async () => {
    const mk = async (): Promise<ReturnType<typeof parseTxRwSet>> => {
      const sim = new TxSimulator(db, 'tx');
      const v = await sim.getState('egov', 'a');
      sim.setState('egov', 'a', b(str(v) + '+'));
      return parseTxRwSet(sim.getResults());
    };
    const t1 = await mk();
    const t2 = await mk();
    const { codes, batch } = await validateAndPrepareBatch(db, 2, [
      { txNum: 0, rwset: t1, code: VALID },
      { txNum: 1, rwset: t2, code: VALID },
      { txNum: 2, code: peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE },
    ]);
    expect(codes).toEqual([VALID, MVCC_READ_CONFLICT, peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE]);
    await db.applyUpdates(batch, 2);
    const a = await db.get('egov', 'a');
    expect(str(a?.value)).toBe('A+');
    expect(a?.version).toEqual({ blockNum: 2, txNum: 0 });
  });

  it('stores metadata writes as Fabric does (kept on value writes, dropped on deletes)', async () => {
    const s1 = new TxSimulator(db, 't1');
    s1.setStateMetadata('egov', 'a', { VALIDATION_PARAMETER: b('policy') });
    s1.setStateMetadata('egov', 'nokey', { X: b('y') });
    const batch = new UpdateBatch();
    await applyWrites(batch, parseTxRwSet(s1.getResults()), 2, 0, db);
    await db.applyUpdates(batch, 2);
    expect(str((await db.get('egov', 'a'))?.value)).toBe('A');
    expect(await db.get('egov', 'nokey')).toBeUndefined();

    const s2 = new TxSimulator(db, 't2');
    expect(str((await s2.getStateMetadata('egov', 'a'))?.VALIDATION_PARAMETER)).toBe('policy');
    s2.setState('egov', 'a', b('A2'));
    const batch2 = new UpdateBatch();
    await applyWrites(batch2, parseTxRwSet(s2.getResults()), 3, 0, db);
    await db.applyUpdates(batch2, 3);
    const a = await db.get('egov', 'a');
    expect(str(a?.value)).toBe('A2');
    expect(str(deserializeMetadata(a?.metadata)?.VALIDATION_PARAMETER)).toBe('policy');

    const s3 = new TxSimulator(db, 't3');
    s3.setStateMetadata('egov', 'a', undefined);
    const batch3 = new UpdateBatch();
    await applyWrites(batch3, parseTxRwSet(s3.getResults()), 4, 0, db);
    await db.applyUpdates(batch3, 4);
    expect((await db.get('egov', 'a'))?.metadata).toBeUndefined();
  });

  it('paginates with a bookmark and forbids writes after a paginated query', async () => {
    const sim = new TxSimulator(db, 'tx');
    const it = sim.getStateRangeWithPagination('egov', '', '', 2);
    expect((await it.next())?.key).toBe('a');
    expect((await it.next())?.key).toBe('b');
    expect(await it.next()).toBeUndefined();
    expect(await it.bookmarkAndClose()).toBe('c');
    expect(() => sim.setState('egov', 'x', b('1'))).toThrow(/paginated query. Writes are not allowed/);
  });

  it('a QueryExecutor records nothing and refuses use after done()', async () => {
    const qe = new QueryExecutor(db, 'q');
    expect(str(await qe.getState('egov', 'b'))).toBe('B');
    expect(await drain(qe, '', '')).toEqual(['a', 'b', 'c']);
    await qe.done();
    await expect(qe.getState('egov', 'a')).rejects.toThrow(/after calling Done/);
  });

  it('rwsetFromBytes names what failed', () => {
    expect(() => rwsetFromBytes(Buffer.from([0xff, 0xff, 0xff]))).toThrow(/TxReadWriteSet/);
  });
});
