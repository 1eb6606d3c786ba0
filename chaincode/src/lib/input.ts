import type { JsonObject, JsonValue } from './canonical';
import { InvalidArgumentError } from './errors';

/**
 * Reads the fields of a JSON transaction argument, one checked accessor per field type. Every
 * error names the argument and the field; none echoes the offending value (it may be personal
 * data, and fabric-shim logs failure messages).
 */
export class InputObject {
  private constructor(
    /** Name of the transaction argument, e.g. `recordJson`. */
    readonly argName: string,
    private readonly fields: JsonObject,
  ) {}

  /**
   * Parses a transaction argument that must be a JSON object.
   * @throws InvalidArgumentError when it is not valid JSON or not an object.
   */
  static parse(argName: string, json: string): InputObject {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new InvalidArgumentError(`${argName} is not valid JSON`);
    }
    if (!isJsonObject(parsed)) {
      throw new InvalidArgumentError(`${argName} must be a JSON object`);
    }
    return new InputObject(argName, parsed);
  }

  /** Builds an error about one field of this argument. */
  fieldError(field: string, problem: string): InvalidArgumentError {
    return new InvalidArgumentError(`${this.argName}: field "${field}" ${problem}`);
  }

  /** Refuses fields other than `allowed`, so a typo is not silently dropped. */
  rejectUnknownFields(allowed: readonly string[]): void {
    const unknown = Object.keys(this.fields).filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      throw new InvalidArgumentError(
        `${this.argName}: unknown field(s) ${unknown.map((n) => `"${n}"`).join(', ')}`,
      );
    }
  }

  /** Whether an optional field is present (not absent and not null). */
  has(field: string): boolean {
    const value = Object.prototype.hasOwnProperty.call(this.fields, field) ? this.fields[field] : undefined;
    return value !== undefined && value !== null;
  }

  /** A required field, any JSON type. */
  required(field: string): JsonValue {
    const value = Object.prototype.hasOwnProperty.call(this.fields, field) ? this.fields[field] : undefined;
    if (value === undefined || value === null) {
      throw this.fieldError(field, 'is missing');
    }
    return value;
  }

  /**
   * A required string matching `pattern`.
   * @param rule - describes the pattern in the error, e.g. `1-128 characters of A-Z a-z 0-9 . _ : -`.
   */
  string(field: string, pattern: RegExp, rule: string): string {
    const value = this.required(field);
    if (typeof value !== 'string') {
      throw this.fieldError(field, 'must be a string');
    }
    if (!pattern.test(value)) {
      throw this.fieldError(field, `must be ${rule}`);
    }
    return value;
  }

  /** A required string that is one of `values`. */
  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const value = this.required(field);
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw this.fieldError(field, `must be one of ${values.join(', ')}`);
    }
    return value as T;
  }

  /** A required integer in [min, max]. */
  integer(field: string, min: number, max: number): number {
    const value = this.required(field);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw this.fieldError(field, `must be an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** A required JSON object (not an array). */
  object(field: string): JsonObject {
    const value = this.required(field);
    if (!isJsonObject(value)) {
      throw this.fieldError(field, 'must be a JSON object');
    }
    return value;
  }

  /** A required non-empty array of distinct strings, each matching `pattern`. */
  stringSet(field: string, pattern: RegExp, rule: string, maxItems: number): string[] {
    const value = this.required(field);
    if (!Array.isArray(value) || value.length === 0 || value.length > maxItems) {
      throw this.fieldError(field, `must be an array of 1 to ${maxItems} strings`);
    }
    value.forEach((item, i) => {
      if (typeof item !== 'string' || !pattern.test(item)) {
        throw this.fieldError(`${field}[${i}]`, `must be ${rule}`);
      }
    });
    if (new Set(value).size !== value.length) {
      throw this.fieldError(field, 'must not repeat an entry');
    }
    return value as string[];
  }
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks a plain string transaction argument (e.g. an id passed to a Get transaction).
 * @param rule - describes the pattern in the error message.
 * @throws InvalidArgumentError naming the argument.
 */
export function checkArgument(argName: string, value: string, pattern: RegExp, rule: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidArgumentError(`${argName} must be ${rule}`);
  }
  return value;
}
