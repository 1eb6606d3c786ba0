import { InvalidArgumentError } from './errors';
import {
  assertConforms,
  cachedValidatorCount,
  compileSchema,
  findViolations,
  MAX_REPORTED_VIOLATIONS,
  validatorFor,
  type CompilableSchema,
} from './schema-validator';

const credential: CompilableSchema = {
  id: 'education.credential',
  version: 1,
  schemaHash: 'a'.repeat(64),
  schema: {
    type: 'object',
    required: ['degree', 'year', 'name'],
    additionalProperties: false,
    properties: {
      degree: { type: 'string', minLength: 2 },
      year: { type: 'integer', minimum: 1900 },
      awardedOn: { type: 'string', format: 'date' },
      name: { type: 'string' },
      'a/b': { type: 'string' },
    },
  },
};

describe('schema validation', () => {
  it('accepts a conforming document', () => {
    expect(
      findViolations(credential, { degree: 'BSc', year: 2024, name: 'Ana', awardedOn: '2024-06-30' }),
    ).toEqual([]);
  });

  it('lists every violation with the JSON pointer of the offending value', () => {
    const violations = findViolations(credential, {
      degree: 'B',
      year: 'x',
      awardedOn: '30/06/2024',
      extra: 1,
      'a/b': 2,
    });
    expect(violations).toEqual(
      expect.arrayContaining([
        { pointer: '/name', message: 'is required' },
        { pointer: '/extra', message: 'is not allowed by the schema' },
        { pointer: '/degree', message: 'must NOT have fewer than 2 characters' },
        { pointer: '/year', message: 'must be integer' },
        { pointer: '/awardedOn', message: 'must match format "date"' },
        { pointer: '/a~1b', message: 'must be string' },
      ]),
    );
    expect(violations).toHaveLength(6);
  });

  it('throws one InvalidArgumentError naming the schema version and each pointer, never a value', () => {
    let error: unknown;
    try {
      assertConforms(credential, { degree: 'Secret-Degree-Value', year: 1800, name: 'Ana' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(
      'document does not match schema education.credential v1: /year must be >= 1900',
    );
    expect((error as Error).message).not.toContain('Secret');
  });

  it(`names at most ${MAX_REPORTED_VIOLATIONS} violations and counts the rest`, () => {
    const properties = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`f${i}`, { type: 'string' }]),
    );
    const wide: CompilableSchema = { ...credential, id: 'x.wide', schema: { type: 'object', properties } };
    const document = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${i}`, i]));
    expect(() => assertConforms(wide, document)).toThrow(/; and 5 more$/);
  });

  it('compiles each schema version once per process and recompiles when the stored schema differs', () => {
    const before = cachedValidatorCount();
    const first = validatorFor({ ...credential, id: 'cache.test' });
    expect(validatorFor({ ...credential, id: 'cache.test' })).toBe(first);
    expect(cachedValidatorCount()).toBe(before + 1);
    const other = validatorFor({ ...credential, id: 'cache.test', schemaHash: 'b'.repeat(64) });
    expect(other).not.toBe(first);
  });

  it.each([
    [
      'an unknown type',
      { type: 'object', properties: { a: { type: 'strin' } } },
      /not a valid JSON Schema.*must be equal to one of the allowed values/,
    ],
    [
      'an unknown keyword',
      { type: 'object', propertys: {} },
      /not a valid JSON Schema.*unknown keyword: "propertys"/,
    ],
    [
      'a remote $ref',
      { type: 'object', properties: { a: { $ref: 'https://example.org/s.json' } } },
      /not a valid JSON Schema.*can't resolve reference https:\/\/example.org\/s.json/,
    ],
  ])('refuses a schema with %s', (_name, schema, message) => {
    expect(() => compileSchema(schema)).toThrow(InvalidArgumentError);
    expect(() => compileSchema(schema)).toThrow(message);
  });
});
