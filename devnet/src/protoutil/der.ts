/**
 * The few ASN.1 DER shapes Fabric hashes or signs: non-negative INTEGERs, OCTET STRINGs and
 * SEQUENCEs. Hand-written because these are tiny and must match Go's `encoding/asn1` byte for byte.
 */

const TAG_INTEGER = 0x02;
const TAG_OCTET_STRING = 0x04;
const TAG_SEQUENCE = 0x30;

/** DER length octets: short form below 128, else long form with the minimal number of bytes. */
export function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = derLength(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

/**
 * DER INTEGER of a non-negative integer: minimal big-endian two's complement, so a 0x00 is
 * prepended when the top bit is set (as Go's asn1 marshals *big.Int).
 */
export function derInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new Error(`derInteger: negative values are not supported (got ${value})`);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return tlv(TAG_INTEGER, bytes);
}

/** DER OCTET STRING (an empty or absent byte string encodes as `04 00`, as in Go). */
export function derOctetString(value: Uint8Array | undefined): Uint8Array {
  return tlv(TAG_OCTET_STRING, value ?? new Uint8Array(0));
}

/** DER SEQUENCE of already encoded elements. */
export function derSequence(...elements: Uint8Array[]): Uint8Array {
  return tlv(TAG_SEQUENCE, Buffer.concat(elements));
}

/** A TLV read from DER input. */
interface Tlv {
  tag: number;
  content: Uint8Array;
  /** Offset just past this element. */
  end: number;
}

function readTlv(input: Uint8Array, offset: number): Tlv {
  if (offset + 2 > input.length) throw new Error('DER: truncated element');
  const tag = input[offset];
  let length = input[offset + 1];
  let pos = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: unsupported length encoding');
    if (pos + count > input.length) throw new Error('DER: truncated length');
    if (input[pos] === 0) throw new Error('DER: non-minimal length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + input[pos + i];
    if (length < 0x80) throw new Error('DER: non-minimal length');
    pos += count;
  }
  if (pos + length > input.length) throw new Error('DER: element longer than its input');
  return { tag, content: input.subarray(pos, pos + length), end: pos + length };
}

function integerValue(content: Uint8Array): bigint {
  if (content.length === 0) throw new Error('DER: empty integer');
  // Go's asn1 rejects non-minimally encoded integers; so do we.
  if (
    content.length > 1 &&
    ((content[0] === 0 && !(content[1] & 0x80)) || (content[0] === 0xff && content[1] & 0x80))
  ) {
    throw new Error('DER: integer not minimally encoded');
  }
  const negative = (content[0] & 0x80) !== 0;
  let v = BigInt('0x' + Buffer.from(content).toString('hex'));
  if (negative) v -= 1n << BigInt(content.length * 8);
  return v;
}

/**
 * Reads `SEQUENCE { INTEGER r, INTEGER s }` (an ECDSA signature) as Go's `asn1.Unmarshal` does:
 * bytes after the SEQUENCE are ignored, integers may come out zero or negative (callers check).
 */
export function parseDerIntegerPair(input: Uint8Array): { r: bigint; s: bigint } {
  const seq = readTlv(input, 0);
  if (seq.tag !== TAG_SEQUENCE) throw new Error('DER: expected a SEQUENCE');
  const r = readTlv(seq.content, 0);
  if (r.tag !== TAG_INTEGER) throw new Error('DER: expected INTEGER r');
  const s = readTlv(seq.content, r.end);
  if (s.tag !== TAG_INTEGER) throw new Error('DER: expected INTEGER s');
  if (s.end !== seq.content.length) throw new Error('DER: trailing data inside the SEQUENCE');
  return { r: integerValue(r.content), s: integerValue(s.content) };
}

/** Encodes `SEQUENCE { INTEGER r, INTEGER s }`. */
export function encodeDerIntegerPair(r: bigint, s: bigint): Uint8Array {
  return derSequence(derInteger(r), derInteger(s));
}
