import type { Context } from 'fabric-contract-api';
import { hashOf, type JsonObject } from './canonical';
import { InvalidArgumentError } from './errors';

/**
 * Salted commitments (hash scheme 2). An unsalted SHA-256 of personal fields can be reversed by
 * trying every plausible value (a birth date falls in some 40,000 guesses), and any channel member
 * reads the hashes. So every hash a record puts on the channel ledger covers a random salt of at
 * least {@link MIN_SALT_BYTES} bytes that only the issuer's private data and the holder's document
 * keep: without the salt nothing on the ledger can be tested against a guess.
 *
 * The salt comes from the client (the gateway draws it) in the transient map under
 * {@link TRANSIENT_SALT_KEY}, as raw bytes: chaincode must stay deterministic, so it never draws
 * randomness itself. Records registered before scheme 2 have no `hashScheme` and keep their
 * unsalted hashes (scheme 1), so they still verify.
 */

/** Hash scheme of records registered without a salt (before salted commitments). */
export const LEGACY_HASH_SCHEME = 1;
/** Hash scheme every new record gets. */
export const HASH_SCHEME = 2;
/** One of the hash schemes a record may carry. */
export type HashScheme = typeof LEGACY_HASH_SCHEME | typeof HASH_SCHEME;

/** Transient map key carrying the salt (raw bytes). */
export const TRANSIENT_SALT_KEY = 'salt';
/** Fewest salt bytes accepted: 128 bits. */
export const MIN_SALT_BYTES = 16;
/** Most salt bytes accepted (the salt is stored and hashed; nothing needs more than 512 bits). */
export const MAX_SALT_BYTES = 64;

/**
 * Reads the salt from the transient map.
 * @returns the salt as lower-case hex (how documents carry it).
 * @throws InvalidArgumentError when it is missing, shorter than 128 bits or longer than 512.
 */
export function readTransientSalt(ctx: Context): string {
  const bytes = ctx.stub.getTransient().get(TRANSIENT_SALT_KEY);
  if (bytes === undefined || bytes.length === 0) {
    throw new InvalidArgumentError(
      `transient "${TRANSIENT_SALT_KEY}" is missing: send ${MIN_SALT_BYTES} to ${MAX_SALT_BYTES} random bytes (hash scheme ${HASH_SCHEME} salts every commitment)`,
    );
  }
  if (bytes.length < MIN_SALT_BYTES || bytes.length > MAX_SALT_BYTES) {
    throw new InvalidArgumentError(
      `transient "${TRANSIENT_SALT_KEY}" is ${bytes.length} bytes; it must be ${MIN_SALT_BYTES} to ${MAX_SALT_BYTES} random bytes`,
    );
  }
  return Buffer.from(bytes).toString('hex');
}

/**
 * What scheme 2 hashes for a document: `{document, recordId, salt, scheme}` in RFC 8785 form, so
 * the hash binds the fields, the record they were issued as, and the salt.
 */
export function documentCommitment(recordId: string, document: JsonObject, salt: string): JsonObject {
  return { document, recordId, salt, scheme: HASH_SCHEME };
}

/** The document hash of scheme 2: hex SHA-256 of {@link documentCommitment}. */
export function saltedDocumentHash(recordId: string, document: JsonObject, salt: string): string {
  return hashOf(documentCommitment(recordId, document, salt), 'document');
}

/**
 * The value scheme 2 keeps in the issuer's private data: the personal fields (`{}` when the
 * document has none) with the salt. Its SHA-256 is what the channel ledger holds (the record's
 * `personalHash` and Fabric's private data hash), salted like the document hash.
 */
export function privateValue(personal: JsonObject, salt: string): JsonObject {
  return { personal, salt, scheme: HASH_SCHEME };
}
