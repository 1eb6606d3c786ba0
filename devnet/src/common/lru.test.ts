import { LruCache } from './lru';

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
    expect(() => new LruCache(0)).toThrow(/at least 1/);
  });

  it('forgets a deleted entry', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.delete('a');
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('keeps a cached null (a remembered absence) apart from a key it does not hold', () => {
    const c = new LruCache<string, number | null>(2);
    c.set('gone', null);
    expect(c.get('gone')).toBeNull();
    expect(c.get('never')).toBeUndefined();
    expect(c.size).toBe(1);
  });

  it('holds at most its capacity through churn, keeping what was read recently', () => {
    const c = new LruCache<string, number>(100);
    for (let i = 0; i < 10_000; i++) {
      c.set(`k${i}`, i);
      expect(c.get('k0')).toBe(0); // read every time, so never the least recently used
    }
    expect(c.size).toBe(100);
    expect(c.get('k9999')).toBe(9999);
    expect(c.get('k9901')).toBe(9901);
    expect(c.get('k9900')).toBeUndefined(); // the 99 newest and k0
  });
});
