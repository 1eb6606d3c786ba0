import { InvalidArgumentError } from './errors';
import { RECORD_CATEGORIES, type RecordCategory } from '../model/record';

/**
 * A node of the service hierarchy: category → domain → record type. A record type is a dotted
 * name whose first part is its domain (`education.credential` is in domain `education`), so the
 * hierarchy below a category is the dotted prefix order. Written as:
 *   `*`                         everything
 *   `G2C`                       a category
 *   `G2C/education`             a domain within a category
 *   `G2C/education.credential`  a record type within a category
 *   `education`, `education.credential`  the same without a category (any category)
 * A scope covers every node below it. Grants and rules use the same notation.
 */
export interface Scope {
  /** The category, or undefined for any category. */
  category?: RecordCategory;
  /** A domain or (dotted) record type, or undefined for all of them. */
  path?: string;
}

/** A domain (one part) or a record type (2-4 dotted parts), lower case. */
const PATH_PATTERN = /^[a-z][a-z0-9_-]{0,31}(\.[a-z][a-z0-9_-]{0,31}){0,3}$/;
/** Describes the scope notation in error messages. */
export const SCOPE_RULE =
  '"*", a category (G2C, G2B, G2G, G2E), "<category>/<domain or record type>" or "<domain or record type>"';
/** Stands for "any" in index keys (never a valid category or path). */
export const ANY = '*';

/**
 * Parses a scope string.
 * @param what - names the value in the error, e.g. `field "scope"`.
 * @throws InvalidArgumentError naming the value.
 */
export function parseScope(text: string, what = 'scope'): Scope {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError(`${what} must be ${SCOPE_RULE}`);
  }
  if (text === ANY) {
    return {};
  }
  const slash = text.indexOf('/');
  const head = slash < 0 ? text : text.slice(0, slash);
  if ((RECORD_CATEGORIES as readonly string[]).includes(head)) {
    const category = head as RecordCategory;
    if (slash < 0) {
      return { category };
    }
    return { category, path: checkPath(text.slice(slash + 1), what) };
  }
  return { path: checkPath(text, what) };
}

/** Checks the domain / record type part of a scope. */
function checkPath(path: string, what: string): string {
  if (!PATH_PATTERN.test(path)) {
    throw new InvalidArgumentError(`${what} must be ${SCOPE_RULE}`);
  }
  return path;
}

/** The canonical string form of a scope (inverse of {@link parseScope}). */
export function formatScope(scope: Scope): string {
  if (scope.category && scope.path) return `${scope.category}/${scope.path}`;
  return scope.category ?? scope.path ?? ANY;
}

/**
 * Whether `outer` covers `inner`: outer names no category or inner's, and no path or one equal
 * to or a dotted prefix of inner's. A scope limited to a category never covers a node whose
 * category is unknown (a bare record type): what cannot be shown is not granted.
 */
export function covers(outer: Scope, inner: Scope): boolean {
  if (outer.category !== undefined && outer.category !== inner.category) {
    return false;
  }
  if (outer.path === undefined) {
    return true;
  }
  return inner.path !== undefined && (inner.path === outer.path || inner.path.startsWith(`${outer.path}.`));
}

/**
 * Every scope that covers `target`, as [category or ANY, path or ANY] index attributes: the
 * lookups that find grants or rules applying to a node without scanning all of them.
 */
export function coveringNodes(target: Scope): [string, string][] {
  const categories = target.category ? [ANY, target.category] : [ANY];
  const paths = [ANY];
  if (target.path) {
    const parts = target.path.split('.');
    for (let i = 1; i <= parts.length; i++) paths.push(parts.slice(0, i).join('.'));
  }
  return categories.flatMap((c) => paths.map((p): [string, string] => [c, p]));
}

/** The index attributes of a scope: [category or ANY, path or ANY]. */
export function scopeAttributes(scope: Scope): [string, string] {
  return [scope.category ?? ANY, scope.path ?? ANY];
}
