/** ASCII codes the scanner looks at (UTF-8 multi-byte sequences never contain them). */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * The deepest nesting of arrays and objects in UTF-8 JSON text, found in one pass without
 * recursion or parsing (so it is safe on any input, valid JSON or not). Stops counting once
 * `stopAbove` is exceeded.
 */
export function jsonNestingDepth(bytes: Uint8Array, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (OPENERS.has(b)) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (CLOSERS.has(b)) {
      depth--;
    }
  }
  return deepest;
}
