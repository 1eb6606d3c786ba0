import type { Context } from 'fabric-contract-api';
import Long from 'long';
import { txTimestampISO, txTimestampMillis } from './time';

/** A context whose stub only answers getTxTimestamp. */
function ctxAt(seconds: number, nanos: number): Context {
  return {
    stub: { getTxTimestamp: () => ({ seconds: Long.fromNumber(seconds, true), nanos }) },
  } as unknown as Context;
}

describe('transaction time', () => {
  it('converts the proposal timestamp (Long seconds + nanos) to ISO 8601 UTC with milliseconds', () => {
    const ctx = ctxAt(1714557600, 123_999_999);
    expect(txTimestampMillis(ctx)).toBe(1714557600123);
    expect(txTimestampISO(ctx)).toBe('2024-05-01T10:00:00.123Z');
  });

  it('refuses a proposal without a timestamp', () => {
    expect(() => txTimestampISO(ctxAt(0, 0))).toThrow(
      'transaction timestamp is missing from the proposal header',
    );
  });
});
