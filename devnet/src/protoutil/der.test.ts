import { derInteger, derLength, derOctetString, encodeDerIntegerPair, parseDerIntegerPair } from './der';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('DER', () => {
  it('encodes lengths in short and minimal long form', () => {
    expect(hex(derLength(127))).toBe('7f');
    expect(hex(derLength(128))).toBe('8180');
    expect(hex(derLength(300))).toBe('82012c');
    expect(hex(derOctetString(Buffer.alloc(200))).slice(0, 6)).toBe('0481c8');
  });

  it('encodes non-negative integers minimally with a sign byte when needed', () => {
    expect(hex(derInteger(0n))).toBe('020100');
    expect(hex(derInteger(127n))).toBe('02017f');
    expect(hex(derInteger(255n))).toBe('020200ff');
    expect(hex(derInteger(256n))).toBe('02020100');
    expect(() => derInteger(-1n)).toThrow(/negative/);
  });

  it('round-trips ECDSA (r, s) pairs and ignores trailing bytes after the SEQUENCE like Go', () => {
    const sig = encodeDerIntegerPair(0x80n, 5n);
    expect(hex(sig)).toBe('300702020080020105');
    expect(parseDerIntegerPair(sig)).toEqual({ r: 0x80n, s: 5n });
    expect(parseDerIntegerPair(Buffer.concat([sig, Buffer.from([1, 2])]))).toEqual({ r: 0x80n, s: 5n });
  });

  it('rejects malformed signatures', () => {
    expect(() => parseDerIntegerPair(Buffer.from('300702020001020105', 'hex'))).toThrow(
      /not minimally encoded/,
    );
    expect(() => parseDerIntegerPair(Buffer.from('3007020101020105', 'hex'))).toThrow(
      /longer than its input/,
    );
    expect(() => parseDerIntegerPair(Buffer.from('3106020101020105', 'hex'))).toThrow(/expected a SEQUENCE/);
    expect(() => parseDerIntegerPair(Buffer.from('30', 'hex'))).toThrow(/truncated/);
    expect(parseDerIntegerPair(Buffer.from('3006020181020105', 'hex')).r).toBe(-127n); // negative: callers reject
  });
});
