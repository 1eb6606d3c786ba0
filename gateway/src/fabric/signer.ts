import { createHash, sign, type KeyObject } from 'node:crypto';
import { signers, type Signer } from '@hyperledger/fabric-gateway';
import { p256 } from '@noble/curves/p256';
import { p384 } from '@noble/curves/p384';

/**
 * A fabric-gateway Signer that is handed the whole message and hashes it itself (SHA-256), for a
 * connection made with `hash: hash.none` (connection.ts connectGateway does so for these).
 */
export type MessageSigner = Signer & { readonly hashesMessages: true };

/** The curves signed natively, by their OpenSSL names; their order gives S its low form. */
const NATIVE_CURVES: Record<string, typeof p256 | typeof p384> = { prime256v1: p256, secp384r1: p384 };

/**
 * Signs messages with an identity's private key. For ECDSA P-256 and P-384 keys the signature is
 * made by Node's crypto (OpenSSL): SHA-256 of the message, ECDSA, DER, with S brought to its low
 * form as Fabric's MSP requires (noble's normalizeS, no curve arithmetic). That is the signature
 * fabric-gateway's own signer (@noble/curves, in JavaScript) makes over the SHA-256 digest, at
 * about a tenth of the CPU: the gateway signs each proposal, transaction and commit status request
 * of every request it serves. Other keys are signed by fabric-gateway's signer over the digest.
 */
export function messageSigner(key: KeyObject): MessageSigner {
  const curve =
    key.asymmetricKeyType === 'ec' ? NATIVE_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  let signMessage: Signer;
  if (curve) {
    signMessage = async (message) =>
      curve.Signature.fromDER(sign('sha256', message, key))
        .normalizeS()
        .toDERRawBytes();
  } else {
    const signDigest = signers.newPrivateKeySigner(key);
    signMessage = (message) => signDigest(createHash('sha256').update(message).digest());
  }
  return Object.assign(signMessage, { hashesMessages: true as const });
}
