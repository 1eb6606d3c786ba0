import { randomBytes } from 'node:crypto';
import { sha256 } from './blockutils';

/** Length of the nonces Fabric's SDKs put in signature headers. */
export const NONCE_LENGTH = 24;

/** A fresh random nonce (fabric crypto.GetRandomNonce). */
export function newNonce(): Uint8Array {
  return new Uint8Array(randomBytes(NONCE_LENGTH));
}

/** The transaction id: hex SHA-256 of nonce ‖ serialized creator (fabric ComputeTxID). */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return Buffer.from(sha256(nonce, creator)).toString('hex');
}

/** Throws unless `txId` is the id computed from `nonce` and `creator` (fabric CheckTxID). */
export function checkTxId(txId: string, nonce: Uint8Array, creator: Uint8Array): void {
  const expected = computeTxId(nonce, creator);
  if (txId !== expected) {
    throw new Error(`invalid txID. got [${txId}], expected [${expected}]`);
  }
}
