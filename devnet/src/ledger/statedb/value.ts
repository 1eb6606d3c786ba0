import type { Version } from './version';

/** A committed value with its version and optional metadata (serialized KVMetadataWrite). */
export interface VersionedValue {
  value: Uint8Array;
  version: Version;
  metadata?: Uint8Array;
}

const FORMAT = 1;
const HEADER = 1 + 8 + 8 + 4;

/**
 * Encodes a value for LevelDB: format byte, blockNum and txNum (u64 BE), value length (u32 BE),
 * value, then the metadata bytes if any (Fabric stores a DBValue proto; the layout is private to devnet).
 */
export function encodeValue(v: VersionedValue): Buffer {
  const meta = v.metadata ?? new Uint8Array(0);
  const out = Buffer.alloc(HEADER + v.value.length + 1 + meta.length);
  out[0] = FORMAT;
  out.writeBigUInt64BE(BigInt(v.version.blockNum), 1);
  out.writeBigUInt64BE(BigInt(v.version.txNum), 9);
  out.writeUInt32BE(v.value.length, 17);
  out.set(v.value, HEADER);
  out[HEADER + v.value.length] = v.metadata === undefined ? 0 : 1;
  out.set(meta, HEADER + v.value.length + 1);
  return out;
}

/** Decodes what {@link encodeValue} wrote; throws on an unknown format or truncated bytes. */
export function decodeValue(bytes: Uint8Array): VersionedValue {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER + 1 || buf[0] !== FORMAT) {
    throw new Error(`state value has an unknown format (length ${buf.length}, format byte ${buf[0]})`);
  }
  const version = { blockNum: Number(buf.readBigUInt64BE(1)), txNum: Number(buf.readBigUInt64BE(9)) };
  const valueLength = buf.readUInt32BE(17);
  const metaFlag = HEADER + valueLength;
  if (metaFlag >= buf.length) {
    throw new Error(`state value is truncated: value length ${valueLength}, ${buf.length} bytes in all`);
  }
  const value = new Uint8Array(buf.subarray(HEADER, metaFlag));
  const result: VersionedValue = { value, version };
  if (buf[metaFlag] === 1) {
    result.metadata = new Uint8Array(buf.subarray(metaFlag + 1));
  }
  return result;
}
