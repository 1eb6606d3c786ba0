import { InputObject } from '../lib/input';
import { parseRuleContent } from './rule';

const base = {
  id: 'R1',
  lawId: 'L1',
  articleId: 'a1',
  title: 'Degrees are valid when accredited',
  textHash: 'b'.repeat(64),
  appliesTo: ['G2C/education.credential', 'education'],
  effectiveFrom: '2025-01-01',
};
const parse = (content: object) => parseRuleContent(InputObject.parse('content', JSON.stringify(content)));

describe('rule content', () => {
  it('normalizes times and scopes and keeps a checked condition', () => {
    const rule = parse({
      ...base,
      condition: { '>': [{ var: 'payload.year' }, 2000] },
      effectiveUntil: '2030-01-01T00:00:00Z',
    });
    expect(rule).toEqual({
      ...base,
      condition: { '>': [{ var: 'payload.year' }, 2000] },
      effectiveFrom: '2025-01-01T00:00:00.000Z',
      effectiveUntil: '2030-01-01T00:00:00.000Z',
    });
  });

  it('refuses bad scopes, repeated scopes, unknown fields and non-dates, naming the field', () => {
    expect(() => parse({ ...base, appliesTo: ['G2X/education'] })).toThrow('content: field "appliesTo[0]"');
    expect(() => parse({ ...base, appliesTo: ['education', 'education'] })).toThrow('must not repeat');
    expect(() => parse({ ...base, version: 3 })).toThrow('unknown field(s) "version"');
    expect(() => parse({ ...base, effectiveFrom: '2025-13-01' })).toThrow('field "effectiveFrom"');
    expect(() => parse({ ...base, textHash: 'xyz' })).toThrow('field "textHash"');
  });
});
