import { randomBytes } from 'node:crypto';
import { TRANSIENT_PERSONAL_KEY, TRANSIENT_SALT_KEY } from 'egov/dist/vocabulary';
import type { TransientFields } from '../chaincode/client';

/**
 * Salts of hash scheme 2 (chaincode lib/commitment): the gateway draws one per issued document,
 * because chaincode must stay deterministic and never draws randomness itself. 256 bits, twice
 * the chaincode's minimum.
 */
export const SALT_BYTES = 32;

/** A fresh random salt. */
export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

/**
 * The transient map of a transaction issuing a document (RegisterRecord, AmendRecord): a fresh
 * salt and, when there are any, the personal fields; neither ever goes into the arguments.
 * @returns the map and the salt (hex), which the holder's document needs.
 */
export function documentTransient(personal: Record<string, unknown> | undefined): {
  transient: TransientFields;
  salt: string;
} {
  const salt = newSalt();
  return {
    transient: {
      [TRANSIENT_SALT_KEY]: salt,
      ...(personal === undefined ? {} : { [TRANSIENT_PERSONAL_KEY]: personal }),
    },
    salt: salt.toString('hex'),
  };
}
