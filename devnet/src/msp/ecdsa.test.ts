import { generateKeyPairSync, sign } from 'node:crypto';
import { encodeDerIntegerPair, parseDerIntegerPair } from '../protoutil/der';
import { signECDSA, toHighS, verifyECDSA } from './ecdsa';

const ORDERS = {
  prime256v1: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  secp384r1:
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
};

describe.each(Object.entries(ORDERS))('ECDSA on %s', (namedCurve, order) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  const message = Buffer.from('message');
  /** DER signed by OpenSSL directly (another process's signature: not remembered, so ECDSA decides). */
  const foreign = (i: number) => sign('sha256', Buffer.from(`m${i}`), privateKey);
  const lowS = (signature: Uint8Array) => {
    const { r, s } = parseDerIntegerPair(signature);
    return s <= order / 2n ? signature : encodeDerIntegerPair(r, order - s);
  };

  it('signs in minimal DER with low S, as encodeDerIntegerPair writes it', () => {
    for (let i = 0; i < 200; i++) {
      const signature = signECDSA(privateKey, Buffer.from(`m${i}`));
      const { r, s } = parseDerIntegerPair(signature);
      expect(s <= order / 2n).toBe(true);
      expect(Buffer.from(signature)).toEqual(Buffer.from(encodeDerIntegerPair(r, s)));
    }
  });

  it("accepts low-S signatures and refuses their high-S twins with Fabric's text", () => {
    for (let i = 0; i < 100; i++) {
      const signature = foreign(i);
      const low = lowS(signature);
      expect(verifyECDSA(publicKey, Buffer.from(`m${i}`), low)).toBeUndefined();
      expect(verifyECDSA(publicKey, Buffer.from(`m${i}`), toHighS(publicKey, low))).toBe(
        'invalid S, must be smaller than half the order',
      );
    }
  });

  /** `SEQUENCE { INTEGER r, INTEGER s }` of raw INTEGER contents. */
  const der = (r: number[] | Buffer, s: number[] | Buffer, extra: number[] = []) => {
    const ri = Buffer.from(r);
    const si = Buffer.from(s);
    return Buffer.from([
      0x30,
      4 + ri.length + si.length,
      0x02,
      ri.length,
      ...ri,
      0x02,
      si.length,
      ...si,
      ...extra,
    ]);
  };
  const fixed = (v: bigint) =>
    Buffer.from(v.toString(16).padStart(namedCurve === 'prime256v1' ? 64 : 96, '0'), 'hex');
  const minimal = (v: bigint) => {
    const b = Buffer.from(v.toString(16).padStart(2 * Math.ceil(v.toString(16).length / 2), '0'), 'hex');
    return b[0] & 0x80 ? Buffer.concat([Buffer.of(0), b]) : b;
  };

  it.each([
    ['r = 0', () => der([0], minimal(1n)), 'invalid signature, R must be larger than zero'],
    ['s = 0', () => der(minimal(1n), [0]), 'invalid signature, S must be larger than zero'],
    ['a negative r', () => der([0x80], minimal(1n)), 'invalid signature, R must be larger than zero'],
    ['r = n', () => der(minimal(order), minimal(1n)), 'the signature is invalid'],
    [
      's = n/2 + 1',
      () => der(minimal(1n), minimal(order / 2n + 1n)),
      'invalid S, must be smaller than half the order',
    ],
    [
      'a non-minimal r',
      () => der([0, 1], minimal(1n)),
      'failed unmarshalling signature: DER: integer not minimally encoded',
    ],
    [
      'r as fixed-size bytes with leading zeros',
      () => der(fixed(1n), minimal(1n)),
      'failed unmarshalling signature: DER: integer not minimally encoded',
    ],
    [
      'trailing data inside the SEQUENCE',
      () => {
        const d = der(minimal(1n), minimal(1n), [0]);
        d[1]++;
        return d;
      },
      'failed unmarshalling signature: DER: trailing data inside the SEQUENCE',
    ],
  ])('refuses %s as before', (_name, make, reason) => {
    expect(verifyECDSA(publicKey, message, make())).toBe(reason);
  });

  it.each([
    ['s = n/2', () => der(minimal(1n), minimal(order / 2n))],
    ['r = n - 1', () => der(minimal(order - 1n), minimal(1n))],
    ['r and s of one byte', () => der(minimal(1n), minimal(1n))],
  ])('hands %s (the largest or smallest values the checks let through) to ECDSA', (_name, make) => {
    expect(verifyECDSA(publicKey, message, make())).toBe('the signature is invalid');
  });

  it('ignores bytes after the SEQUENCE, as Go does', () => {
    const signature = foreign(1);
    const low = lowS(signature);
    expect(
      verifyECDSA(publicKey, Buffer.from('m1'), Buffer.concat([Buffer.from(low), Buffer.of(1, 2)])),
    ).toBeUndefined();
  });
});
