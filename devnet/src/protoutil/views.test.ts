import { common, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { endorsedTx, newTestChannel, TestChannel, testGenesisBlock } from '../validator/testing';
import {
  WireReader,
  readChaincodeAction,
  readChaincodeActionPayload,
  readChaincodeEvent,
  readChaincodeHeaderExtension,
  readChannelHeader,
  readEnvelope,
  readEnvelopeHeaders,
  readPayload,
  readProposalResponsePayload,
  readSignatureHeader,
  readTimestamp,
  readTransaction,
} from './views';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let ch: TestChannel;
beforeAll(async () => {
  ch = await newTestChannel('egov', ['ImmigrationMSP', 'EducationMSP']);
});

/** A field google-protobuf's generated code does not know: number 15, length-delimited. */
const unknownField = Uint8Array.from([(15 << 3) | 2, 3, 1, 2, 3]);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));

describe('views of an endorsed transaction agree with google-protobuf', () => {
  it('opens Envelope down to the ChaincodeAction with the same fields and the bytes as received', () => {
    const [a, b] = ch.orgs;
    const { envelope, txId } = endorsedTx('egov', a.member, [a.member, b.member], {
      writes: { k1: 'v1' },
      reads: { k0: { blockNum: 3, txNum: 1 } },
    });
    const bytes = envelope.serializeBinary();

    const env = readEnvelope(bytes);
    expect(hex(env.payload)).toBe(hex(envelope.getPayload_asU8()));
    expect(hex(env.signature)).toBe(hex(envelope.getSignature_asU8()));
    expect(env.payload.buffer).toBe(bytes.buffer); // a subarray, not a copy

    const gPayload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const { payload, channelHeader } = readEnvelopeHeaders(bytes);
    expect(hex(payload.header!.channelHeader)).toBe(hex(gPayload.getHeader()!.getChannelHeader_asU8()));
    expect(hex(payload.header!.signatureHeader)).toBe(hex(gPayload.getHeader()!.getSignatureHeader_asU8()));
    expect(hex(payload.data)).toBe(hex(gPayload.getData_asU8()));

    const gChdr = common.ChannelHeader.deserializeBinary(gPayload.getHeader()!.getChannelHeader_asU8());
    expect(channelHeader).toMatchObject({
      type: common.HeaderType.ENDORSER_TRANSACTION,
      version: gChdr.getVersion(),
      channelId: 'egov',
      txId,
      epoch: 0,
    });
    expect(channelHeader!.timestamp).toEqual({
      seconds: gChdr.getTimestamp()!.getSeconds(),
      nanos: gChdr.getTimestamp()!.getNanos(),
    });
    expect(channelHeader!.timestamp!.seconds).toBeGreaterThan(1_600_000_000);
    expect(hex(channelHeader!.extension)).toBe(hex(gChdr.getExtension_asU8()));
    expect(channelHeader!.tlsCertHash).toHaveLength(0);

    const shdr = readSignatureHeader(payload.header!.signatureHeader);
    const gShdr = common.SignatureHeader.deserializeBinary(gPayload.getHeader()!.getSignatureHeader_asU8());
    expect(hex(shdr.creator)).toBe(hex(gShdr.getCreator_asU8()));
    expect(hex(shdr.nonce)).toBe(hex(gShdr.getNonce_asU8()));
    expect(shdr.nonce.length).toBeGreaterThan(0);

    const ext = readChaincodeHeaderExtension(channelHeader!.extension);
    const gExt = peer.ChaincodeHeaderExtension.deserializeBinary(gChdr.getExtension_asU8());
    expect(ext.chaincodeId).toEqual({
      path: gExt.getChaincodeId()!.getPath(),
      name: 'egov',
      version: gExt.getChaincodeId()!.getVersion(),
    });

    const tx = readTransaction(payload.data);
    const gTx = peer.Transaction.deserializeBinary(gPayload.getData_asU8());
    expect(tx.actions).toHaveLength(1);
    expect(hex(tx.actions[0].header)).toBe(hex(gTx.getActionsList()[0].getHeader_asU8()));
    expect(hex(tx.actions[0].payload)).toBe(hex(gTx.getActionsList()[0].getPayload_asU8()));

    const cap = readChaincodeActionPayload(tx.actions[0].payload);
    const gCap = peer.ChaincodeActionPayload.deserializeBinary(gTx.getActionsList()[0].getPayload_asU8());
    expect(hex(cap.chaincodeProposalPayload)).toBe(hex(gCap.getChaincodeProposalPayload_asU8()));
    const gAction = gCap.getAction()!;
    expect(hex(cap.action!.proposalResponsePayload)).toBe(hex(gAction.getProposalResponsePayload_asU8()));
    expect(cap.action!.endorsements.map((e) => [hex(e.endorser), hex(e.signature)])).toEqual(
      gAction.getEndorsementsList().map((e) => [hex(e.getEndorser_asU8()), hex(e.getSignature_asU8())]),
    );
    expect(cap.action!.endorsements).toHaveLength(2);

    const prp = readProposalResponsePayload(cap.action!.proposalResponsePayload);
    const gPrp = peer.ProposalResponsePayload.deserializeBinary(gAction.getProposalResponsePayload_asU8());
    expect(hex(prp.proposalHash)).toBe(hex(gPrp.getProposalHash_asU8()));
    expect(hex(prp.extension)).toBe(hex(gPrp.getExtension_asU8()));

    const action = readChaincodeAction(prp.extension);
    const gCca = peer.ChaincodeAction.deserializeBinary(gPrp.getExtension_asU8());
    expect(hex(action.results)).toBe(hex(gCca.getResults_asU8()));
    expect(action.results.length).toBeGreaterThan(0);
    expect(action.events).toHaveLength(0); // absent: empty, as google-protobuf's _asU8
    expect(action.response).toEqual({ status: 200, message: '', payload: new Uint8Array() });
    expect(action.chaincodeId).toEqual({ path: '', name: 'egov', version: '0.1' });
  });

  it('reads a CONFIG envelope without a signature header or extension', () => {
    const block = testGenesisBlock(ch);
    const bytes = block.getData()!.getDataList_asU8()[0];
    const { envelope, payload, channelHeader } = readEnvelopeHeaders(bytes);
    expect(envelope.signature).toHaveLength(0);
    expect(channelHeader).toEqual({
      type: common.HeaderType.CONFIG,
      version: 0,
      timestamp: undefined,
      channelId: 'egov',
      txId: '',
      epoch: 0,
      extension: new Uint8Array(),
      tlsCertHash: new Uint8Array(),
    });
    expect(readSignatureHeader(payload.header!.signatureHeader)).toEqual({
      creator: new Uint8Array(),
      nonce: new Uint8Array(),
    });
    const config = common.ConfigEnvelope.deserializeBinary(payload.data);
    expect(config.getConfig()!.getChannelGroup()).toBeDefined();
  });
});

