import { KeyObject, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { encodeDerIntegerPair, parseDerIntegerPair } from '../protoutil/der';
import { isOwnSignature, rememberSignature } from './ownsignatures';

/** A curve's group order, as a number and as fixed-size big-endian bytes (with half of it), and its size in bytes. */
interface Curve {
  order: bigint;
  size: number;
  orderBytes: Buffer;
  halfOrderBytes: Buffer;
}

function curve(order: bigint, size: number): Curve {
  return { order, size, orderBytes: toFixed(order, size), halfOrderBytes: toFixed(order / 2n, size) };
}

/** Group orders of the curves Fabric's MSP accepts (bccsp/utils/ecdsa.go curveHalfOrders). */
const CURVE_ORDERS: Record<string, Curve> = {
  prime256v1: curve(0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, 32),
  secp384r1: curve(
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    48,
  ),
};

function curveOf(key: KeyObject): Curve {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const info = curve ? CURVE_ORDERS[curve] : undefined;
  if (key.asymmetricKeyType !== 'ec' || !info) {
    throw new Error(
      `unsupported key: ${key.asymmetricKeyType} ${curve ?? ''} (ECDSA P-256 or P-384 expected)`,
    );
  }
  return info;
}

function toFixed(value: bigint, size: number): Buffer {
  return Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex');
}

/** Whether `s` is at most half the curve order (fabric bccsp utils.IsLowS). */
export function isLowS(key: KeyObject, s: bigint): boolean {
  return s <= curveOf(key).order / 2n;
}

/**
 * Fabric's checks of a DER signature before ECDSA (bccsp/sw verifyECDSA): the DER must parse, r and s
 * must be positive and below the order, and a high-S signature is rejected (not normalized). Gives the
 * fixed-size r ‖ s OpenSSL takes, or the reason it is refused.
 */
function precheck(
  key: KeyObject,
  signature: Uint8Array,
): { der: Uint8Array } | { raw: Buffer } | { reason: string } {
  const curve = curveOf(key);
  // The usual signature (minimal DER, 0 < r < n, 0 < s <= n/2) is handed to OpenSSL as it is, without BigInts
  // or a copy: 1-2 % of a peer's busy time went into this check and the r ‖ s it used to build.
  const end = canonicalDerEnd(curve, signature);
  if (end !== undefined) return { der: end === signature.length ? signature : signature.subarray(0, end) };
  let r: bigint;
  let s: bigint;
  try {
    ({ r, s } = parseDerIntegerPair(signature));
  } catch (err) {
    return { reason: `failed unmarshalling signature: ${(err as Error).message}` };
  }
  if (r <= 0n) return { reason: 'invalid signature, R must be larger than zero' };
  if (s <= 0n) return { reason: 'invalid signature, S must be larger than zero' };
  if (s > curve.order / 2n) return { reason: 'invalid S, must be smaller than half the order' };
  if (r >= curve.order || s >= curve.order) return { reason: 'the signature is invalid' };
  return { raw: Buffer.concat([toFixed(r, curve.size), toFixed(s, curve.size)]) };
}

/**
 * Verifies a DER ECDSA signature over SHA-256(message) as Fabric's bccsp/sw verifyECDSA (see
 * {@link precheck}). Returns undefined when valid, else the reason.
 */
export function verifyECDSA(key: KeyObject, message: Uint8Array, signature: Uint8Array): string | undefined {
  const checked = precheck(key, signature);
  if ('reason' in checked) return checked.reason;
  // A signature this process made over these very bytes is valid.
  if (isOwnSignature(key, message, signature)) return undefined;
  const ok =
    'der' in checked
      ? cryptoVerify('sha256', message, key, checked.der)
      : cryptoVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, checked.raw);
  return ok ? undefined : 'the signature is invalid';
}

/** DER with low S from OpenSSL's fixed-size r ‖ s, remembered as this process's own signature. */
function lowSDer(key: KeyObject, message: Uint8Array, raw: Buffer): Uint8Array {
  const curve = curveOf(key);
  const rBytes = raw.subarray(0, curve.size);
  const sBytes = raw.subarray(curve.size);
  let signature: Uint8Array;
  if (sBytes.length === curve.size && Buffer.compare(sBytes, curve.halfOrderBytes) <= 0) {
    // Already low S: DER straight from the bytes, as encodeDerIntegerPair would write it.
    signature = derIntegerPairOfBytes(rBytes, sBytes);
  } else {
    const r = BigInt('0x' + rBytes.toString('hex'));
    let s = BigInt('0x' + sBytes.toString('hex'));
    if (s > curve.order / 2n) s = curve.order - s;
    signature = encodeDerIntegerPair(r, s);
  }
  rememberSignature(key, message, signature);
  return signature;
}

