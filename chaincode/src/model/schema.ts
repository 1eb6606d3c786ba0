import { canonicalJson, type JsonObject } from '../lib/canonical';
import { StateCorruptError } from '../lib/errors';
import { InputObject, isJsonObject } from '../lib/input';
import type { TxFacts } from '../lib/tx';

/**
 * The schemas registry (data templates): one JSON Schema (draft-07) per record type and version.
 * A record type's domain is the first part of its dotted name (`education` for
 * `education.credential`); the ministry that registers the first schema of a domain owns the
 * domain, and only that ministry registers further schemas in it.
 */

/** Largest schema accepted, in bytes of canonical JSON. */
export const MAX_SCHEMA_BYTES = 64 * 1024;
/** Most personal fields a schema may declare. */
export const MAX_PERSONAL_FIELDS = 64;
/** A top-level property name usable as a personal field. */
const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** The fields of RegisterSchema's schemaJson argument. */
export interface SchemaInput {
  /** The JSON Schema (draft-07) every document of the record type must satisfy. */
  schema: JsonObject;
  /**
   * Top-level properties of the document that are personal: they travel only in the transient
   * map and are stored only in the issuer's private data collection.
   */
  personalFields: string[];
}

/** A schema version as stored under `schema` [recordType, version]. */
export interface SchemaVersion {
  docType: 'schema';
  /** The schema id: the record type it describes. */
  id: string;
  version: number;
  domain: string;
  schema: JsonObject;
  personalFields: string[];
  /** Hex SHA-256 of the schema's canonical JSON (distinguishes versions in caches). */
  schemaHash: string;
  ownerMsp: string;
  registeredBy: string;
  registeredAt: string;
  txId: string;
}

/** The head of a record type's schema lineage, under `schema~head` [recordType]. */
export interface SchemaHead {
  docType: 'schemaHead';
  id: string;
  latestVersion: number;
  /**
   * The latest version itself (also under its own key), so that a registration, which validates
   * against the latest version, reads one key instead of two. Heads written before it was added
   * lack it; readers then read the version's key.
   */
  latest?: SchemaVersion;
}

/** The owner of a domain, under `schema~domain` [domain]. */
export interface DomainOwner {
  docType: 'domainOwner';
  domain: string;
  ownerMsp: string;
  claimedAt: string;
  txId: string;
}

/** The domain of a record type: its first dotted part. */
export function domainOf(recordType: string): string {
  return recordType.split('.')[0];
}

/**
 * Parses RegisterSchema's argument (the schema itself is compiled later, by lib/schema-validator).
 * @throws InvalidArgumentError naming the bad field.
 */
export function parseSchemaInput(schemaJson: string): SchemaInput {
  const input = InputObject.parse('schemaJson', schemaJson);
  input.rejectUnknownFields(['schema', 'personalFields']);
  const schema = input.object('schema');
  const size = Buffer.byteLength(canonicalJson(schema, 'schemaJson: field "schema"'), 'utf8');
  if (size > MAX_SCHEMA_BYTES) {
    throw input.fieldError(
      'schema',
      `is ${size} bytes of canonical JSON; at most ${MAX_SCHEMA_BYTES} are allowed`,
    );
  }
  if (schema.type !== 'object') {
    throw input.fieldError('schema', 'must describe a JSON object ("type": "object")');
  }
  if (Object.prototype.hasOwnProperty.call(schema, '$id')) {
    throw input.fieldError('schema', 'must not carry "$id": the registry names it (record type and version)');
  }
  const personalFields = input.has('personalFields') ? parsePersonalFields(input, schema) : [];
  return { schema, personalFields };
}

/** Checks that every personal field is a declared top-level property. */
function parsePersonalFields(input: InputObject, schema: JsonObject): string[] {
  const value = input.required('personalFields');
  if (Array.isArray(value) && value.length === 0) {
    return [];
  }
  const fields = input.stringSet(
    'personalFields',
    FIELD_NAME_PATTERN,
    'a property name',
    MAX_PERSONAL_FIELDS,
  );
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const undeclared = fields.filter((f) => !Object.prototype.hasOwnProperty.call(properties, f));
  if (undeclared.length > 0) {
    throw input.fieldError(
      'personalFields',
      `names ${undeclared.map((f) => `"${f}"`).join(', ')}, not declared in schema.properties`,
    );
  }
  return [...fields].sort();
}

/** Builds a new schema version. */
export function newSchemaVersion(
  recordType: string,
  version: number,
  input: SchemaInput,
  schemaHash: string,
  tx: TxFacts,
): SchemaVersion {
  return {
    docType: 'schema',
    id: recordType,
    version,
    domain: domainOf(recordType),
    schema: input.schema,
    personalFields: input.personalFields,
    schemaHash,
    ownerMsp: tx.mspId,
    registeredBy: tx.clientId,
    registeredAt: tx.timestamp,
    txId: tx.txId,
  };
}

/**
 * Types a parsed world-state value as a schema version.
 * @throws StateCorruptError when it is not one.
 */
export function asSchemaVersion(value: JsonObject, recordType: string, version: number): SchemaVersion {
  if (
    value.docType !== 'schema' ||
    value.id !== recordType ||
    value.version !== version ||
    !isJsonObject(value.schema) ||
    !Array.isArray(value.personalFields)
  ) {
    throw new StateCorruptError(`state under schema ${recordType} v${version} is not a schema`);
  }
  return value as unknown as SchemaVersion;
}

/**
 * Types a parsed world-state value as a schema head.
 * @throws StateCorruptError when it is not one.
 */
export function asSchemaHead(value: JsonObject, recordType: string): SchemaHead {
  if (value.docType !== 'schemaHead' || value.id !== recordType || typeof value.latestVersion !== 'number') {
    throw new StateCorruptError(`state under schema head ${recordType} is not a schema head`);
  }
  return value as unknown as SchemaHead;
}

/**
 * Types a parsed world-state value as a domain owner.
 * @throws StateCorruptError when it is not one.
 */
export function asDomainOwner(value: JsonObject, domain: string): DomainOwner {
  if (value.docType !== 'domainOwner' || value.domain !== domain || typeof value.ownerMsp !== 'string') {
    throw new StateCorruptError(`state under domain owner ${domain} is not a domain owner`);
  }
  return value as unknown as DomainOwner;
}
