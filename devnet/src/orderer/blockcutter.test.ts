import { BlockCutter } from './blockcutter';

const msg = (id: string, size: number) => ({ id, size });
const ids = (batches: { id: string }[][]) => batches.map((b) => b.map((m) => m.id));

describe('BlockCutter', () => {
  const config = { maxMessageCount: 3, preferredMaxBytes: 100 };

  it('cuts when MaxMessageCount is reached', () => {
    const cutter = new BlockCutter<{ id: string; size: number }>(() => config);
    expect(cutter.ordered(msg('a', 10))).toEqual({ batches: [], pending: true });
    expect(cutter.ordered(msg('b', 10)).pending).toBe(true);
    const r = cutter.ordered(msg('c', 10));
    expect(ids(r.batches)).toEqual([['a', 'b', 'c']]);
    expect(r.pending).toBe(false);
    expect(cutter.pendingCount()).toBe(0);
  });

  it('cuts before a message that would exceed PreferredMaxBytes', () => {
    const cutter = new BlockCutter<{ id: string; size: number }>(() => config);
    cutter.ordered(msg('a', 60));
    const r = cutter.ordered(msg('b', 50));
    expect(ids(r.batches)).toEqual([['a']]);
    expect(r.pending).toBe(true);
    expect(ids([cutter.cut()])).toEqual([['b']]);
  });

  it('fills a batch exactly up to PreferredMaxBytes', () => {
    const cutter = new BlockCutter<{ id: string; size: number }>(() => config);
    cutter.ordered(msg('a', 60));
    expect(cutter.ordered(msg('b', 40)).batches).toEqual([]);
  });

  it('isolates a message larger than PreferredMaxBytes, cutting the pending batch first', () => {
    const cutter = new BlockCutter<{ id: string; size: number }>(() => config);
    cutter.ordered(msg('a', 10));
    const r = cutter.ordered(msg('big', 101));
    expect(ids(r.batches)).toEqual([['a'], ['big']]);
    expect(r.pending).toBe(false);
    expect(ids(cutter.ordered(msg('big2', 500)).batches)).toEqual([['big2']]);
  });

  it('reads the batch settings on every message', () => {
    let max = 5;
    const cutter = new BlockCutter<{ id: string; size: number }>(() => ({
      maxMessageCount: max,
      preferredMaxBytes: 1000,
    }));
    cutter.ordered(msg('a', 1));
    max = 2;
    expect(ids(cutter.ordered(msg('b', 1)).batches)).toEqual([['a', 'b']]);
  });

  it('cut() returns the pending batch once', () => {
    const cutter = new BlockCutter<{ id: string; size: number }>(() => config);
    cutter.ordered(msg('a', 1));
    expect(ids([cutter.cut()])).toEqual([['a']]);
    expect(cutter.cut()).toEqual([]);
  });
});
