import { common, orderer } from '@hyperledger/fabric-protos';
import { blockDataHash, newBlock } from '../protoutil/blockutils';
import {
  BlockResponses,
  BROADCAST_SUCCESS,
  deserializeEnvelope,
  encodeBlockResponse,
  envelopeBytes,
  isCanonicalEnvelope,
  serializeBroadcastResponse,
  serializeDeliverResponse,
} from './wire';

function envelope(payload: Uint8Array, signature: Uint8Array): common.Envelope {
  const e = new common.Envelope();
  e.setPayload(payload);
  e.setSignature(signature);
  return e;
}

const bytes = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill);

describe('isCanonicalEnvelope', () => {
  it.each([
    [3, 2],
    [200, 71],
    [20_000, 0],
    [0, 5],
    [0, 0],
  ])('accepts what google-protobuf encodes (payload %i, signature %i bytes)', (p, s) => {
    const raw = envelope(bytes(p), bytes(s)).serializeBinary();
    expect(isCanonicalEnvelope(raw, p, s)).toBe(true);
  });

  it.each([
    ['signature before payload', [0x12, 1, 9, 0x0a, 1, 8], 1, 1],
    ['an empty field written out', [0x0a, 0, 0x12, 1, 9], 0, 1],
    ['a length with a needless continuation byte', [0x0a, 0x81, 0x00, 8], 1, 0],
    ['an unknown field after the signature', [0x0a, 1, 8, 0x12, 1, 9, 0x18, 1], 1, 1],
    ['payload given twice', [0x0a, 1, 7, 0x0a, 1, 8], 1, 0],
  ])('rejects %s', (_what, raw, p, s) => {
    expect(isCanonicalEnvelope(Uint8Array.from(raw), p, s)).toBe(false);
  });
});

describe('serializeBroadcastResponse', () => {
  it('encodes the shared SUCCESS and any other response as google-protobuf does', () => {
    const success = new orderer.BroadcastResponse();
    success.setStatus(common.Status.SUCCESS);
    expect(Array.from(serializeBroadcastResponse(BROADCAST_SUCCESS))).toEqual(
      Array.from(success.serializeBinary()),
    );
    const refused = new orderer.BroadcastResponse();
    refused.setStatus(common.Status.FORBIDDEN);
    refused.setInfo('no');
    expect(Array.from(serializeBroadcastResponse(refused))).toEqual(Array.from(refused.serializeBinary()));
    expect(() => serializeBroadcastResponse({} as orderer.BroadcastResponse)).toThrow(/BroadcastResponse/);
  });
});

describe('envelopeBytes', () => {
  it('gives a received envelope its own bytes when they are canonical', () => {
    const canonical = Buffer.from(envelope(bytes(300), bytes(70)).serializeBinary());
    const env = deserializeEnvelope(canonical);
    const out = envelopeBytes(env);
    expect(Buffer.from(out).equals(canonical)).toBe(true);
    expect(envelopeBytes(env)).toBe(out); // no new encoding
  });

  it('re-encodes a received envelope whose bytes are not canonical, as Fabric re-marshals it', () => {
    const reordered = Buffer.from([0x12, 1, 9, 0x0a, 2, 8, 8]);
    const env = deserializeEnvelope(reordered);
    expect(Array.from(envelopeBytes(env))).toEqual([0x0a, 2, 8, 8, 0x12, 1, 9]);
  });

  it('encodes an envelope that was not received', () => {
    const env = envelope(bytes(3), bytes(2));
    expect(envelopeBytes(env)).toEqual(env.serializeBinary());
  });
});

function block(dataBytes: number): common.Block {
  const b = newBlock(7, bytes(32, 1));
  b.getData()!.setDataList([bytes(dataBytes, 3), bytes(10, 4)]);
  b.getHeader()!.setDataHash(blockDataHash(b.getData()!));
  return b;
}

describe('encodeBlockResponse', () => {
  it.each([10, 100, 20_000, 3_000_000])(
    'is DeliverResponse{block} as google-protobuf encodes it (%i bytes of data)',
    (n) => {
      const b = block(n);
      const expected = new orderer.DeliverResponse();
      expected.setBlock(b);
      expect(
        Buffer.from(encodeBlockResponse(b.serializeBinary())).equals(Buffer.from(expected.serializeBinary())),
      ).toBe(true);
    },
  );
});

describe('serializeDeliverResponse', () => {
  it('passes encoded responses through and encodes DeliverResponse messages', () => {
    const encoded = encodeBlockResponse(block(10).serializeBinary());
    expect(serializeDeliverResponse(encoded).equals(Buffer.from(encoded))).toBe(true);
    const status = new orderer.DeliverResponse();
    status.setStatus(common.Status.SUCCESS);
    expect(serializeDeliverResponse(status).equals(Buffer.from(status.serializeBinary()))).toBe(true);
    expect(() => serializeDeliverResponse({} as orderer.DeliverResponse)).toThrow(
      'Expected argument of type orderer.DeliverResponse',
    );
  });
});

describe('BlockResponses', () => {
  it('reads and encodes each block once for every stream, keeps the newest, and does not keep a miss', async () => {
    const reads: number[] = [];
    const stored = new Map([1, 2, 3].map((n) => [n, block(n).serializeBinary()]));
    const responses = new BlockResponses(async (n) => {
      reads.push(n);
      return stored.get(n);
    }, 2);
    const [a, b] = await Promise.all([responses.get(1), responses.get(1)]);
    expect(a).toBe(b);
    expect(Buffer.from(a!).equals(Buffer.from(encodeBlockResponse(stored.get(1)!)))).toBe(true);
    await responses.get(2);
    await responses.get(3); // 1 leaves the cache
    await responses.get(1);
    expect(await responses.get(9)).toBeUndefined();
    stored.set(9, block(9).serializeBinary());
    expect(await responses.get(9)).toBeDefined();
    expect(reads).toEqual([1, 2, 3, 1, 9, 9]);
  });
});
