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
});
