import type { JsonValue } from './canonical';
import { InvalidArgumentError } from './errors';
import { checkCondition, evaluateCondition } from './rules-engine-logic';

describe('rule conditions (JSON Logic)', () => {
  it('accepts pure operators and evaluates them over the data', () => {
    const condition: JsonValue = {
      and: [
        { '>=': [{ var: 'payload.year' }, 2000] },
        { in: [{ var: 'payload.level' }, ['BSc', 'MSc']] },
        { all: [{ var: 'payload.grades' }, { '>': [{ var: '' }, 0] }] },
      ],
    };
    expect(() => checkCondition(condition, 'c')).not.toThrow();
    expect(evaluateCondition(condition, { payload: { year: 2010, level: 'MSc', grades: [1, 2] } })).toEqual({
      passed: true,
    });
    expect(evaluateCondition(condition, { payload: { year: 1999, level: 'MSc', grades: [1] } })).toEqual({
      passed: false,
    });
  });

  it('refuses operators outside the allowed set anywhere in the tree', () => {
    expect(() => checkCondition({ log: 1 }, 'c')).toThrow('c: operator "log" is not allowed');
    expect(() => checkCondition({ or: [true, { if: [{ method: ['a', 'b'] }, 1, 2] }] }, 'c')).toThrow(
      'operator "method" is not allowed',
    );
    expect(() => checkCondition({ and: [{}] }, 'c')).toThrow('exactly one operator key, found 0');
  });

  it('refuses oversized and too deeply nested conditions', () => {
    let deep: object = { var: 'x' };
    for (let i = 0; i < 40; i++) deep = { '!': [deep] };
    expect(() => checkCondition(deep as never, 'c')).toThrow('nested deeper than 32');
    expect(() => checkCondition({ cat: ['x'.repeat(9000)] }, 'c')).toThrow(InvalidArgumentError);
  });

  it('reports a condition that throws as failed, with the reason', () => {
    const outcome = evaluateCondition({ in: ['a', { var: 'o' }] }, { o: { indexOf: 1 } });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/indexOf/);
  });
});
