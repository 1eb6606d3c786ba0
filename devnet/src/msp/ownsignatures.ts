import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { LruCache } from '../common/lru';

/** How many of this process's latest signatures are remembered (a few blocks' worth of endorsements). */
const REMEMBERED = 4096;

/** A signature this process made: the signer's public key and SHA-256 of the message. */
interface MadeSignature {
  publicKey: KeyObject;
  digest: Buffer;
}

const made = new LruCache<string, MadeSignature>(REMEMBERED);
const publicKeys = new WeakMap<KeyObject, KeyObject>();

function publicKeyOf(privateKey: KeyObject): KeyObject {
  let key = publicKeys.get(privateKey);
  if (key === undefined) {
    key = createPublicKey(privateKey);
    publicKeys.set(privateKey, key);
  }
  return key;
}

function digestOf(message: Uint8Array): Buffer {
  return createHash('sha256').update(message).digest();
}

/**
 * Notes that this process signed `message` with `privateKey`, giving `signature`. A peer validates the
 * endorsements it signed itself when their transaction comes back in a block; the ECDSA check of such a
 * signature is then a SHA-256 of the message (see {@link isOwnSignature}).
 */
export function rememberSignature(privateKey: KeyObject, message: Uint8Array, signature: Uint8Array): void {
  made.set(Buffer.from(signature).toString('latin1'), {
    publicKey: publicKeyOf(privateKey),
    digest: digestOf(message),
  });
}

/**
 * True when this process made exactly `signature` over exactly `message` with the private key of
 * `publicKey` (so the signature verifies); false when it does not know, and ECDSA must decide.
 */
export function isOwnSignature(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  const known = made.get(Buffer.from(signature).toString('latin1'));
  return known !== undefined && known.publicKey.equals(publicKey) && known.digest.equals(digestOf(message));
}
