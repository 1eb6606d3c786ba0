import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StateDB } from './statedb';
import { UpdateBatch } from './updatebatch';
import { compareKeys } from './keyorder';
import { decodeValue, encodeValue } from './value';

const b = (s: string): Uint8Array => Buffer.from(s);
const str = (u: Uint8Array | undefined): string | undefined =>
  u === undefined ? undefined : Buffer.from(u).toString();

async function collect(db: StateDB, ns: string, start: string, end: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const kv of db.getRange(ns, start, end)) {
    keys.push(kv.key);
  }
  return keys;
}

describe('StateDB', () => {
  let dir: string;
  let db: StateDB;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'statedb-'));
    db = await StateDB.open(dir);
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies puts and deletes with versions, metadata and the savepoint', async () => {
    expect(await db.savepoint()).toBeUndefined();
    const batch = new UpdateBatch();
    batch.put('egov', 'a', b('1'), { blockNum: 3, txNum: 0 }, b('meta'));
    batch.put('egov', 'b', b('2'), { blockNum: 3, txNum: 1 });
    await db.applyUpdates(batch, 3);

    expect(await db.savepoint()).toBe(3);
    const a = await db.get('egov', 'a');
    expect(str(a?.value)).toBe('1');
    expect(a?.version).toEqual({ blockNum: 3, txNum: 0 });
    expect(str(a?.metadata)).toBe('meta');
    expect((await db.get('egov', 'b'))?.metadata).toBeUndefined();
    expect(await db.get('other', 'a')).toBeUndefined();

    const del = new UpdateBatch();
    del.delete('egov', 'a', { blockNum: 4, txNum: 0 });
    await db.applyUpdates(del, 4);
    expect(await db.get('egov', 'a')).toBeUndefined();
    expect(await db.savepoint()).toBe(4);
  });

  it('never answers a cached read after a commit changed the key (absent, put, put again, delete)', async () => {
    expect(await db.get('egov', 'k')).toBeUndefined(); // cached as absent
    const put = new UpdateBatch();
    put.put('egov', 'k', b('1'), { blockNum: 1, txNum: 0 });
    await db.applyUpdates(put, 1);
    expect(str((await db.get('egov', 'k'))?.value)).toBe('1');
    expect(str((await db.get('egov', 'k'))?.value)).toBe('1'); // from the cache
    const again = new UpdateBatch();
    again.put('egov', 'k', b('2'), { blockNum: 2, txNum: 0 }, b('policy'));
    await db.applyUpdates(again, 2);
    const v = await db.get('egov', 'k');
    expect([str(v?.value), v?.version, str(v?.metadata)]).toEqual(['2', { blockNum: 2, txNum: 0 }, 'policy']);
    const del = new UpdateBatch();
    del.delete('egov', 'k', { blockNum: 3, txNum: 0 });
    await db.applyUpdates(del, 3);
    expect(await db.get('egov', 'k')).toBeUndefined();
  });

  it('does not cache a read that was in flight across a commit', async () => {
    const put = new UpdateBatch();
    put.put('egov', 'k', b('1'), { blockNum: 1, txNum: 0 });
    await db.applyUpdates(put, 1);
    const next = new UpdateBatch();
    next.put('egov', 'k', b('2'), { blockNum: 2, txNum: 0 });
    // The read starts before the commit and may see either value; afterwards only the new one is seen.
    const [during] = await Promise.all([db.get('egov', 'k'), db.applyUpdates(next, 2)]);
    expect(['1', '2']).toContain(str(during?.value));
    expect(str((await db.get('egov', 'k'))?.value)).toBe('2');
  });

  it('scans a namespace with start inclusive and end exclusive, keeping namespaces apart', async () => {
    const batch = new UpdateBatch();
    for (const k of ['a', 'b', 'c', 'd']) {
      batch.put('egov', k, b(k), { blockNum: 1, txNum: 0 });
    }
    batch.put('egov2', 'a', b('x'), { blockNum: 1, txNum: 0 });
    batch.put('ego', 'z', b('x'), { blockNum: 1, txNum: 0 });
    await db.applyUpdates(batch, 1);

    expect(await collect(db, 'egov', 'b', 'd')).toEqual(['b', 'c']);
    expect(await collect(db, 'egov', '', '')).toEqual(['a', 'b', 'c', 'd']);
    expect(await collect(db, 'egov', 'c', '')).toEqual(['c', 'd']);
    expect(await collect(db, 'ego', '', '')).toEqual(['z']);
  });

  it('orders composite keys (U+0000 and U+10FFFF) as Fabric does and scans partial composite keys', async () => {
    const ck = (...parts: string[]): string => '\u0000' + parts.map((p) => p + '\u0000').join('');
    const keys = [ck('citizen', 'A1'), ck('citizen', 'B2'), ck('visa', 'A1'), 'plain', '\uffff', '\u{10000}'];
    const batch = new UpdateBatch();
    keys.forEach((k, i) => batch.put('egov', k, b(String(i)), { blockNum: 1, txNum: i }));
    await db.applyUpdates(batch, 1);

    // What the shim sends for getStateByPartialCompositeKey('citizen', []): start = prefix, end = prefix + U+10FFFF.
    const prefix = ck('citizen');
    expect(await collect(db, 'egov', prefix, prefix + '\u{10ffff}')).toEqual([
      ck('citizen', 'A1'),
      ck('citizen', 'B2'),
    ]);
    // The shim replaces an empty start key with U+0001, which leaves composite keys out.
    expect(await collect(db, 'egov', '\u0001', '')).toEqual(['plain', '\uffff', '\u{10000}']);
    // LevelDB order equals compareKeys order.
    const all = await collect(db, 'egov', '', '');
    expect([...all].sort(compareKeys)).toEqual(all);
  });

  it('closes an iterator that is abandoned midway', async () => {
    const batch = new UpdateBatch();
    batch.put('egov', 'a', b('1'), { blockNum: 1, txNum: 0 });
    batch.put('egov', 'b', b('2'), { blockNum: 1, txNum: 1 });
    await db.applyUpdates(batch, 1);
    const it = db.rangeIterator('egov', '', '');
    expect((await it.next())?.key).toBe('a');
    await it.close();
    expect(await it.next()).toBeUndefined();
    await it.close(); // idempotent
    for await (const kv of db.getRange('egov', '', '')) {
      expect(kv.key).toBe('a');
      break;
    }
  });

  it('keeps applied state across reopening', async () => {
    const batch = new UpdateBatch();
    batch.put('egov', 'k', b('v'), { blockNum: 7, txNum: 2 });
    await db.applyUpdates(batch, 7);
    await db.close();
    db = await StateDB.open(dir);
    expect((await db.get('egov', 'k'))?.version).toEqual({ blockNum: 7, txNum: 2 });
    expect(await db.savepoint()).toBe(7);
  });
});

