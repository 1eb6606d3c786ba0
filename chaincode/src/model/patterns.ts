/**
 * Shared syntax of identifiers. Ids become composite-key attributes, so they must never hold
 * U+0000 or U+10FFFF (Fabric's delimiters); the patterns below allow only printable ASCII.
 */

/** An object id: 1-128 characters, letters, digits and `. _ : -`, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Describes {@link ID_PATTERN} in error messages. */
export const ID_RULE = '1-128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit';

/** A SHA-256 digest in lower-case hex (what egov stores and returns). */
export const HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Describes {@link HASH_PATTERN} in error messages. */
export const HASH_RULE = 'a SHA-256 digest: 64 lower-case hex characters';

/** A dotted lower-case type name with 2-4 parts, e.g. `education.credential`. */
export const RECORD_TYPE_PATTERN = /^[a-z][a-z0-9_-]{0,31}(\.[a-z][a-z0-9_-]{0,31}){1,3}$/;
/** Describes {@link RECORD_TYPE_PATTERN} in error messages. */
export const RECORD_TYPE_RULE = 'a dotted lower-case name such as education.credential';
