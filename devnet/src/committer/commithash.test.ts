import { createHash } from 'node:crypto';
import { UpdateBatch } from '../ledger/statedb';
import {
  computeCommitHash,
  encodeOrderPreservingVarUint64,
  updateBatchBytes,
  versionBytes,
} from './commithash';

describe('commit hash (fabric kv_ledger.go addBlockCommitHash)', () => {
  it('encodes numbers order-preserving as Fabric does: length byte, then big-endian without leading zeros', () => {
    expect(Buffer.from(encodeOrderPreservingVarUint64(0)).toString('hex')).toBe('00');
    expect(Buffer.from(encodeOrderPreservingVarUint64(1)).toString('hex')).toBe('0101');
    expect(Buffer.from(encodeOrderPreservingVarUint64(256)).toString('hex')).toBe('020100');
    expect(Buffer.from(versionBytes(5, 2)).toString('hex')).toBe('01050102');
  });

  it('serializes the update batch as txmgr.Updates, namespace only on its first write, deletes flagged', () => {
    const batch = new UpdateBatch();
    batch.put('egov', 'b', Buffer.from('2'), { blockNum: 1, txNum: 1 });
    batch.put('egov', 'a', Buffer.from('1'), { blockNum: 1, txNum: 0 });
    batch.delete('egov', 'c', { blockNum: 1, txNum: 2 });
    batch.put('', 'config', Buffer.from('x'), { blockNum: 1, txNum: 0 });
    // Hand-encoded: KVWrite{1:"egov",3:"a",5:"1",6:010100}, KVWrite{3:"b",5:"2",6:01010101}, KVWrite{3:"c",4:true,6:01010102}
    const kv1 = '0a04' + Buffer.from('egov').toString('hex') + '1a0161' + '2a0131' + '3203' + '010100';
    const kv2 = '1a0162' + '2a0132' + '3204' + '01010101';
    const kv3 = '1a0163' + '2001' + '3204' + '01010102';
    const expected = [kv1, kv2, kv3]
      .map((kv) => '0a' + (kv.length / 2).toString(16).padStart(2, '0') + kv)
      .join('');
    expect(Buffer.from(updateBatchBytes(batch)).toString('hex')).toBe(expected);
  });

  it('writes what a field-by-field encoder writes, for long values, multi-byte varints and several namespaces', () => {
    // the plain encoder updateBatchBytes replaced: one field at a time into a number array
    const varint = (out: number[], v: number): void => {
      for (; v >= 0x80; v = Math.floor(v / 0x80)) out.push(v % 0x80 | 0x80);
      out.push(v);
    };
    const field = (out: number[], tag: number, b: Uint8Array): void => {
      if (b.length === 0) return;
      varint(out, tag);
      varint(out, b.length);
      out.push(...b);
    };
    const reference = (b: UpdateBatch): Buffer => {
      const out: number[] = [];
      for (const ns of b.namespaces()) {
        if (ns === '') continue;
        b.namespaceUpdates(ns).forEach((u, i) => {
          const kv: number[] = [];
          if (i === 0) field(kv, 0x0a, Buffer.from(ns));
          field(kv, 0x1a, Buffer.from(u.key));
          if (u.value === undefined) kv.push(0x20, 1);
          else field(kv, 0x2a, u.value);
          field(kv, 0x32, versionBytes(u.version.blockNum, u.version.txNum));
          out.push(0x0a);
          varint(out, kv.length);
          out.push(...kv);
        });
      }
      return Buffer.from(out);
    };
    const batch = new UpdateBatch();
    batch.put('egov', '\u0000record\u0000EDU-1\u0000', Buffer.alloc(700, 0x41), {
      blockNum: 70_000,
      txNum: 49,
    });
    batch.put('egov', 'trail|e|record|EDU-1|0000000001', Buffer.alloc(130, 0x42), {
      blockNum: 2 ** 40,
      txNum: 300,
    });
    batch.put('egov', 'ключ', new Uint8Array(), { blockNum: 3, txNum: 0 });
    batch.delete('egov', 'gone', { blockNum: 255, txNum: 256 });
    batch.put('conformance', 'k', Buffer.from('v'), { blockNum: 1, txNum: 65_535 });
    batch.put('', 'config', Buffer.from('x'), { blockNum: 1, txNum: 0 });
    expect(Buffer.from(updateBatchBytes(batch)).toString('hex')).toBe(reference(batch).toString('hex'));
    expect(Buffer.from(versionBytes(2 ** 40, 300)).toString('hex')).toBe('0601000000000002012c');
    expect(updateBatchBytes(new UpdateBatch())).toHaveLength(0);
  });

  it('chains SHA-256(varint(len(filter)) ‖ filter ‖ updates ‖ previous)', () => {
    const filter = Uint8Array.of(0, 11);
    const updates = Buffer.from('upd');
    const prev = Buffer.alloc(32, 7);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.of(2), filter, updates, prev]))
      .digest('hex');
    expect(Buffer.from(computeCommitHash(filter, updates, prev)).toString('hex')).toBe(expected);
    expect(Buffer.from(computeCommitHash(filter, updates, new Uint8Array())).toString('hex')).not.toBe(
      expected,
    );
  });

  it('writes the length of a filter of more than 127 transactions as a two-byte varint', () => {
    const filter = new Uint8Array(200);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.of(0xc8, 0x01), filter]))
      .digest('hex');
    expect(Buffer.from(computeCommitHash(filter, new Uint8Array(), new Uint8Array())).toString('hex')).toBe(
      expected,
    );
  });
});