describe('compareKeys', () => {
  it('sorts by code point (UTF-8 byte) order, not UTF-16 order', () => {
    expect(compareKeys('\uffff', '\u{10000}')).toBeLessThan(0);
    expect('\uffff' < '\u{10000}').toBe(false); // JavaScript's own order differs
    expect(compareKeys('a', 'ab')).toBeLessThan(0);
    expect(compareKeys('b', 'a')).toBeGreaterThan(0);
    expect(compareKeys('\u0000x', 'a')).toBeLessThan(0);
    expect(compareKeys('same', 'same')).toBe(0);
  });
});

describe('value encoding', () => {
  it('round-trips values, empty values and metadata', () => {
    const v = {
      value: new Uint8Array(0),
      version: { blockNum: 2 ** 40, txNum: 5 },
      metadata: new Uint8Array([109]),
    };
    expect(decodeValue(encodeValue(v))).toEqual(v);
    expect(
      decodeValue(encodeValue({ value: b('x'), version: { blockNum: 0, txNum: 0 } })).metadata,
    ).toBeUndefined();
    expect(() => decodeValue(Buffer.from([9, 0]))).toThrow(/unknown format/);
  });
});

describe('UpdateBatch', () => {
  it('returns range updates in key order including deletes', () => {
    const batch = new UpdateBatch();
    batch.put('ns', 'c', b('c'), { blockNum: 1, txNum: 0 });
    batch.delete('ns', 'a', { blockNum: 1, txNum: 1 });
    batch.put('ns', 'b', b('b'), { blockNum: 1, txNum: 2 });
    batch.put('ns', 'd', b('d'), { blockNum: 1, txNum: 2 });
    expect(batch.rangeUpdates('ns', 'a', 'd').map((u) => [u.key, u.value === undefined])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
    expect(batch.exists('ns', 'a')).toBe(true);
    expect(batch.exists('ns', 'z')).toBe(false);
    expect(batch.size()).toBe(4);
  });
});
