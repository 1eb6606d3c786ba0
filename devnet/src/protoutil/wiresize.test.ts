import { BinaryWriter } from 'google-protobuf';
import {
  bytesFieldSize,
  delimitedFieldSize,
  int64Size,
  stringFieldSize,
  varintFieldSize,
  varintSize,
} from './wiresize';

/** What google-protobuf writes for the value, as the ground truth of the sizes. */
function written(write: (w: BinaryWriter) => void): number {
  const w = new BinaryWriter();
  write(w);
  return w.getResultBuffer().length;
}

describe('wiresize', () => {
  it.each([0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER])(
    'varintSize(%d) is the length of its varint',
    (v) => {
      // Field 1, varint: one tag byte, then the value.
      expect(1 + varintSize(v)).toBe(written((w) => w.writeUint64(1, v)));
    },
  );

  it.each([-1, -(2 ** 40), 5, 300])('int64Size(%d) matches an int64 field', (v) => {
    expect(1 + int64Size(v)).toBe(written((w) => w.writeInt64(1, v)));
  });

  it.each([0, 1, 127, 128, 70000])('delimitedFieldSize(%d) matches a bytes field of that length', (n) => {
    const bytes = new Uint8Array(n);
    // google-protobuf leaves an empty bytes field out; the hand encoders write a message field even when empty.
    const expected = n === 0 ? 2 : written((w) => w.writeBytes(1, bytes));
    expect(delimitedFieldSize(n)).toBe(expected);
  });

  it('sizes proto3 fields as a message serializes them: nothing for 0, the empty string or no bytes', () => {
    for (const v of [0, 1, 300, -2])
      expect(varintFieldSize(v)).toBe(v === 0 ? 0 : written((w) => w.writeInt64(1, v)));
    for (const n of [0, 3, 200])
      expect(bytesFieldSize(n)).toBe(n === 0 ? 0 : written((w) => w.writeBytes(1, new Uint8Array(n))));
    for (const t of ['', 'egov', 'Lima é 漢字 😀'])
      expect(stringFieldSize(t)).toBe(t === '' ? 0 : written((w) => w.writeString(1, t)));
  });
});
