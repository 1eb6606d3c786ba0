import { parse, type AnyNode } from '@humanwhocodes/momoa';
import { ApiError } from '../errors';

/** A UTF-16 code unit of a surrogate pair standing alone (a whole pair is one code point with /u). */
const LONE_SURROGATE = /\p{Cs}/u;

/** RFC 6901 escaping of one JSON pointer segment. */
function segment(name: string | number): string {
  return String(name).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The first RFC 8785 violation in an object's members, as a message naming its JSON pointer. */
function memberViolation(node: AnyNode & { type: 'Object' }, pointer: string): string | undefined {
  const seen = new Set<string>();
  for (const member of node.members) {
    const name = member.name.type === 'String' ? member.name.value : member.name.name;
    if (seen.has(name)) return `the key "${segment(name)}" twice in the object at "${pointer}"`;
    if (name === '__proto__') return `a "__proto__" key in the object at "${pointer}"`;
    if (LONE_SURROGATE.test(name)) return `a key with a lone surrogate in the object at "${pointer}"`;
    seen.add(name);
    const found = violation(member.value, `${pointer}/${segment(name)}`);
    if (found) return found;
  }
  return undefined;
}

/** The first RFC 8785 violation in a parsed tree, as a message naming its JSON pointer. */
function violation(node: AnyNode, pointer: string): string | undefined {
  switch (node.type) {
    case 'String':
      return LONE_SURROGATE.test(node.value) ? `a lone surrogate at "${pointer}"` : undefined;
    case 'Array':
      for (const [i, element] of node.elements.entries()) {
        const found = violation(element.value, `${pointer}/${i}`);
        if (found) return found;
      }
      return undefined;
    case 'Object':
      return memberViolation(node, pointer);
    default:
      return undefined;
  }
}

/**
 * Refuses JSON text that RFC 8785 cannot canonicalize as sent: duplicate keys (JSON.parse would
 * silently keep the last, so a hash would cover something other than what was sent), lone
 * surrogates (JSON.stringify would silently escape them) and `__proto__` keys (parsers disagree
 * on them). JSON.parse cannot see duplicates, so the text is parsed again with momoa, whose tree
 * keeps every member. Text that is not JSON passes: JSON.parse reports it.
 * @throws ApiError 400 MALFORMED_JSON naming the violation and its JSON pointer, never a value.
 */
export function checkStrictJson(text: string): void {
  let found: string | undefined;
  try {
    found = violation(parse(text, { mode: 'json' }).body, '');
  } catch (err) {
    if (err instanceof RangeError) {
      throw new ApiError('MALFORMED_JSON', 'the request body is nested too deeply');
    }
    return;
  }
  if (found) {
    throw new ApiError('MALFORMED_JSON', `the request body holds ${found}; RFC 8785 JSON is required`);
  }
}
