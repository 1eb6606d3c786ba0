import { BinaryWriter } from 'google-protobuf';
import { int64Size, varintSize } from './wiresize';
import { WireWriter } from './wirewriter';

/** google-protobuf's bytes for the same fields, the ground truth. */
function reference(write: (w: BinaryWriter) => void): Buffer {
  const w = new BinaryWriter();
  write(w);
  return Buffer.from(w.getResultBuffer());
}

describe('WireWriter', () => {
  it.each([0, 1, 127, 128, 16384, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -(2 ** 40)])(
    'writes varint %d as google-protobuf writes an int64 field',
    (v) => {
      const w = new WireWriter(1 + int64Size(v));
      w.byte(0x08);
      w.varint(v);
      expect(Buffer.from(w.done('test'))).toEqual(reference((r) => r.writeInt64(1, v)));
    },
  );

  it('writes varint fields (ints, enums, bools) as google-protobuf, leaving 0 out', () => {
    const expected = reference((r) => {
      r.writeInt64(2, 300);
      r.writeBool(4, true);
      r.writeInt64(5, -2);
    });
    const w = new WireWriter(expected.length);
    w.varintField(0x08, 0);
    w.varintField(0x10, 300);
    w.varintField(0x18, Number(false));
    w.varintField(0x20, Number(true));
    w.varintField(0x28, -2);
    expect(Buffer.from(w.done('test'))).toEqual(expected);
  });

  it('writes string, bytes and embedded fields as google-protobuf, leaving empty ones out', () => {
    const inner = reference((r) => r.writeString(1, 'ü-key'));
    const value = Uint8Array.from([1, 2, 3]);
    // A message's serializeBinary leaves proto3 defaults out (BinaryWriter itself would write them).
    const expected = reference((r) => {
      r.writeString(1, 'namespace');
      r.writeBytes(3, value);
      r.writeBytes(5, inner);
      r.writeBytes(6, new Uint8Array()); // an empty embedded message is still written
    });
    const w = new WireWriter(expected.length);
    w.string(0x0a, 'namespace');
    w.string(0x12, '');
    w.bytes(0x1a, value);
    w.bytes(0x22, new Uint8Array());
    w.message(0x2a, inner);
    w.message(0x32, new Uint8Array());
    expect(Buffer.from(w.done('test'))).toEqual(expected);
    expect(1 + varintSize(inner.length)).toBe(2);
  });

  it('refuses to hand out bytes that do not fill the size it was given', () => {
    const w = new WireWriter(4);
    w.string(0x0a, 'a');
    expect(() => w.done('encodeThing')).toThrow('encodeThing: wrote 3 bytes, expected 4');
  });

  it.each([false, true])(
    'writes the same bytes into a buffer of its own or a pooled one (transient %s)',
    (t) => {
      const w = new WireWriter(14, t);
      w.string(0x0a, 'namespace');
      w.varintField(0x10, 300);
      const out = w.done('test');
      expect(Buffer.from(out).toString('hex')).toBe('0a096e616d65737061636510ac02');
      // Kept bytes own their memory; transient ones share Node's pool.
      expect(out.buffer.byteLength === out.length).toBe(!t);
    },
  );
});
