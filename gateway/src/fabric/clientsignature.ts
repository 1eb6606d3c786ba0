import { createHash, X509Certificate } from 'node:crypto';
import { p256 } from '@noble/curves/p256';
import { ApiError } from '../errors';

/**
 * The P-256 public key of a PEM certificate, uncompressed (0x04 || x || y).
 * @throws ApiError VALIDATION_FAILED when `pem` is not a certificate with an ECDSA P-256 key
 *   (what Fabric CA and cryptogen issue), naming `what`.
 */
export function p256PublicKey(pem: string, what: string): Uint8Array {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new ApiError('VALIDATION_FAILED', `${what} is not a PEM X.509 certificate`);
  }
  const jwk = cert.publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) {
    throw new ApiError('VALIDATION_FAILED', `${what} must hold an ECDSA P-256 public key`);
  }
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/**
 * Checks a client's signature as Fabric's peers will: ECDSA P-256 over the SHA-256 digest of
 * `signedBytes`, DER-encoded, with a low S value (Fabric's bccsp refuses the high-S twin). A
 * client's mistake is answered here, plainly, instead of as a refusal from the network.
 * @throws ApiError VALIDATION_FAILED naming `what` when the signature does not verify.
 */
export function checkClientSignature(
  certificate: string,
  signedBytes: Uint8Array,
  signature: Uint8Array,
  what: string,
): void {
  const publicKey = p256PublicKey(certificate, `the certificate of the ${what}'s creator`);
  let valid: boolean;
  try {
    valid = p256.verify(signature, createHash('sha256').update(signedBytes).digest(), publicKey, {
      lowS: true,
    });
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `the signature of the ${what} does not verify against its creator's certificate (ECDSA P-256 over the SHA-256 digest, DER, low S)`,
    );
  }
}
