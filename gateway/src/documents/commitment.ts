import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { HASH_SCHEME } from 'egov/dist/vocabulary';

/**
 * The gateway's side of hash scheme 2 (chaincode lib/commitment, which is authoritative): the
 * gateway recomputes a document's hash to build the holder's document and to check that what it
 * hands the holder is what the ledger holds. The scheme numbers are the chaincode's (egov/dist/vocabulary).
 */

/** A JSON object as parsed from a request. */
export type JsonObject = Record<string, unknown>;

/** Hex SHA-256 of a value's RFC 8785 form. */
function sha256Canonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no JSON form');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Scheme 2: SHA-256 of `{document, recordId, salt, scheme: 2}` in RFC 8785 form. */
export function saltedDocumentHash(recordId: string, document: JsonObject, salt: string): string {
  return sha256Canonical({ document, recordId, salt, scheme: HASH_SCHEME });
}

/** Scheme 1 (records registered before salts): SHA-256 of the document's RFC 8785 form. */
export function legacyDocumentHash(document: JsonObject): string {
  return sha256Canonical(document);
}

/**
 * The commitment a currency deposit names its beneficiary by (chaincode `token:Claim` checks it):
 * SHA-256 of `{accountId, salt}` in RFC 8785 form, so the citizen's account id never goes on the ledger.
 */
export function depositCommitment(accountId: string, salt: string): string {
  return sha256Canonical({ accountId, salt });
}
