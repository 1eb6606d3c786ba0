import { ledger } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { TimestampView } from '../../protoutil/views';
import { encodeKeyModification } from './entries';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function reference(
  txId: string,
  value: Uint8Array,
  ts: TimestampView | undefined,
  isDelete: boolean,
): Uint8Array {
  const m = new ledger.queryresult.KeyModification();
  m.setTxId(txId);
  m.setValue(value);
  if (ts) {
    const t = new Timestamp();
    t.setSeconds(ts.seconds);
    t.setNanos(ts.nanos);
    m.setTimestamp(t);
  }
  m.setIsDelete(isDelete);
  return m.serializeBinary();
}

describe('encodeKeyModification', () => {
  const txId = 'a'.repeat(64);
  const cases: [string, string, Uint8Array, TimestampView | undefined, boolean][] = [
    [
      'a write',
      txId,
      Uint8Array.from(Buffer.from('x'.repeat(100))),
      { seconds: 1_796_282_970, nanos: 211_000_123 },
      false,
    ],
    ['a delete without value', txId, new Uint8Array(), { seconds: 1_796_282_970, nanos: 0 }, true],
    ['no timestamp, empty tx id', '', Uint8Array.of(1), undefined, false],
    ['a timestamp of zeros', 'ü-\u{10000}', new Uint8Array(200).fill(3), { seconds: 0, nanos: 0 }, false],
    ['negative seconds and nanos', txId, Uint8Array.of(9), { seconds: -62_135_596_800, nanos: -1 }, true],
    ['a large value', txId, new Uint8Array(70_000).fill(5), { seconds: 2 ** 40, nanos: 999_999_999 }, false],
  ];

  it.each(cases)('writes %s byte for byte as google-protobuf', (_name, id, value, ts, isDelete) => {
    const bytes = encodeKeyModification(id, value, ts, isDelete);
    expect(hex(bytes)).toBe(hex(reference(id, value, ts, isDelete)));
    const back = ledger.queryresult.KeyModification.deserializeBinary(bytes);
    expect([back.getTxId(), hex(back.getValue_asU8()), back.getIsDelete()]).toEqual([
      id,
      hex(value),
      isDelete,
    ]);
  });
});