describe('wire format rules', () => {
  it('reads strings as UTF-8, from any part of any Uint8Array, as TextDecoder does', () => {
    const texts = ['', 'egov', 'peer0.education.egov.local', 'x'.repeat(200), 'Lima é 漢字 😀'];
    const invalid = Uint8Array.from([0x61, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0x62]);
    for (const bytes of [...texts.map((t) => Uint8Array.from(Buffer.from(t))), invalid]) {
      // a string's length and bytes, at offset 3 of a larger plain Uint8Array
      const length = bytes.length < 0x80 ? [bytes.length] : [(bytes.length & 0x7f) | 0x80, bytes.length >> 7];
      const framed = new Uint8Array(3 + length.length + bytes.length + 2);
      framed.set(length, 3);
      framed.set(bytes, 3 + length.length);
      const r = new WireReader(framed.subarray(3, 3 + length.length + bytes.length));
      expect(r.string()).toBe(new TextDecoder().decode(bytes));
      expect(r.more()).toBe(false);
    }
  });

  it('reads absent messages as undefined and an empty message as all defaults', () => {
    expect(readPayload(new Uint8Array())).toEqual({ header: undefined, data: new Uint8Array() });
    expect(readChaincodeActionPayload(new Uint8Array()).action).toBeUndefined();
    expect(readChaincodeAction(new Uint8Array())).toEqual({
      results: new Uint8Array(),
      events: new Uint8Array(),
      response: undefined,
      chaincodeId: undefined,
    });
    expect(readChaincodeHeaderExtension(new Uint8Array()).chaincodeId).toBeUndefined();
  });

  it('skips unknown fields of every wire type', () => {
    const e = new common.Envelope();
    e.setPayload(Uint8Array.from([1, 2]));
    e.setSignature(Uint8Array.from([3]));
    const varint = Uint8Array.from([
      (10 << 3) | 0,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01,
    ]);
    const fixed64 = Uint8Array.from([(11 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8]);
    const fixed32 = Uint8Array.from([(12 << 3) | 5, 1, 2, 3, 4]);
    const group = Uint8Array.from([(13 << 3) | 3, (1 << 3) | 0, 5, (13 << 3) | 4]);
    const bytes = cat(varint, unknownField, e.serializeBinary(), fixed64, fixed32, group);
    expect(readEnvelope(bytes)).toEqual({
      payload: Uint8Array.from([1, 2]),
      signature: Uint8Array.from([3]),
    });
    expect(hex(common.Envelope.deserializeBinary(bytes).getPayload_asU8())).toBe('0102');
  });

  it('treats a known field sent with another wire type as unknown (as Go protobuf)', () => {
    // field 1 (payload) as a varint, then field 2 as bytes
    const bytes = Uint8Array.from([(1 << 3) | 0, 7, (2 << 3) | 2, 1, 9]);
    expect(readEnvelope(bytes)).toEqual({ payload: new Uint8Array(), signature: Uint8Array.from([9]) });
  });

  it('merges a singular message field sent twice, last scalar wins (as Go protobuf; google-protobuf keeps the last)', () => {
    const id1 = new peer.ChaincodeID();
    id1.setName('a');
    id1.setVersion('1');
    const id2 = new peer.ChaincodeID();
    id2.setName('b');
    const part = (id: peer.ChaincodeID) => {
      const a = new peer.ChaincodeAction();
      a.setChaincodeId(id);
      return a.serializeBinary();
    };
    const bytes = cat(part(id1), part(id2));
    expect(readChaincodeAction(bytes).chaincodeId).toEqual({ path: '', name: 'b', version: '1' });
  });

  it('reads negative int32 and int64 values and non-ASCII strings', () => {
    const chdr = new common.ChannelHeader();
    chdr.setType(-2);
    chdr.setChannelId('kanäl-ü-'.repeat(6));
    chdr.setTxId('ü');
    chdr.setEpoch(2 ** 40 + 3);
    const ts = new Timestamp();
    ts.setSeconds(-62135596800);
    ts.setNanos(999_999_999);
    chdr.setTimestamp(ts);
    const v = readChannelHeader(chdr.serializeBinary());
    expect(v).toMatchObject({ type: -2, channelId: 'kanäl-ü-'.repeat(6), txId: 'ü', epoch: 2 ** 40 + 3 });
    expect(v.timestamp).toEqual({ seconds: -62135596800, nanos: 999_999_999 });
    expect(readTimestamp(ts.serializeBinary())).toEqual({ seconds: -62135596800, nanos: 999_999_999 });
  });

  it('reads a chaincode event', () => {
    const ev = new peer.ChaincodeEvent();
    ev.setChaincodeId('egov');
    ev.setTxId('t1');
    ev.setEventName('RecordRegistered');
    ev.setPayload(Uint8Array.from([1, 2, 3]));
    expect(readChaincodeEvent(cat(ev.serializeBinary(), unknownField))).toEqual({
      chaincodeId: 'egov',
      txId: 't1',
      eventName: 'RecordRegistered',
      payload: Uint8Array.from([1, 2, 3]),
    });
  });

  it('throws on malformed input as google-protobuf does', () => {
    const e = new common.Envelope();
    e.setPayload(new Uint8Array(10));
    const good = e.serializeBinary();
    const truncated = good.subarray(0, good.length - 1);
    expect(() => common.Envelope.deserializeBinary(truncated)).toThrow(/byte length/);
    expect(() => readEnvelope(truncated)).toThrow(/past the end/);
    expect(() => readEnvelope(Uint8Array.from([0x0a]))).toThrow(/varint: past the end/); // tag without length
    expect(() => readEnvelope(Uint8Array.from([0x80]))).toThrow(/varint: past the end/); // truncated tag varint
    expect(() => readEnvelope(Uint8Array.from([(3 << 3) | 7]))).toThrow(/wire type 7/);
    expect(() => readEnvelope(Uint8Array.from([(3 << 3) | 3, (4 << 3) | 4]))).toThrow(/end group/);
    expect(() => readEnvelope(Uint8Array.from([(3 << 3) | 0, ...new Array(11).fill(0xff)]))).toThrow(
      /varint/,
    );
  });
});
