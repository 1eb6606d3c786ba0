import { peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import {
  decodeChaincodeMessage,
  decodeKeyRequest,
  decodePutState,
  decodePutStateMetadata,
  encodeChaincodeMessage,
  encodeSignedProposal,
} from './message';

const T = peer.ChaincodeMessage.Type;

function signedProposal(): peer.SignedProposal {
  const sp = new peer.SignedProposal();
  sp.setProposalBytes(Buffer.from('proposal bytes '.repeat(20)));
  sp.setSignature(Buffer.from([0x30, 0x45, 1, 2, 3]));
  return sp;
}

describe('ChaincodeMessage codec', () => {
  it('encodes a TRANSACTION byte for byte as google-protobuf does', () => {
    const sp = signedProposal();
    const expected = new peer.ChaincodeMessage();
    expected.setType(T.TRANSACTION);
    expected.setPayload(Buffer.from('input'));
    expected.setTxid('a'.repeat(64));
    expected.setProposal(sp);
    expected.setChannelId('egov');
    const bytes = encodeChaincodeMessage({
      type: T.TRANSACTION,
      payload: Buffer.from('input'),
      txid: 'a'.repeat(64),
      channelId: 'egov',
      proposal: encodeSignedProposal(sp.getProposalBytes_asU8(), sp.getSignature_asU8()),
    });
    expect(Buffer.from(bytes)).toEqual(Buffer.from(expected.serializeBinary()));
  });

  it('leaves out what google-protobuf leaves out: type 0, empty payload, txid and channel', () => {
    expect(
      encodeChaincodeMessage({ type: 0, payload: new Uint8Array(0), txid: '', channelId: '' }),
    ).toHaveLength(0);
    const res = encodeChaincodeMessage({
      type: T.RESPONSE,
      payload: new Uint8Array(0),
      txid: 't1',
      channelId: 'c',
    });
    const expected = new peer.ChaincodeMessage();
    expected.setType(T.RESPONSE);
    expected.setTxid('t1');
    expected.setChannelId('c');
    expect(Buffer.from(res)).toEqual(Buffer.from(expected.serializeBinary()));
  });

  it('decodes what the shim sends, with a chaincode event and a timestamp', () => {
    const event = new peer.ChaincodeEvent();
    event.setEventName('RecordRegistered');
    event.setPayload(Buffer.from('{}'));
    const msg = new peer.ChaincodeMessage();
    msg.setType(T.COMPLETED);
    const ts = new Timestamp();
    ts.setSeconds(1_700_000_000);
    msg.setTimestamp(ts);
    msg.setPayload(Buffer.from('response'));
    msg.setTxid('tx-1');
    msg.setChaincodeEvent(event);
    msg.setChannelId('egov');
    const m = decodeChaincodeMessage(msg.serializeBinary());
    expect(m.type).toBe(T.COMPLETED);
    expect(Buffer.from(m.payload).toString()).toBe('response');
    expect(m.txid).toBe('tx-1');
    expect(m.channelId).toBe('egov');
    expect(m.proposal).toBeUndefined();
    expect(peer.ChaincodeEvent.deserializeBinary(m.chaincodeEvent!).getEventName()).toBe('RecordRegistered');
  });

  it('keeps an event sent empty apart from no event', () => {
    const msg = new peer.ChaincodeMessage();
    msg.setType(T.COMPLETED);
    msg.setChaincodeEvent(new peer.ChaincodeEvent());
    expect(decodeChaincodeMessage(msg.serializeBinary()).chaincodeEvent).toHaveLength(0);
    msg.clearChaincodeEvent();
    expect(decodeChaincodeMessage(msg.serializeBinary()).chaincodeEvent).toBeUndefined();
  });

  it('round-trips its own encoding, skips unknown fields and throws on truncated input', () => {
    const m = {
      type: T.PUT_STATE,
      payload: Buffer.from([1, 2, 3]),
      txid: 'é-tx',
      channelId: 'egov',
      chaincodeEvent: new Uint8Array(0),
    };
    const bytes = encodeChaincodeMessage(m);
    const unknown = Buffer.concat([Buffer.from([(9 << 3) | 0, 5, (10 << 3) | 2, 2, 7, 7]), bytes]);
    const back = decodeChaincodeMessage(unknown);
    expect([back.type, back.txid, back.channelId, back.proposal]).toEqual([
      m.type,
      m.txid,
      m.channelId,
      undefined,
    ]);
    expect(Buffer.from(back.payload)).toEqual(m.payload);
    expect(back.chaincodeEvent).toHaveLength(0);
    expect(() => decodeChaincodeMessage(bytes.subarray(0, bytes.length - 1))).toThrow(/past the end/);
  });
});

describe('shim request decoders', () => {
  it('GetState, DelState and GetStateMetadata: key and collection', () => {
    const g = new peer.GetState();
    g.setKey('\u0000record\u0000EDU-1\u0000');
    g.setCollection('personal');
    expect(decodeKeyRequest(g.serializeBinary())).toEqual({
      key: '\u0000record\u0000EDU-1\u0000',
      collection: 'personal',
    });
    const d = new peer.DelState();
    d.setKey('k');
    expect(decodeKeyRequest(d.serializeBinary())).toEqual({ key: 'k', collection: '' });
  });

  it('PutState: key, value and collection', () => {
    const p = new peer.PutState();
    p.setKey('k');
    p.setValue(Buffer.from('{"a":1}'));
    p.setCollection('c');
    const req = decodePutState(p.serializeBinary());
    expect({ ...req, value: Buffer.from(req.value).toString() }).toEqual({
      key: 'k',
      value: '{"a":1}',
      collection: 'c',
    });
    expect(decodePutState(new Uint8Array(0)).value).toHaveLength(0);
  });

  it('PutStateMetadata: its one entry, or none', () => {
    const md = new peer.StateMetadata();
    md.setMetakey('VALIDATION_PARAMETER');
    md.setValue(Buffer.from([0x0a, 0x01]));
    const p = new peer.PutStateMetadata();
    p.setKey('k');
    p.setCollection('c');
    p.setMetadata(md);
    const req = decodePutStateMetadata(p.serializeBinary());
    expect(req.key).toBe('k');
    expect(req.collection).toBe('c');
    expect(req.metadata?.metakey).toBe('VALIDATION_PARAMETER');
    expect(Buffer.from(req.metadata!.value)).toEqual(Buffer.from([0x0a, 0x01]));
    p.clearMetadata();
    expect(decodePutStateMetadata(p.serializeBinary()).metadata).toBeUndefined();
  });
});
