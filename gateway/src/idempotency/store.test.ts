import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LevelIdempotencyStore, StoredResponse } from './store';

const answer = (storedAt: number, body = 'e30='): StoredResponse => ({
  fingerprint: 'f'.repeat(64),
  status: 201,
  headers: { 'content-type': 'application/json' },
  body,
  storedAt,
});

describe('LevelIdempotencyStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'idempotency-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps outcomes across a reopen (a gateway restart)', async () => {
    const first = await LevelIdempotencyStore.open(dir, { maxAgeMs: 60_000, maxEntries: 10 });
    await first.put('caller\nkey-1', answer(Date.now()));
    await first.close();
    const second = await LevelIdempotencyStore.open(dir, { maxAgeMs: 60_000, maxEntries: 10 });
    expect(await second.get('caller\nkey-1')).toMatchObject({ status: 201, body: 'e30=' });
    expect(await second.get('caller\nkey-2')).toBeUndefined();
    await second.close();
  });

  it('forgets outcomes older than the age bound', async () => {
    let now = 1_000_000;
    const store = await LevelIdempotencyStore.open(dir, { maxAgeMs: 1000, maxEntries: 10 }, () => now);
    await store.put('old', answer(now));
    now += 1001;
    expect(await store.get('old')).toBeUndefined();
    await store.put('new', answer(now));
    expect(await store.get('new')).toBeDefined();
    await store.close();
  });

  it('keeps at most maxEntries keys, dropping the oldest, also counting those found at open', async () => {
    const now = Date.now();
    let store = await LevelIdempotencyStore.open(dir, { maxAgeMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 3; i++) await store.put(`k${i}`, answer(now + i));
    await store.close();
    store = await LevelIdempotencyStore.open(dir, { maxAgeMs: 60_000, maxEntries: 3 });
    await store.put('k3', answer(now + 3));
    await store.put('k4', answer(now + 4));
    const kept = await Promise.all(['k0', 'k1', 'k2', 'k3', 'k4'].map((k) => store.get(k)));
    expect(kept.map((entry) => entry !== undefined)).toEqual([false, false, true, true, true]);
    await store.close();
  });

  it('replaces a key written again without counting it twice', async () => {
    const now = Date.now();
    const store = await LevelIdempotencyStore.open(dir, { maxAgeMs: 60_000, maxEntries: 2 });
    await store.put('a', answer(now));
    await store.put('a', answer(now + 1, 'bmV3'));
    await store.put('b', answer(now + 2));
    expect((await store.get('a'))?.body).toBe('bmV3');
    expect(await store.get('b')).toBeDefined();
    await store.close();
  });
});
