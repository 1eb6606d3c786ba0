/**
 * Light read-only views of the transaction messages the commit path reads (Envelope down to the
 * ChaincodeAction), decoded straight from the protobuf wire format.
 *
 * google-protobuf builds a full message object per decode (a BinaryReader, a Message with its array
 * storage, a copy of the field layout); a committing peer opens every transaction of a block five or six
 * times (validator, key-level policies, ledger metrics, block index, lifecycle cache), and session 7's
 * profiles put google-protobuf at 15-20 % of a peer's main thread. A view is a plain object of the fields
 * the peer reads; decoding one is several times cheaper.
 *
 * Rules of the views:
 * - Field numbers are Fabric's (fabric-protos common/common.proto, peer/transaction.proto,
 *   peer/proposal.proto, peer/proposal_response.proto, peer/chaincode.proto,
 *   peer/chaincode_event.proto, google/protobuf/timestamp.proto).
 * - Unknown fields are skipped, as is a known field sent with another wire type (Go's protobuf keeps
 *   both as unknown fields); a singular message field sent more than once is merged, as protobuf does.
 * - bytes fields are subarrays of the input (no copy); absent ones are an empty array. They are the
 *   bytes as received: hash and verify them, never re-encode a view (signatures cover the original
 *   bytes).
 * - Malformed input (a truncated varint or length, a length past the end, an invalid wire type) throws.
 */

/** An absent bytes field: shared, never written to. */
export const EMPTY: Uint8Array = new Uint8Array(0);

/** Protobuf wire types (the low three bits of a tag). */
export const VARINT = 0;
const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

/** A cursor over one message's bytes. */
export class WireReader {
  pos: number;
  /** {@link buf} as a Buffer, made on the first {@link string}. */
  private text: Buffer | undefined;

  constructor(
    readonly buf: Uint8Array,
    readonly end: number = buf.length,
  ) {
    this.pos = 0;
  }

  /** True while fields remain. */
  more(): boolean {
    return this.pos < this.end;
  }

