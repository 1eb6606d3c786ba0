import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { endorsedTx, newTestChannel, TestChannel, testBlock } from '../../validator/testing';
import { HistoryDB } from './historydb';
import { historyEntriesOfBlock } from './entries';

const Code = peer.TxValidationCode;
let ch: TestChannel;
let dir: string;
let db: HistoryDB;

beforeAll(async () => {
  ch = await newTestChannel('egov', ['ImmigrationMSP', 'EducationMSP']);
});
beforeEach(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'historydb-'));
  db = await HistoryDB.open(dir);
});
afterEach(async () => {
  await db.close();
  await fs.promises.rm(dir, { recursive: true, force: true });
});

function tx(writes: Record<string, string>) {
  const [a, b] = ch.orgs;
  return endorsedTx('egov', a.member, [a.member, b.member], { writes });
}

function block(
  n: number,
  envs: common.Envelope[],
  filter: number[],
): { block: common.Block; filter: Uint8Array } {
  return {
    block: testBlock(n, new Uint8Array(32), envs, ch.orderer.member),
    filter: Uint8Array.from(filter),
  };
}

async function historyOf(
  ns: string,
  key: string,
): Promise<{ txId: string; value: string; isDelete: boolean; pos: string }[]> {
  const it = db.getHistoryForKey(ns, key);
  const out = [];
  for (let r = await it.next(); r !== undefined; r = await it.next()) {
    const m = ledger.queryresult.KeyModification.deserializeBinary(r.modification);
    out.push({
      txId: m.getTxId(),
      value: Buffer.from(m.getValue_asU8()).toString(),
      isDelete: m.getIsDelete(),
      pos: `${r.blockNum}:${r.txNum}`,
    });
  }
  return out;
}

describe('HistoryDB', () => {
  it('returns the writes of valid transactions only, newest first, with tx id and timestamp', async () => {
    const t1 = tx({ a: '1', b: 'x' });
    const t2 = tx({ a: 'bad' });
    const t3 = tx({ a: '2' });
    const b1 = block(
      1,
      [t1.envelope, t2.envelope, t3.envelope],
      [Code.VALID, Code.MVCC_READ_CONFLICT, Code.VALID],
    );
    await db.commit(b1.block, b1.filter);
    const t4 = tx({ a: '3' });
    const b2 = block(2, [t4.envelope], [Code.VALID]);
    await db.commit(b2.block, b2.filter);

    expect(await historyOf('egov', 'a')).toEqual([
      { txId: t4.txId, value: '3', isDelete: false, pos: '2:0' },
      { txId: t3.txId, value: '2', isDelete: false, pos: '1:2' },
      { txId: t1.txId, value: '1', isDelete: false, pos: '1:0' },
    ]);
    expect((await historyOf('egov', 'b')).map((h) => h.value)).toEqual(['x']);
    expect(await historyOf('other', 'a')).toEqual([]);
    expect(await db.savepoint()).toBe(2);
    const entry = historyEntriesOfBlock(b2.block, b2.filter)[0];
    const ts = ledger.queryresult.KeyModification.deserializeBinary(entry.modification).getTimestamp();
    expect(ts?.getSeconds()).toBeGreaterThan(0);
  });

  it('keeps a key apart from longer keys that start with it (composite keys contain U+0000)', async () => {
    const k = '\u0000rec\u0000a\u0000';
    const b1 = block(1, [tx({ [k]: 'short', [`${k}b\u0000`]: 'long' }).envelope], [Code.VALID]);
    await db.commit(b1.block, b1.filter);
    expect((await historyOf('egov', k)).map((h) => h.value)).toEqual(['short']);
    expect((await historyOf('egov', `${k}b\u0000`)).map((h) => h.value)).toEqual(['long']);
  });

  it('is idempotent: re-indexing a block after a crash leaves one entry per write', async () => {
    const b1 = block(1, [tx({ a: '1' }).envelope], [Code.VALID]);
    await db.commit(b1.block, b1.filter);
    await db.commit(b1.block, b1.filter);
    expect(await historyOf('egov', 'a')).toHaveLength(1);
  });

  it('starts without a savepoint and indexes nothing of an invalid transaction but moves the savepoint', async () => {
    expect(await db.savepoint()).toBeUndefined();
    const t = tx({ a: '1' });
    const b1 = block(1, [t.envelope], [Code.ENDORSEMENT_POLICY_FAILURE]);
    await db.commit(b1.block, b1.filter);
    expect(await historyOf('egov', 'a')).toEqual([]);
    expect(await db.savepoint()).toBe(1);
  });
});
