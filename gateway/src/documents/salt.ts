import { randomBytes } from 'node:crypto';

/**
 * Salts of hash scheme 2 (chaincode lib/commitment): the gateway draws one per issued document,
 * because chaincode must stay deterministic and never draws randomness itself. 256 bits, twice
 * the chaincode's minimum.
 */
export const SALT_BYTES = 32;

/** Transient map key the chaincode reads the salt from (raw bytes). */
export const TRANSIENT_SALT_KEY = 'salt';

/** A fresh random salt. */
export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}
