import { common, orderer } from '@hyperledger/fabric-protos';

/**
 * The orderer's own encoding shortcuts, each giving exactly the bytes google-protobuf (and Go's
 * proto.Marshal, for these messages) would give:
 * - a Broadcast envelope goes into its block as the bytes it arrived in when those are the
 *   canonical encoding of the decoded Envelope (they are for every protobuf library's output), so
 *   it is not re-encoded;
 * - a Deliver response for a block is the block's stored bytes behind a field tag, so the block is
 *   neither decoded nor re-encoded for each Deliver stream;
 * - Broadcast's SUCCESS response is encoded once.
 */

/** The bytes each Broadcast envelope arrived in (set by {@link deserializeEnvelope}). */
const received = new WeakMap<common.Envelope, Uint8Array>();

/** Broadcast's request deserializer: the Envelope, remembering the bytes it was decoded from. */
export function deserializeEnvelope(buf: Buffer): common.Envelope {
  const bytes = new Uint8Array(buf); // a copy, as the generated deserializer makes: grpc-js may reuse buf
  const env = common.Envelope.deserializeBinary(bytes);
  received.set(env, bytes);
  return env;
}

/**
 * The SUCCESS response Broadcast sends for every message it takes: one shared object (never changed),
 * encoded once by {@link serializeBroadcastResponse}.
 */
export const BROADCAST_SUCCESS: orderer.BroadcastResponse = (() => {
  const r = new orderer.BroadcastResponse();
  r.setStatus(common.Status.SUCCESS);
  return r;
})();
const BROADCAST_SUCCESS_BYTES = Buffer.from(BROADCAST_SUCCESS.serializeBinary());

/** Broadcast's response serializer: {@link BROADCAST_SUCCESS}'s bytes made once, any other response encoded. */
export function serializeBroadcastResponse(r: orderer.BroadcastResponse): Buffer {
  if (r === BROADCAST_SUCCESS) return BROADCAST_SUCCESS_BYTES;
  if (!(r instanceof orderer.BroadcastResponse))
    throw new Error('Expected argument of type orderer.BroadcastResponse');
  return Buffer.from(r.serializeBinary());
}

/**
 * The encoding of `env` as a block's data entry (fabric blockwriter: proto.Marshal of the
 * envelope): the bytes it arrived in if they are exactly that encoding, else a fresh encoding.
 */
export function envelopeBytes(env: common.Envelope): Uint8Array {
  const raw = received.get(env);
  if (raw && isCanonicalEnvelope(raw, env.getPayload_asU8().length, env.getSignature_asU8().length))
    return raw;
  return env.serializeBinary();
}

/**
 * Whether `raw` is `payload` (field 1) then `signature` (field 2), each with its minimal length
 * prefix and left out when empty, and nothing else: the canonical encoding of an Envelope that
 * decodes to fields of these lengths.
 */
export function isCanonicalEnvelope(
  raw: Uint8Array,
  payloadLength: number,
  signatureLength: number,
): boolean {
  let at = 0;
  for (const [tag, length] of [
    [0x0a, payloadLength],
    [0x12, signatureLength],
  ]) {
    if (length === 0) continue;
    if (raw[at] !== tag) return false;
    const prefix = readVarint(raw, at + 1);
    if (prefix === undefined || prefix.value !== length || prefix.bytes !== varintLength(length))
      return false;
    at += 1 + prefix.bytes + length;
  }
  return at === raw.length;
}

/** Deliver's response serializer: a DeliverResponse, or bytes {@link encodeBlockResponse} made. */
export function serializeDeliverResponse(r: orderer.DeliverResponse | Uint8Array): Buffer {
  if (r instanceof Uint8Array) return Buffer.from(r.buffer, r.byteOffset, r.byteLength);
  if (!(r instanceof orderer.DeliverResponse))
    throw new Error('Expected argument of type orderer.DeliverResponse');
  return Buffer.from(r.serializeBinary());
}

/** DeliverResponse's `block` field (oneof Type: status = 1, block = 2), length-delimited. */
const DELIVER_RESPONSE_BLOCK_TAG = 0x12;

/**
 * The encoded `orderer.DeliverResponse{block}` for a block stored as `blockBytes` (a canonical
 * encoding, as the block store keeps them): the same bytes as setting the decoded block on a
 * DeliverResponse and serializing it.
 */
export function encodeBlockResponse(blockBytes: Uint8Array): Uint8Array {
  const prefix = varintLength(blockBytes.length);
  const out = Buffer.allocUnsafe(1 + prefix + blockBytes.length);
  out[0] = DELIVER_RESPONSE_BLOCK_TAG;
  let n = blockBytes.length;
  let at = 1;
  while (n >= 0x80) {
    out[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  out.set(blockBytes, at);
  return out;
}

/**
 * The encoded Deliver responses of a channel's newest blocks, made once for every Deliver stream
 * (the peers read each new block at about the same time). Holds the `size` most recently asked for.
 */
export class BlockResponses {
  private readonly cache = new Map<number, Promise<Uint8Array | undefined>>();

  constructor(
    private readonly blockBytes: (n: number) => Promise<Uint8Array | undefined>,
    private readonly size = 4,
  ) {}

  /** The encoded response for block `n`, undefined if the store does not have it. */
  get(n: number): Promise<Uint8Array | undefined> {
    let found = this.cache.get(n);
    if (found) return found;
    found = this.blockBytes(n).then((bytes) => (bytes ? encodeBlockResponse(bytes) : undefined));
    this.cache.set(n, found);
    found.then(
      (r) => r === undefined && this.cache.get(n) === found && this.cache.delete(n),
      () => this.cache.get(n) === found && this.cache.delete(n),
    );
    if (this.cache.size > this.size) this.cache.delete(this.cache.keys().next().value as number);
    return found;
  }
}

function varintLength(n: number): number {
  let bytes = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    bytes++;
  }
  return bytes;
}

function readVarint(b: Uint8Array, at: number): { value: number; bytes: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < b.length && i < at + 8; i++) {
    value += (b[i] & 0x7f) * scale;
    if ((b[i] & 0x80) === 0) return { value, bytes: i - at + 1 };
    scale *= 128;
  }
  return undefined;
}
