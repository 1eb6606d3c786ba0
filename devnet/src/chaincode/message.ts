/**
 * The shim protocol's messages (fabric-protos peer/chaincode_shim.proto), encoded and decoded by hand.
 *
 * Every state request of a transaction is one ChaincodeMessage each way, and an egov registration makes
 * eleven; google-protobuf built a message object for each of them and for the request inside it, and
 * session 15's profiles put that, with the garbage it left, at 5-8 % of an endorsing peer's CPU. These
 * plain objects and codecs follow protoutil/views' rules: unknown fields are skipped, bytes are
 * subarrays of the input, malformed input throws.
 */
import { EMPTY, LENGTH_DELIMITED, VARINT, WireReader, merge } from '../protoutil/views';
import { bytesFieldSize, delimitedFieldSize, stringFieldSize, varintFieldSize } from '../protoutil/wiresize';
import { WireWriter } from '../protoutil/wirewriter';

/** A ChaincodeMessage; message fields are kept as their serialized bytes. */
export interface ChaincodeMessage {
  /** 1: ChaincodeMessage.Type. */
  type: number;
  /** 3. */
  payload: Uint8Array;
  /** 4. */
  txid: string;
  /** 7. */
  channelId: string;
  /** 5: the serialized SignedProposal of an INIT or TRANSACTION; undefined when absent. */
  proposal?: Uint8Array;
  /** 6: the serialized ChaincodeEvent of a COMPLETED; undefined when absent (empty bytes when sent empty). */
  chaincodeEvent?: Uint8Array;
}

/** Tag byte of field `n` (1-15) with wire type `wire`. */
function tag(n: number, wire: number): number {
  return (n << 3) | wire;
}

/** The message's wire bytes, in field order, as google-protobuf writes them (proto3 defaults left out). */
export function encodeChaincodeMessage(m: ChaincodeMessage): Uint8Array {
  const size =
    varintFieldSize(m.type) +
    bytesFieldSize(m.payload.length) +
    stringFieldSize(m.txid) +
    (m.proposal === undefined ? 0 : delimitedFieldSize(m.proposal.length)) +
    (m.chaincodeEvent === undefined ? 0 : delimitedFieldSize(m.chaincodeEvent.length)) +
    stringFieldSize(m.channelId);
  // Sent at once: the gRPC layer copies it into its frame.
  const w = new WireWriter(size, true);
  w.varintField(tag(1, VARINT), m.type);
  w.bytes(tag(3, LENGTH_DELIMITED), m.payload);
  w.string(tag(4, LENGTH_DELIMITED), m.txid);
  if (m.proposal !== undefined) w.message(tag(5, LENGTH_DELIMITED), m.proposal);
  if (m.chaincodeEvent !== undefined) w.message(tag(6, LENGTH_DELIMITED), m.chaincodeEvent);
  w.string(tag(7, LENGTH_DELIMITED), m.channelId);
  return w.done('ChaincodeMessage');
}

/** Decodes a ChaincodeMessage (the timestamp, field 2, is read past: the peer does not use it). */
export function decodeChaincodeMessage(bytes: Uint8Array): ChaincodeMessage {
  const r = new WireReader(bytes);
  const m: ChaincodeMessage = { type: 0, payload: EMPTY, txid: '', channelId: '' };
  while (r.more()) {
    const t = r.uint32();
    switch (t) {
      case tag(1, VARINT):
        m.type = r.uint32();
        break;
      case tag(3, LENGTH_DELIMITED):
        m.payload = r.bytes();
        break;
      case tag(4, LENGTH_DELIMITED):
        m.txid = r.string();
        break;
      case tag(5, LENGTH_DELIMITED):
        m.proposal = merge(m.proposal, r.bytes());
        break;
      case tag(6, LENGTH_DELIMITED):
        m.chaincodeEvent = merge(m.chaincodeEvent, r.bytes());
        break;
      case tag(7, LENGTH_DELIMITED):
        m.channelId = r.string();
        break;
      default:
        r.skip(t & 7, t >>> 3);
    }
  }
  return m;
}

/** A serialized SignedProposal {proposal_bytes = 1, signature = 2}. */
export function encodeSignedProposal(proposalBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  // Copied into the TRANSACTION message that carries it.
  const w = new WireWriter(bytesFieldSize(proposalBytes.length) + bytesFieldSize(signature.length), true);
  w.bytes(tag(1, LENGTH_DELIMITED), proposalBytes);
  w.bytes(tag(2, LENGTH_DELIMITED), signature);
  return w.done('SignedProposal');
}

/** A state request naming a key: GetState, DelState, GetStateMetadata (key = 1, collection = 2). */
export interface KeyRequest {
  key: string;
  collection: string;
}

/** Decodes GetState, DelState or GetStateMetadata. */
export function decodeKeyRequest(bytes: Uint8Array): KeyRequest {
  const r = new WireReader(bytes);
  const req: KeyRequest = { key: '', collection: '' };
  while (r.more()) {
    const t = r.uint32();
    if (t === tag(1, LENGTH_DELIMITED)) req.key = r.string();
    else if (t === tag(2, LENGTH_DELIMITED)) req.collection = r.string();
    else r.skip(t & 7, t >>> 3);
  }
  return req;
}

/** PutState {key = 1, value = 2, collection = 3}. */
export interface PutStateRequest extends KeyRequest {
  value: Uint8Array;
}

/** Decodes PutState. */
export function decodePutState(bytes: Uint8Array): PutStateRequest {
  const r = new WireReader(bytes);
  const req: PutStateRequest = { key: '', value: EMPTY, collection: '' };
  while (r.more()) {
    const t = r.uint32();
    if (t === tag(1, LENGTH_DELIMITED)) req.key = r.string();
    else if (t === tag(2, LENGTH_DELIMITED)) req.value = r.bytes();
    else if (t === tag(3, LENGTH_DELIMITED)) req.collection = r.string();
    else r.skip(t & 7, t >>> 3);
  }
  return req;
}

/** PutStateMetadata {key = 1, collection = 3, metadata = 4: StateMetadata {metakey = 1, value = 2}}. */
export interface PutStateMetadataRequest extends KeyRequest {
  /** undefined when the request carries no metadata. */
  metadata?: { metakey: string; value: Uint8Array };
}

/** Decodes PutStateMetadata. */
export function decodePutStateMetadata(bytes: Uint8Array): PutStateMetadataRequest {
  const r = new WireReader(bytes);
  const req: PutStateMetadataRequest = { key: '', collection: '' };
  let metadata: Uint8Array | undefined;
  while (r.more()) {
    const t = r.uint32();
    if (t === tag(1, LENGTH_DELIMITED)) req.key = r.string();
    else if (t === tag(3, LENGTH_DELIMITED)) req.collection = r.string();
    else if (t === tag(4, LENGTH_DELIMITED)) metadata = merge(metadata, r.bytes());
    else r.skip(t & 7, t >>> 3);
  }
  if (metadata !== undefined) {
    const md = { metakey: '', value: EMPTY };
    const m = new WireReader(metadata);
    while (m.more()) {
      const t = m.uint32();
      if (t === tag(1, LENGTH_DELIMITED)) md.metakey = m.string();
      else if (t === tag(2, LENGTH_DELIMITED)) md.value = m.bytes();
      else m.skip(t & 7, t >>> 3);
    }
    req.metadata = md;
  }
  return req;
}
