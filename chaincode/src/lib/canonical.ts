import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { InvalidArgumentError, StateCorruptError } from './errors';

/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme) is egov's only serialization: world-state
 * values, event payloads and transaction results are all canonical, so every endorsing peer produces
 * byte-identical read-write sets and responses, and record hashes can be recomputed by anyone.
 */

/** A JSON object as produced by JSON.parse. */
export type JsonObject = { [key: string]: JsonValue };
/** Any JSON value as produced by JSON.parse. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/**
 * Serializes a value as RFC 8785 canonical JSON (sorted keys, ECMAScript number formatting).
 * @param what - names the value in the error message, e.g. `field "payload"`.
 * @throws InvalidArgumentError when the value holds a non-finite number, a lone surrogate or a `__proto__`
 *   key, or has no JSON form.
 */
export function canonicalJson(value: unknown, what = 'value'): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    // canonicalize rejects NaN/Infinity, e.g. from JSON.parse('1e400')
    throw new InvalidArgumentError(`${what} cannot be canonicalized: ${(err as Error).message}`);
  }
  if (text === undefined) {
    throw new InvalidArgumentError(`${what} has no JSON representation`);
  }
  if (mayBeUncanonicalizable(text)) checkCanonicalizable(value, what);
  return text;
}

/**
 * Whether canonicalize's text may hold what RFC 8785 refuses: JSON.stringify writes a lone surrogate
 * (in a key or a value) as a `\udXXX` escape and an own `__proto__` key as `"__proto__":`, so text
 * without either needs no walk of the value; text with either (or a value that merely contains a
 * backslash and "ud") is walked to refuse it and name where.
 */
function mayBeUncanonicalizable(text: string): boolean {
  return text.includes('\\ud') || text.includes('"__proto__":');
}

/** A UTF-16 code unit of a surrogate pair standing alone (with the u flag, a whole pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * RFC 8785 strictly: a string (key or value) holding a lone surrogate has no canonical form (the
 * RFC refuses it; JSON.stringify would silently escape it), and a `__proto__` key is refused
 * rather than left to whichever parser the verifier uses (some drop it, some set the prototype).
 * Duplicate keys cannot reach here (JSON.parse keeps the last); the gateway refuses them.
 * @throws InvalidArgumentError naming `what` and the JSON pointer, never the value.
 */
export function checkCanonicalizable(value: unknown, what = 'value', pointer = ''): void {
  // the common case, a value that passes, is checked without building a JSON pointer per key;
  // only a value that fails is walked again to name where
  if (isCanonicalizable(value)) return;
  findUncanonicalizable(value, what, pointer);
}

/** Whether {@link checkCanonicalizable} accepts `value` (the same rules, no pointers built). */
function isCanonicalizable(value: unknown): boolean {
  if (typeof value === 'string') return !LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.every(isCanonicalizable);
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (key === '__proto__' || LONE_SURROGATE.test(key)) return false;
      if (!isCanonicalizable((value as Record<string, unknown>)[key])) return false;
    }
  }
  return true;
}

/** {@link checkCanonicalizable}'s walk with JSON pointers: throws at the first offence. */
function findUncanonicalizable(value: unknown, what: string, pointer: string): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) {
      throw new InvalidArgumentError(`${what} holds a lone surrogate at "${pointer}" (RFC 8785 refuses it)`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => findUncanonicalizable(item, what, `${pointer}/${i}`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key === '__proto__') {
        throw new InvalidArgumentError(`${what} holds a "__proto__" key at "${pointer}"; it is refused`);
      }
      if (LONE_SURROGATE.test(key)) {
        throw new InvalidArgumentError(
          `${what} holds a key with a lone surrogate at "${pointer}" (RFC 8785 refuses it)`,
        );
      }
      findUncanonicalizable(item, what, at);
    }
  }
}

/** Hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash egov registers for a payload: hex SHA-256 of its canonical JSON. */
export function hashOf(value: JsonValue, what = 'value'): string {
  return sha256Hex(canonicalJson(value, what));
}

/** The one marshal function: canonical JSON as UTF-8 bytes, for putState, setEvent and results. */
export function marshal(value: object): Uint8Array {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/**
 * Parses world-state bytes written by {@link marshal}.
 * @param what - names the state entry in the error, e.g. `record R1`.
 * @throws StateCorruptError when the bytes are not a JSON object.
 */
export function unmarshal(bytes: Uint8Array, what: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new StateCorruptError(`state of ${what} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new StateCorruptError(`state of ${what} is not a JSON object`);
  }
  return parsed as JsonObject;
}
