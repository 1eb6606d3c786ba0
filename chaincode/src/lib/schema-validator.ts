import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonObject } from './canonical';
import { InvalidArgumentError } from './errors';

/**
 * JSON Schema validation of record documents with ajv (draft-07). Each schema version is compiled
 * once per chaincode process and cached by record type, version and schema hash (the hash keeps a
 * schema compiled by a transaction that was never committed from standing in for another one).
 * Each schema gets its own ajv instance, so schemas cannot reference each other and a `$ref` to
 * anything but the schema itself fails at registration: ajv never loads remote schemas (no
 * `loadSchema`), which keeps validation deterministic and offline.
 */

/** One way a document fails its schema. */
export interface SchemaViolation {
  /** JSON pointer (RFC 6901) to the offending value, `` for the whole document. */
  pointer: string;
  message: string;
}

/** Most compiled schemas kept per process (oldest evicted first). */
export const MAX_CACHED_VALIDATORS = 256;
/** Most violations named in one error message. */
export const MAX_REPORTED_VIOLATIONS = 20;

const cache = new Map<string, ValidateFunction>();

/** A schema version as the validator needs it. */
export interface CompilableSchema {
  id: string;
  version: number;
  schemaHash: string;
  schema: JsonObject;
}

/** A fresh ajv instance: every error collected, unknown keywords refused, no logging. */
function newAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    logger: false,
  });
  // ajv-formats resolves its own copy of ajv 8 (same major): the types differ, the plugin API does not
  addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
  return ajv;
}

/**
 * Compiles a schema, throwing what is wrong with it.
 * @throws InvalidArgumentError "schema is not a valid JSON Schema (draft-07): ...".
 */
export function compileSchema(schema: JsonObject): ValidateFunction {
  try {
    return newAjv().compile(schema);
  } catch (err) {
    throw new InvalidArgumentError(
      `schemaJson: field "schema" is not a valid JSON Schema (draft-07): ${(err as Error).message}`,
    );
  }
}

/** The compiled validator of a stored schema version (compiled at most once per process). */
export function validatorFor(entry: CompilableSchema): ValidateFunction {
  const key = `${entry.id}@${entry.version}#${entry.schemaHash}`;
  let validate = cache.get(key);
  if (validate === undefined) {
    validate = compileSchema(entry.schema);
    if (cache.size >= MAX_CACHED_VALIDATORS) {
      cache.delete(cache.keys().next().value as string);
    }
    cache.set(key, validate);
  }
  return validate;
}

/** Number of compiled validators held (for tests). */
export function cachedValidatorCount(): number {
  return cache.size;
}

/** Lists every violation of `document` against the schema version (empty when it conforms). */
export function findViolations(entry: CompilableSchema, document: JsonObject): SchemaViolation[] {
  const validate = validatorFor(entry);
  if (validate(document)) {
    return [];
  }
  return (validate.errors ?? []).map(toViolation);
}

/**
 * Refuses a document that does not satisfy its schema.
 * @throws InvalidArgumentError listing each violation with its JSON pointer, e.g.
 *   `document does not match schema education.credential v2: /year must be integer; /name is required`.
 */
export function assertConforms(entry: CompilableSchema, document: JsonObject): void {
  const violations = findViolations(entry, document);
  if (violations.length === 0) {
    return;
  }
  const shown = violations
    .slice(0, MAX_REPORTED_VIOLATIONS)
    .map((v) => `${v.pointer || '(document)'} ${v.message}`);
  const more = violations.length - shown.length;
  throw new InvalidArgumentError(
    `document does not match schema ${entry.id} v${entry.version}: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
  );
}

/**
 * Turns an ajv error into a violation. ajv points `required` and `additionalProperties` errors at
 * the parent object; the pointer here names the property itself. Messages come from the schema's
 * keywords, never from the document's values (they may be personal).
 */
function toViolation(error: ErrorObject): SchemaViolation {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    return {
      pointer: `${error.instancePath}/${escapePointer(params.missingProperty)}`,
      message: 'is required',
    };
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return {
      pointer: `${error.instancePath}/${escapePointer(params.additionalProperty)}`,
      message: 'is not allowed by the schema',
    };
  }
  return { pointer: error.instancePath, message: error.message ?? `fails keyword ${error.keyword}` };
}

/** Escapes a property name as one JSON pointer segment (RFC 6901: ~ → ~0, / → ~1). */
function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