  /** A varint's low 32 bits as an unsigned number (the rest of a longer varint is read and dropped). */
  uint32(): number {
    let p = this.pos;
    let b = this.byte(p++);
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = this.byte(p++);
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = this.byte(p++);
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = this.byte(p++);
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = this.byte(p++);
            v |= b << 28;
            while (b >= 0x80) {
              if (p - this.pos >= 10) throw new Error('invalid varint');
              b = this.byte(p++);
            }
          }
        }
      }
    }
    this.pos = p;
    return v >>> 0;
  }

  /** A 64-bit varint as a number (exact below 2^53); `signed` reads it as two's complement int64. */
  int64(signed: boolean): number {
    let lo = 0;
    let hi = 0;
    let p = this.pos;
    let shift = 0;
    let b: number;
    do {
      if (shift >= 70) throw new Error('invalid varint');
      b = this.byte(p++);
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
    } while (b >= 0x80);
    this.pos = p;
    if (signed && hi & 0x80000000) return (hi | 0) * 4294967296 + (lo >>> 0);
    return (hi >>> 0) * 4294967296 + (lo >>> 0);
  }

  /** A length-delimited field's bytes, as a subarray of the input. */
  bytes(): Uint8Array {
    const len = this.uint32();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new Error('invalid length: past the end of the message');
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  /** A length-delimited field as UTF-8 text. */
  string(): string {
    const len = this.uint32();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new Error('invalid length: past the end of the message');
    this.pos = end;
    // Node's UTF-8 decoder on a Buffer view: one string, a third of the time of building short ones a
    // character at a time (and none of their garbage), below the TextDecoder's call cost for long ones.
    this.text ??= Buffer.isBuffer(this.buf)
      ? this.buf
      : Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.text.toString('utf8', start, end);
  }

  /** Skips a field of wire type `wireType` (whose tag was just read). */
  skip(wireType: number, field: number): void {
    switch (wireType) {
      case VARINT:
        this.int64(false);
        return;
      case FIXED64:
        this.advance(8);
        return;
      case LENGTH_DELIMITED:
        this.advance(this.uint32());
        return;
      case START_GROUP:
        for (;;) {
          const tag = this.uint32();
          if ((tag & 7) === END_GROUP) {
            if (tag >>> 3 !== field) throw new Error('invalid end group tag');
            return;
          }
          this.skip(tag & 7, tag >>> 3);
        }
      case FIXED32:
        this.advance(4);
        return;
      default:
        throw new Error(`invalid wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new Error('invalid length: past the end of the message');
    this.pos += n;
  }

  private byte(p: number): number {
    if (p >= this.end) throw new Error('invalid varint: past the end of the message');
    return this.buf[p];
  }
}

/** A second occurrence of a singular message field merges with the first (protobuf's rule). */
export function merge(prev: Uint8Array | undefined, next: Uint8Array): Uint8Array {
  if (prev === undefined) return next;
  const out = new Uint8Array(prev.length + next.length);
  out.set(prev, 0);
  out.set(next, prev.length);
  return out;
}

/**
 * Fields 1 and 2 of a message whose only fields the peer reads are two bytes fields (Envelope, Header,
 * SignatureHeader, TransactionAction, Endorsement, ProposalResponsePayload); absent ones empty.
 */
function readBytesFields12(bytes: Uint8Array): [Uint8Array, Uint8Array] {
  const r = new WireReader(bytes);
  let first = EMPTY;
  let second = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) first = r.bytes();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) second = r.bytes();
    else r.skip(tag & 7, tag >>> 3);
  }
  return [first, second];
}

/** common.Envelope (common.proto). */
export interface EnvelopeView {
  /** 1: the marshalled Payload, as signed. */
  readonly payload: Uint8Array;
  /** 2: the creator's signature over `payload`. */
  readonly signature: Uint8Array;
}

/** Reads a common.Envelope. */
export function readEnvelope(bytes: Uint8Array): EnvelopeView {
  const [payload, signature] = readBytesFields12(bytes);
  return { payload, signature };
}

/** common.Header (common.proto). */
export interface HeaderView {
  /** 1: the marshalled ChannelHeader. */
  readonly channelHeader: Uint8Array;
  /** 2: the marshalled SignatureHeader. */
  readonly signatureHeader: Uint8Array;
}

/** Reads a common.Header. */
export function readHeader(bytes: Uint8Array): HeaderView {
  const [channelHeader, signatureHeader] = readBytesFields12(bytes);
  return { channelHeader, signatureHeader };
}

/** common.Payload (common.proto). */
export interface PayloadView {
  /** 1: the header, undefined when absent. */
  readonly header: HeaderView | undefined;
  /** 2: the marshalled body (a Transaction for ENDORSER_TRANSACTION, a ConfigEnvelope for CONFIG). */
  readonly data: Uint8Array;
}

/** Reads a common.Payload. */
export function readPayload(bytes: Uint8Array): PayloadView {
  const r = new WireReader(bytes);
  let header: Uint8Array | undefined;
  let data = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) header = merge(header, r.bytes());
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) data = r.bytes();
    else r.skip(tag & 7, tag >>> 3);
  }
  return { header: header === undefined ? undefined : readHeader(header), data };
}

/** google.protobuf.Timestamp. */
export interface TimestampView {
  /** 1: seconds since the Unix epoch (int64; exact below 2^53). */
  readonly seconds: number;
  /** 2: nanoseconds within the second. */
  readonly nanos: number;
}

/** Reads a google.protobuf.Timestamp. */
export function readTimestamp(bytes: Uint8Array): TimestampView {
  const r = new WireReader(bytes);
  let seconds = 0;
  let nanos = 0;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | VARINT)) seconds = r.int64(true);
    else if (tag === ((2 << 3) | VARINT)) nanos = r.uint32() | 0;
    else r.skip(tag & 7, tag >>> 3);
  }
  return { seconds, nanos };
}

/** common.ChannelHeader (common.proto). */
export interface ChannelHeaderView {
  /** 1: a common.HeaderType. */
  readonly type: number;
  /** 2 */
  readonly version: number;
  /** 3: undefined when absent. */
  readonly timestamp: TimestampView | undefined;
  /** 4 */
  readonly channelId: string;
  /** 5 */
  readonly txId: string;
  /** 6: uint64 (exact below 2^53). */
  readonly epoch: number;
  /** 7: for ENDORSER_TRANSACTION a marshalled ChaincodeHeaderExtension. */
  readonly extension: Uint8Array;
  /** 8 */
  readonly tlsCertHash: Uint8Array;
}

/** Reads a common.ChannelHeader. */
export function readChannelHeader(bytes: Uint8Array): ChannelHeaderView {
  const r = new WireReader(bytes);
  let type = 0;
  let version = 0;
  let timestamp: Uint8Array | undefined;
  let channelId = '';
  let txId = '';
  let epoch = 0;
  let extension = EMPTY;
  let tlsCertHash = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | VARINT:
        type = r.uint32() | 0;
        break;
      case (2 << 3) | VARINT:
        version = r.uint32() | 0;
        break;
      case (3 << 3) | LENGTH_DELIMITED:
        timestamp = merge(timestamp, r.bytes());
        break;
      case (4 << 3) | LENGTH_DELIMITED:
        channelId = r.string();
        break;
      case (5 << 3) | LENGTH_DELIMITED:
        txId = r.string();
        break;
      case (6 << 3) | VARINT:
        epoch = r.int64(false);
        break;
      case (7 << 3) | LENGTH_DELIMITED:
        extension = r.bytes();
        break;
      case (8 << 3) | LENGTH_DELIMITED:
        tlsCertHash = r.bytes();
        break;
      default:
        r.skip(tag & 7, tag >>> 3);
    }
  }
  return {
    type,
    version,
    timestamp: timestamp === undefined ? undefined : readTimestamp(timestamp),
    channelId,
    txId,
    epoch,
    extension,
    tlsCertHash,
  };
}

/** common.SignatureHeader (common.proto). */
export interface SignatureHeaderView {
  /** 1: the creator's serialized identity (msp.SerializedIdentity). */
  readonly creator: Uint8Array;
  /** 2 */
  readonly nonce: Uint8Array;
}

/** Reads a common.SignatureHeader. */
export function readSignatureHeader(bytes: Uint8Array): SignatureHeaderView {
  const [creator, nonce] = readBytesFields12(bytes);
  return { creator, nonce };
}

/** peer.TransactionAction (peer/transaction.proto). */
export interface TransactionActionView {
  /** 1: the proposal's marshalled SignatureHeader. */
  readonly header: Uint8Array;
  /** 2: a marshalled ChaincodeActionPayload. */
  readonly payload: Uint8Array;
}

/** peer.Transaction (peer/transaction.proto). */
export interface TransactionView {
  /** 1 */
  readonly actions: TransactionActionView[];
}

/** Reads a peer.Transaction. */
export function readTransaction(bytes: Uint8Array): TransactionView {
  const r = new WireReader(bytes);
  const actions: TransactionActionView[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) actions.push(readTransactionAction(r.bytes()));
    else r.skip(tag & 7, tag >>> 3);
  }
  return { actions };
}

/** Reads a peer.TransactionAction. */
export function readTransactionAction(bytes: Uint8Array): TransactionActionView {
  const [header, payload] = readBytesFields12(bytes);
  return { header, payload };
}

/** peer.Endorsement (peer/proposal_response.proto). */
export interface EndorsementView {
  /** 1: the endorser's serialized identity. */
  readonly endorser: Uint8Array;
  /** 2: its signature over the ProposalResponsePayload bytes ‖ `endorser`. */
  readonly signature: Uint8Array;
}

/** Reads a peer.Endorsement. */
export function readEndorsement(bytes: Uint8Array): EndorsementView {
  const [endorser, signature] = readBytesFields12(bytes);
  return { endorser, signature };
}

/** peer.ChaincodeEndorsedAction (peer/transaction.proto). */
export interface ChaincodeEndorsedActionView {
  /** 1: the marshalled ProposalResponsePayload every endorsement signed. */
  readonly proposalResponsePayload: Uint8Array;
  /** 2 */
  readonly endorsements: EndorsementView[];
}

/** Reads a peer.ChaincodeEndorsedAction. */
export function readChaincodeEndorsedAction(bytes: Uint8Array): ChaincodeEndorsedActionView {
  const r = new WireReader(bytes);
  let proposalResponsePayload = EMPTY;
  const endorsements: EndorsementView[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) proposalResponsePayload = r.bytes();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) endorsements.push(readEndorsement(r.bytes()));
    else r.skip(tag & 7, tag >>> 3);
  }
  return { proposalResponsePayload, endorsements };
}

/** peer.ChaincodeActionPayload (peer/transaction.proto). */
export interface ChaincodeActionPayloadView {
  /** 1: the marshalled ChaincodeProposalPayload (without the transient map). */
  readonly chaincodeProposalPayload: Uint8Array;
  /** 2: undefined when absent. */
  readonly action: ChaincodeEndorsedActionView | undefined;
}

/** Reads a peer.ChaincodeActionPayload. */
export function readChaincodeActionPayload(bytes: Uint8Array): ChaincodeActionPayloadView {
  const r = new WireReader(bytes);
  let chaincodeProposalPayload = EMPTY;
  let action: Uint8Array | undefined;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) chaincodeProposalPayload = r.bytes();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) action = merge(action, r.bytes());
    else r.skip(tag & 7, tag >>> 3);
  }
  return {
    chaincodeProposalPayload,
    action: action === undefined ? undefined : readChaincodeEndorsedAction(action),
  };
}

/** peer.ProposalResponsePayload (peer/proposal_response.proto). */
export interface ProposalResponsePayloadView {
  /** 1: GetProposalHash2 of the proposal. */
  readonly proposalHash: Uint8Array;
  /** 2: for a chaincode, a marshalled ChaincodeAction. */
  readonly extension: Uint8Array;
}

/** Reads a peer.ProposalResponsePayload. */
export function readProposalResponsePayload(bytes: Uint8Array): ProposalResponsePayloadView {
  const [proposalHash, extension] = readBytesFields12(bytes);
  return { proposalHash, extension };
}

/** peer.ChaincodeID (peer/chaincode.proto). */
export interface ChaincodeIdView {
  /** 1 */
  readonly path: string;
  /** 2 */
  readonly name: string;
  /** 3 */
  readonly version: string;
}

/** Reads a peer.ChaincodeID. */
export function readChaincodeId(bytes: Uint8Array): ChaincodeIdView {
  const r = new WireReader(bytes);
  let path = '';
  let name = '';
  let version = '';
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) path = r.string();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) name = r.string();
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) version = r.string();
    else r.skip(tag & 7, tag >>> 3);
  }
  return { path, name, version };
}

/** peer.Response (peer/proposal_response.proto). */
export interface ResponseView {
  /** 1 */
  readonly status: number;
  /** 2 */
  readonly message: string;
  /** 3 */
  readonly payload: Uint8Array;
}

/** Reads a peer.Response. */
export function readResponse(bytes: Uint8Array): ResponseView {
  const r = new WireReader(bytes);
  let status = 0;
  let message = '';
  let payload = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | VARINT)) status = r.uint32() | 0;
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) message = r.string();
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) payload = r.bytes();
    else r.skip(tag & 7, tag >>> 3);
  }
  return { status, message, payload };
}

/** peer.ChaincodeAction (peer/proposal.proto). */
export interface ChaincodeActionView {
  /** 1: the marshalled TxReadWriteSet. */
  readonly results: Uint8Array;
  /** 2: the marshalled ChaincodeEvent (empty when the chaincode set none). */
  readonly events: Uint8Array;
  /** 3: undefined when absent. */
  readonly response: ResponseView | undefined;
  /** 4: undefined when absent. */
  readonly chaincodeId: ChaincodeIdView | undefined;
}

/** Reads a peer.ChaincodeAction. */
export function readChaincodeAction(bytes: Uint8Array): ChaincodeActionView {
  const r = new WireReader(bytes);
  let results = EMPTY;
  let events = EMPTY;
  let response: Uint8Array | undefined;
  let chaincodeId: Uint8Array | undefined;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) results = r.bytes();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) events = r.bytes();
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) response = merge(response, r.bytes());
    else if (tag === ((4 << 3) | LENGTH_DELIMITED)) chaincodeId = merge(chaincodeId, r.bytes());
    else r.skip(tag & 7, tag >>> 3);
  }
  return {
    results,
    events,
    response: response === undefined ? undefined : readResponse(response),
    chaincodeId: chaincodeId === undefined ? undefined : readChaincodeId(chaincodeId),
  };
}

/** peer.ChaincodeHeaderExtension (peer/proposal.proto; field 1 is reserved). */
export interface ChaincodeHeaderExtensionView {
  /** 2: undefined when absent. */
  readonly chaincodeId: ChaincodeIdView | undefined;
}

/** Reads a peer.ChaincodeHeaderExtension. */
export function readChaincodeHeaderExtension(bytes: Uint8Array): ChaincodeHeaderExtensionView {
  const r = new WireReader(bytes);
  let chaincodeId: Uint8Array | undefined;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((2 << 3) | LENGTH_DELIMITED)) chaincodeId = merge(chaincodeId, r.bytes());
    else r.skip(tag & 7, tag >>> 3);
  }
  return { chaincodeId: chaincodeId === undefined ? undefined : readChaincodeId(chaincodeId) };
}

/** peer.ChaincodeEvent (peer/chaincode_event.proto). */
export interface ChaincodeEventView {
  /** 1 */
  readonly chaincodeId: string;
  /** 2 */
  readonly txId: string;
  /** 3 */
  readonly eventName: string;
  /** 4 */
  readonly payload: Uint8Array;
}

/** Reads a peer.ChaincodeEvent. */
export function readChaincodeEvent(bytes: Uint8Array): ChaincodeEventView {
  const r = new WireReader(bytes);
  let chaincodeId = '';
  let txId = '';
  let eventName = '';
  let payload = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) chaincodeId = r.string();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) txId = r.string();
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) eventName = r.string();
    else if (tag === ((4 << 3) | LENGTH_DELIMITED)) payload = r.bytes();
    else r.skip(tag & 7, tag >>> 3);
  }
  return { chaincodeId, txId, eventName, payload };
}

/** An envelope read down to its channel header (what the block index, metrics and caches need). */
export interface EnvelopeHeaderViews {
  envelope: EnvelopeView;
  payload: PayloadView;
  /** Undefined when the payload has no header. */
  channelHeader: ChannelHeaderView | undefined;
}

/** Reads an envelope, its payload and its channel header. Throws when one does not decode. */
export function readEnvelopeHeaders(envelopeBytes: Uint8Array): EnvelopeHeaderViews {
  const envelope = readEnvelope(envelopeBytes);
  const payload = readPayload(envelope.payload);
  const channelHeader = payload.header && readChannelHeader(payload.header.channelHeader);
  return { envelope, payload, channelHeader };
}
