/**
 * LevelDB key layout, as Fabric's stateleveldb: data keys are `'d' ‖ namespace ‖ 0x00 ‖ key` (UTF-8),
 * the savepoint is the single key `'s'`. A namespace's keys therefore lie in
 * [`'d' ‖ ns ‖ 0x00`, `'d' ‖ ns ‖ 0x01`), whatever bytes (0x00, U+10FFFF) the keys contain.
 */

const DATA_PREFIX = 0x64; // 'd'
const NS_KEY_SEPARATOR = 0x00;
const LAST_KEY_INDICATOR = 0x01;

/** The savepoint's LevelDB key (Fabric's `savePointKey`). */
export const SAVEPOINT_KEY = Buffer.from('s');

/** Encodes (namespace, key) to a LevelDB key; the namespace must not contain U+0000. */
export function encodeDataKey(ns: string, key: string): Buffer {
  if (ns.includes('\u0000')) {
    throw new Error(`namespace "${ns.split('\u0000').join('\\0')}" must not contain U+0000`);
  }
  const nsLength = Buffer.byteLength(ns, 'utf8');
  const out = Buffer.allocUnsafe(2 + nsLength + Buffer.byteLength(key, 'utf8'));
  out[0] = DATA_PREFIX;
  out.write(ns, 1, 'utf8');
  out[1 + nsLength] = NS_KEY_SEPARATOR;
  out.write(key, 2 + nsLength, 'utf8');
  return out;
}

/** The first LevelDB key after every key of `ns` (Fabric: end key '' → separator replaced by 0x01). */
export function namespaceEndKey(ns: string): Buffer {
  const out = encodeDataKey(ns, '');
  out[out.length - 1] = LAST_KEY_INDICATOR;
  return out;
}

/** Decodes a data key back to (namespace, key). */
export function decodeDataKey(dataKey: Uint8Array): { ns: string; key: string } {
  const buf = Buffer.from(dataKey.buffer, dataKey.byteOffset, dataKey.byteLength);
  if (buf[0] !== DATA_PREFIX) {
    throw new Error(`LevelDB key does not start with the data prefix 'd' (first byte ${buf[0]})`);
  }
  const sep = buf.indexOf(NS_KEY_SEPARATOR, 1);
  if (sep < 0) {
    throw new Error('LevelDB data key has no namespace separator');
  }
  return { ns: buf.toString('utf8', 1, sep), key: buf.toString('utf8', sep + 1) };
}
