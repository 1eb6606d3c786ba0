import { jsonNestingDepth } from './jsondepth';

const depthOf = (text: string, stopAbove?: number) => jsonNestingDepth(Buffer.from(text, 'utf8'), stopAbove);

describe('jsonNestingDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['[[],[[]]]', 3],
    ['{"a":{"b":[1,{"c":2}]}}', 4],
  ])('measures %s as %i', (text, depth) => {
    expect(depthOf(text)).toBe(depth);
  });

  it('ignores brackets inside strings, also after escaped quotes and backslashes', () => {
    expect(depthOf('{"a":"[[[{{{","b":"\\"[[[","c":"\\\\","d":[1]}')).toBe(2);
  });

  it('ignores brackets in multi-byte UTF-8 text', () => {
    expect(depthOf('{"名前":"ü[€]"}')).toBe(1);
  });

  it('measures 100,000 levels without recursion and stops counting above the limit', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(depthOf(deep)).toBe(100_000);
    expect(depthOf(deep, 64)).toBe(65);
  });

  it('does not fail on text that is not JSON', () => {
    expect(depthOf('}}]]"unterminated [[')).toBe(0);
  });
});
