import fc from 'fast-check';
import { z } from 'zod';

/** The part of JSON Schema (draft 2020-12, as zod's toJSONSchema writes it) the generator reads. */
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Any small JSON value (what `z.unknown()` accepts). */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 }).map((v) => v as unknown);

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  if (s.pattern !== undefined) {
    try {
      return fc.stringMatching(new RegExp(s.pattern));
    } catch {
      // a pattern fast-check cannot generate from: any string, mostly refused by the schema
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 300) });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1000);
  return integer
    ? fc.integer({ min: Math.max(min, -1e6), max: Math.min(max, 1e6) })
    : fc.double({ min, max, noNaN: true });
}

function objectArb(s: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = s.properties ?? {};
  if (Object.keys(properties).length === 0)
    return fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 6 });
  const required = new Set(s.required ?? []);
  const shape = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, fromJsonSchema(v)]));
  return fc.record(shape, {
    requiredKeys: Object.keys(shape).filter((k) => required.has(k)),
  }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Values a JSON Schema describes (best effort: a few constraints are not honoured, so some are refused). */
export function fromJsonSchema(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(fromJsonSchema));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(s.items ? fromJsonSchema(s.items) : anyJson, {
        maxLength: Math.min(s.maxItems ?? 4, 4),
      });
    case 'object':
      return objectArb(s);
    case 'null':
      return fc.constant(null);
    default:
      return anyJson;
  }
}

/** Values of the shape a request schema accepts, generated from the zod schema itself. */
export function fromZod(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fromJsonSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}