/**
 * The length of a signature's `SEQUENCE { INTEGER r, INTEGER s }` when it is minimal DER with short lengths
 * (maybe followed by other bytes, which Go's asn1 ignores and which are not handed to OpenSSL), 0 < r < n and
 * 0 < s <= n/2; undefined for anything else, which {@link precheck} then judges with BigInts and Fabric's texts.
 */
function canonicalDerEnd(curve: Curve, sig: Uint8Array): number | undefined {
  if (sig.length < 8 || sig[0] !== 0x30 || sig[1] >= 0x80) return undefined;
  const end = 2 + sig[1];
  if (end > sig.length || sig[2] !== 0x02) return undefined;
  const rLength = sig[3];
  const sAt = 4 + rLength;
  if (rLength >= 0x80 || sAt + 2 > end || sig[sAt] !== 0x02) return undefined;
  const sLength = sig[sAt + 1];
  if (sLength >= 0x80 || sAt + 2 + sLength !== end) return undefined;
  if (!positiveBelow(sig, 4, rLength, curve.orderBytes, false)) return undefined;
  if (!positiveBelow(sig, sAt + 2, sLength, curve.halfOrderBytes, true)) return undefined;
  return end;
}

/**
 * Whether the DER INTEGER at `at` (its content, `length` bytes) is minimally encoded, positive and below `bound`
 * (or equal to it, with `orEqual`), `bound` being big-endian of the curve's size.
 */
function positiveBelow(
  sig: Uint8Array,
  at: number,
  length: number,
  bound: Buffer,
  orEqual: boolean,
): boolean {
  if (length === 0 || sig[at] & 0x80) return false;
  if (sig[at] === 0) {
    // A leading zero only before a byte with its top bit set (else not minimal, or the value zero).
    if (length === 1 || !(sig[at + 1] & 0x80)) return false;
    at++;
    length--;
  }
  if (length !== bound.length) return length < bound.length;
  for (let i = 0; i < length; i++) {
    const d = sig[at + i] - bound[i];
    if (d !== 0) return d < 0;
  }
  return orEqual;
}

/** `SEQUENCE { INTEGER r, INTEGER s }` of two big-endian magnitudes (each at most 126 bytes). */
function derIntegerPairOfBytes(r: Uint8Array, s: Uint8Array): Uint8Array {
  const rStart = firstNonZero(r);
  const sStart = firstNonZero(s);
  const rPad = r[rStart] & 0x80 ? 1 : 0;
  const sPad = s[sStart] & 0x80 ? 1 : 0;
  const rLength = r.length - rStart + rPad;
  const sLength = s.length - sStart + sPad;
  const out = new Uint8Array(2 + 2 + rLength + 2 + sLength);
  out[0] = 0x30;
  out[1] = 4 + rLength + sLength;
  out[2] = 0x02;
  out[3] = rLength;
  out.set(r.subarray(rStart), 4 + rPad);
  out[4 + rLength] = 0x02;
  out[5 + rLength] = sLength;
  out.set(s.subarray(sStart), 6 + rLength + sPad);
  return out;
}

/** The index of the first non-zero byte, or of the last byte when all are zero (zero encodes as one 0x00). */
function firstNonZero(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return i;
}

/**
 * Signs SHA-256(message) with ECDSA and returns DER with low S (fabric bccsp/sw signECDSA); the signature is
 * remembered, so verifying it later in this process needs no ECDSA.
 */
export function signECDSA(key: KeyObject, message: Uint8Array): Uint8Array {
  curveOf(key);
  return lowSDer(key, message, cryptoSign('sha256', message, { key, dsaEncoding: 'ieee-p1363' }));
}

/** {@link signECDSA} with the ECDSA on libuv's thread pool (the main thread goes on meanwhile). */
export function signECDSAAsync(key: KeyObject, message: Uint8Array): Promise<Uint8Array> {
  curveOf(key);
  return new Promise((resolve, reject) => {
    cryptoSign('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, (err, raw) => {
      if (err) reject(err);
      else resolve(lowSDer(key, message, raw));
    });
  });
}

/** The high-S twin of a DER signature (s → n − s): equally valid ECDSA, which Fabric must reject. `key` (public or private) gives the curve. */
export function toHighS(key: KeyObject, signature: Uint8Array): Uint8Array {
  const { order } = curveOf(key);
  const { r, s } = parseDerIntegerPair(signature);
  return encodeDerIntegerPair(r, s > order / 2n ? s : order - s);
}
