import { checkCanonicalSize } from '../model/record';
import type { SchemaVersion } from '../model/schema';
import type { JsonObject } from './canonical';
import { saltedDocumentHash } from './commitment';
import { InvalidArgumentError } from './errors';
import { TRANSIENT_PERSONAL_KEY } from './privacy';
import { assertConforms } from './schema-validator';

/**
 * A record's document: its public fields (the `payload` argument, stored on the channel ledger)
 * merged with its personal fields (the transient map, stored in private data). The schema
 * validates the whole document, and the record's hash is the salted commitment to the whole
 * document (lib/commitment, scheme 2), so whoever holds the document and its salt can verify it by
 * hash, and nobody else can test a guess against it.
 */
export interface RecordDocument {
  document: JsonObject;
  /** Hex SHA-256 of the document's salted commitment. */
  hash: string;
  /** The personal part, when the document has one. */
  personal?: JsonObject;
}

/**
 * Builds and checks a document: personal fields must arrive only through the transient map, the
 * transient map must carry only personal fields, and the whole document must satisfy the schema.
 * @throws InvalidArgumentError naming the misplaced fields (never their values), the missing
 *   transient data, or every schema violation with its JSON pointer.
 */
export function buildDocument(
  schema: SchemaVersion,
  payload: JsonObject,
  personal: JsonObject | undefined,
  commitment: { recordId: string; salt: string },
  payloadArg = 'recordJson',
): RecordDocument {
  const hash = (document: JsonObject) => saltedDocumentHash(commitment.recordId, document, commitment.salt);
  const personalFields = new Set(schema.personalFields);
  const leaked = Object.keys(payload).filter((f) => personalFields.has(f));
  if (leaked.length > 0) {
    throw new InvalidArgumentError(
      `${payloadArg}: field "payload" holds personal field(s) ${quote(leaked)}; send them in the transient map under "${TRANSIENT_PERSONAL_KEY}"`,
    );
  }
  if (personal === undefined || Object.keys(personal).length === 0) {
    const required = requiredPersonalFields(schema);
    if (required.length > 0) {
      throw new InvalidArgumentError(
        `transient data "${TRANSIENT_PERSONAL_KEY}" is missing: schema ${schema.id} v${schema.version} requires personal field(s) ${quote(required)}`,
      );
    }
    assertConforms(schema, payload);
    return { document: payload, hash: hash(payload) };
  }
  const foreign = Object.keys(personal).filter((f) => !personalFields.has(f));
  if (foreign.length > 0) {
    throw new InvalidArgumentError(
      `transient "${TRANSIENT_PERSONAL_KEY}" holds field(s) ${quote(foreign)} that schema ${schema.id} v${schema.version} does not declare personal`,
    );
  }
  checkCanonicalSize(personal, `transient "${TRANSIENT_PERSONAL_KEY}"`);
  const document = { ...payload, ...personal };
  assertConforms(schema, document);
  return { document, hash: hash(document), personal };
}

/** The personal fields the schema's top-level `required` lists. */
function requiredPersonalFields(schema: SchemaVersion): string[] {
  const required = Array.isArray(schema.schema.required) ? schema.schema.required : [];
  return schema.personalFields.filter((f) => required.includes(f));
}

/** `"a", "b"` */
function quote(fields: string[]): string {
  return fields.map((f) => `"${f}"`).join(', ');
}
