import { KeyObject, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { encodeDerIntegerPair, parseDerIntegerPair } from '../protoutil/der';
import { isOwnSignature, rememberSignature, rememberVerified } from './ownsignatures';

/** Group orders of the curves Fabric's MSP accepts (bccsp/utils/ecdsa.go curveHalfOrders). */
const CURVE_ORDERS: Record<string, { order: bigint; size: number }> = {
  prime256v1: { order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, size: 32 },
  secp384r1: {
    order:
      0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    size: 48,
  },
};

function curveOf(key: KeyObject): { order: bigint; size: number } {
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
function precheck(key: KeyObject, signature: Uint8Array): { raw: Buffer } | { reason: string } {
  const curve = curveOf(key);
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
  // A signature this process made, or verified ahead, over these very bytes is valid.
  if (isOwnSignature(key, message, signature)) return undefined;
  const ok = cryptoVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, checked.raw);
  return ok ? undefined : 'the signature is invalid';
}

/**
 * {@link verifyECDSA} with the ECDSA on libuv's thread pool, so a peer's main thread goes on serving
 * while another core verifies. A valid signature is remembered: the synchronous check of the same
 * bytes that follows (in policy evaluation) is then a SHA-256 of the message.
 */
export function verifyECDSAAsync(
  key: KeyObject,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<string | undefined> {
  const checked = precheck(key, signature);
  if ('reason' in checked) return Promise.resolve(checked.reason);
  if (isOwnSignature(key, message, signature)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    cryptoVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, checked.raw, (err, ok) => {
      if (err || !ok) return resolve(err ? err.message : 'the signature is invalid');
      rememberVerified(key, message, signature);
      resolve(undefined);
    });
  });
}

/** DER with low S from OpenSSL's fixed-size r ‖ s, remembered as this process's own signature. */
function lowSDer(key: KeyObject, message: Uint8Array, raw: Buffer): Uint8Array {
  const curve = curveOf(key);
  const r = BigInt('0x' + raw.subarray(0, curve.size).toString('hex'));
  let s = BigInt('0x' + raw.subarray(curve.size).toString('hex'));
  if (s > curve.order / 2n) s = curve.order - s;
  const signature = encodeDerIntegerPair(r, s);
  rememberSignature(key, message, signature);
  return signature;
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
