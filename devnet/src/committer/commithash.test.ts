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
});
