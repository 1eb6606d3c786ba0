import { InvalidArgumentError } from '../lib/errors';
import { parseRuleInput } from './rule';

const valid = {
  id: 'edu-credential-validity',
  lawId: 'HEA-2019',
  articleId: 'art-12',
  title: 'Degrees are valid when issued by an accredited institution',
  textHash: 'a'.repeat(64),
  appliesTo: ['education.credential'],
  version: 1,
  effectiveFrom: '2025-01-01',
};

/** ruleJson with some fields replaced (undefined removes a field). */
function withFields(changes: Record<string, unknown>): string {
  return JSON.stringify({ ...valid, ...changes });
}

describe('parseRuleInput', () => {
  it('accepts a valid rule, also with a UTC date-time', () => {
    expect(parseRuleInput(JSON.stringify(valid))).toEqual(valid);
    expect(parseRuleInput(withFields({ effectiveFrom: '2025-01-01T12:30:00.5Z' })).effectiveFrom).toBe(
      '2025-01-01T12:30:00.5Z',
    );
  });

  it.each([
    ['bad JSON', 'nope', 'ruleJson is not valid JSON'],
    ['missing lawId', withFields({ lawId: undefined }), 'ruleJson: field "lawId" is missing'],
    [
      'upper-case textHash',
      withFields({ textHash: 'A'.repeat(64) }),
      'field "textHash" must be a SHA-256 digest',
    ],
    ['short textHash', withFields({ textHash: 'ab' }), 'field "textHash" must be a SHA-256 digest'],
    [
      'empty appliesTo',
      withFields({ appliesTo: [] }),
      'field "appliesTo" must be an array of 1 to 50 strings',
    ],
    [
      'bad appliesTo entry',
      withFields({ appliesTo: ['education.credential', 'X'] }),
      'field "appliesTo[1]" must be',
    ],
    [
      'repeated appliesTo',
      withFields({ appliesTo: ['a.b', 'a.b'] }),
      'field "appliesTo" must not repeat an entry',
    ],
    ['version 0', withFields({ version: 0 }), 'field "version" must be an integer from 1'],
    ['version 1.5', withFields({ version: 1.5 }), 'field "version" must be an integer'],
    ['string version', withFields({ version: '1' }), 'field "version" must be an integer'],
    [
      'local time',
      withFields({ effectiveFrom: '2025-01-01T10:00:00' }),
      'field "effectiveFrom" must be an ISO 8601',
    ],
    ['impossible date', withFields({ effectiveFrom: '2025-02-30' }), '2025-02-30 is not a calendar date'],
    ['title with a line break', withFields({ title: 'a\nb' }), 'field "title" must be 1-300 characters'],
    ['unknown field', withFields({ quorum: 2 }), 'ruleJson: unknown field(s) "quorum"'],
  ])('rejects %s', (_name, json, message) => {
    expect(() => parseRuleInput(json)).toThrow(InvalidArgumentError);
    expect(() => parseRuleInput(json)).toThrow(message);
  });
});
