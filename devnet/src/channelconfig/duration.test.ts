import { parseDuration } from './duration';

describe('parseDuration (Go time.ParseDuration)', () => {
  it.each([
    ['100ms', 100],
    ['2s', 2000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['250us', 0.25],
    ['0', 0],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBeCloseTo(ms));

  it.each(['', '10', 'ms', '2 s', '-1s', '1d'])('rejects %p', (text) =>
    expect(() => parseDuration(text)).toThrow(),
  );
});
