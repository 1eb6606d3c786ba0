import { common, type peer } from '@hyperledger/fabric-protos';
import { bytesFieldSize, delimitedFieldSize } from '../protoutil/wiresize';

/** The two fields of a common.Header: the marshalled ChannelHeader and SignatureHeader. */
export interface HeaderParts {
  readonly channelHeader: Uint8Array;
  readonly signatureHeader: Uint8Array;
}

/** The fields of a peer.Endorsement. */
export interface EndorsementParts {
  readonly endorser: Uint8Array;
  readonly signature: Uint8Array;
}

/** An endorsed action: the agreed ProposalResponsePayload and the endorsements over it. */
export interface EndorsedAction {
  readonly proposalResponsePayload: Uint8Array;
  readonly endorsements: readonly EndorsementParts[];
}

/**
 * Assembles the unsigned transaction envelope from the proposal and its endorsements, as Fabric's gateway
 * prepareTransaction (submit.go) and protoutil.CreateTx do:
 * Envelope{payload: Payload{header: proposal header, data: Transaction{actions: [TransactionAction{
 * header: signature header bytes, payload: ChaincodeActionPayload{chaincode_proposal_payload: the proposal
 * payload WITHOUT its transient map, action: ChaincodeEndorsedAction}}]}}}. The client signs `payload`.
 *
 * The payload is encoded here in one buffer, field by field as google-protobuf encodes these messages (fields in
 * number order, empty bytes fields left out, message fields written when set, even when empty): the same bytes,
 * without the six message objects and five nested encodings that were 1.5 % of the gateway peer's busy time.
 */
export function prepareTransaction(
  header: HeaderParts,
  input: Uint8Array,
  action: EndorsedAction,
): common.Envelope {
  // The transient map is private to the endorsers: it must never be ordered or stored in a block.
  const cppLength = bytesFieldSize(input.length);
  const endorsementLengths = action.endorsements.map(
    (e) => bytesFieldSize(e.endorser.length) + bytesFieldSize(e.signature.length),
  );
  let endorsedActionLength = bytesFieldSize(action.proposalResponsePayload.length);
  for (const length of endorsementLengths) endorsedActionLength += messageField(length);
  const actionPayloadLength = bytesFieldSize(cppLength) + messageField(endorsedActionLength);
  const txActionLength = bytesFieldSize(header.signatureHeader.length) + bytesFieldSize(actionPayloadLength);
  const transactionLength = messageField(txActionLength);
  const headerLength =
    bytesFieldSize(header.channelHeader.length) + bytesFieldSize(header.signatureHeader.length);
  const payloadLength = messageField(headerLength) + bytesFieldSize(transactionLength);

  const w = new Writer(payloadLength);
  // Payload.header
  w.message(1, headerLength);
  w.bytes(1, header.channelHeader);
  w.bytes(2, header.signatureHeader);
  // Payload.data: Transaction.actions[0]
  w.length(2, transactionLength);
  w.message(1, txActionLength);
  w.bytes(1, header.signatureHeader);
  // TransactionAction.payload: ChaincodeActionPayload
  w.length(2, actionPayloadLength);
  w.length(1, cppLength);
  w.bytes(1, input);
  w.message(2, endorsedActionLength);
  w.bytes(1, action.proposalResponsePayload);
  action.endorsements.forEach((e, i) => {
    w.message(2, endorsementLengths[i]);
    w.bytes(1, e.endorser);
    w.bytes(2, e.signature);
  });
  const envelope = new common.Envelope();
  envelope.setPayload(w.done());
  return envelope;
}

/** An endorsed action over `proposalResponsePayload`, each endorser's endorsement once. */
export function newEndorsedAction(
  proposalResponsePayload: Uint8Array,
  endorsements: peer.Endorsement[],
): EndorsedAction {
  return {
    proposalResponsePayload,
    endorsements: uniqueEndorsements(endorsements).map((e) => ({
      endorser: e.getEndorser_asU8(),
      signature: e.getSignature_asU8(),
    })),
  };
}

/** Drops repeated endorsements by the same endorser identity, keeping the first (fabric uniqueEndorsements). */
export function uniqueEndorsements(endorsements: (peer.Endorsement | undefined)[]): peer.Endorsement[] {
  const seen = new Set<string>();
  const unique: peer.Endorsement[] = [];
  for (const endorsement of endorsements) {
    if (!endorsement) continue;
    const key = Buffer.from(endorsement.getEndorser_asU8()).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(endorsement);
  }
  return unique;
}

/** The encoded size of a set message field whose message is `length` bytes (written even when empty). */
function messageField(length: number): number {
  return delimitedFieldSize(length);
}

/** Writes length-delimited fields (numbers 1-15) into a buffer of the exact size. */
class Writer {
  private readonly buf: Uint8Array;
  private pos = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  /** A bytes field; nothing when empty. */
  bytes(field: number, value: Uint8Array): void {
    if (value.length === 0) return;
    this.header(field, value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** The tag and length of a bytes field whose content follows; nothing when it is empty. */
  length(field: number, length: number): void {
    if (length > 0) this.header(field, length);
  }

  /** The tag and length of a message field whose content follows (written even when empty). */
  message(field: number, length: number): void {
    this.header(field, length);
  }

  done(): Uint8Array {
    if (this.pos !== this.buf.length) throw new Error('prepareTransaction: encoded size mismatch');
    return this.buf;
  }

  private header(field: number, length: number): void {
    const buf = this.buf;
    buf[this.pos++] = (field << 3) | 2;
    while (length >= 0x80) {
      buf[this.pos++] = (length & 0x7f) | 0x80;
      length = Math.floor(length / 128);
    }
    buf[this.pos++] = length;
  }
}
