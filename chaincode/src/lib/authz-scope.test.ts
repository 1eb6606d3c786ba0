import { coveringNodes, covers, formatScope, parseScope } from './authz-scope';

describe('service hierarchy scopes', () => {
  it('parses and formats every level', () => {
    for (const s of [
      '*',
      'G2C',
      'G2C/education',
      'G2C/education.credential',
      'education',
      'education.credential',
    ]) {
      expect(formatScope(parseScope(s))).toBe(s);
    }
    expect(parseScope('G2B/health.vaccination')).toEqual({ category: 'G2B', path: 'health.vaccination' });
  });

  it('refuses malformed scopes, naming the value', () => {
    for (const s of ['', 'G2X', 'G2C/', 'G2C/Education', '/education', 'a..b', 'G2C/a/b', 'x'.repeat(40)]) {
      expect(() => parseScope(s, 'field "scope"')).toThrow(/^field "scope" must be/);
    }
  });

  it('covers everything below a node, by category and dotted prefix', () => {
    const c = (outer: string, inner: string) => covers(parseScope(outer), parseScope(inner));
    expect(c('*', 'G2C/education.credential')).toBe(true);
    expect(c('G2C', 'G2C/education.credential')).toBe(true);
    expect(c('G2C/education', 'G2C/education.credential')).toBe(true);
    expect(c('education', 'G2B/education.credential')).toBe(true);
    expect(c('G2C/education', 'G2B/education.credential')).toBe(false);
    expect(c('G2C/education', 'G2C/educationx.credential')).toBe(false);
    expect(c('G2C/education.credential', 'G2C/education')).toBe(false);
    expect(c('G2C', 'education.credential')).toBe(false);
  });

  it('lists exactly the index nodes of the scopes that cover a target', () => {
    expect(coveringNodes(parseScope('G2C/education.credential'))).toEqual([
      ['*', '*'],
      ['*', 'education'],
      ['*', 'education.credential'],
      ['G2C', '*'],
      ['G2C', 'education'],
      ['G2C', 'education.credential'],
    ]);
  });
});
