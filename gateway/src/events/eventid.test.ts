import { formatEventId, parseEventId, resumeFrom } from './eventid';

describe('event ids', () => {
  it('round-trip a chaincode event position and a block end', () => {
    expect(formatEventId({ blockNumber: 12n, transactionIndex: 3 })).toBe('12-3');
    expect(formatEventId({ blockNumber: 12n })).toBe('12');
    expect(parseEventId('12-3')).toEqual({ blockNumber: 12n, transactionIndex: 3 });
    expect(parseEventId('12')).toEqual({ blockNumber: 12n });
    expect(parseEventId('0-0')).toEqual({ blockNumber: 0n, transactionIndex: 0 });
  });

  it.each(['', '-1', '01', '1-', '1-02', 'x', '1.2', '1-2-3', '99999999999999999999'])('refuses %p', (id) => {
    expect(parseEventId(id)).toBeUndefined();
  });

  it('resumes after an event in its block, after a block end at the next block', () => {
    expect(resumeFrom({ blockNumber: 7n, transactionIndex: 2 })).toEqual({ startBlock: 7n, skipThrough: 2 });
    expect(resumeFrom({ blockNumber: 7n })).toEqual({ startBlock: 8n, skipThrough: -1 });
  });
});
