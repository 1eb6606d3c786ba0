import { peer } from '@hyperledger/fabric-protos';
import { testBlock } from '../testing/blocks';
import { readBlockEvents } from './block';

describe('readBlockEvents', () => {
  const block = testBlock(5, [
    { txId: 'a', fn: 'ledger:RegisterRecord', event: { name: 'RecordRegistered', payload: { id: 'r1' } } },
    {
      txId: 'b',
      fn: 'ledger:RegisterRecord',
      event: { name: 'RecordRegistered', payload: { id: 'r2' } },
      code: peer.TxValidationCode.MVCC_READ_CONFLICT,
    },
    { txId: 'c', fn: 'GetRecord' },
    { txId: 'd', fn: 'RevokeRecord', event: { name: 'RecordRevoked', payload: { id: 'r1' } } },
  ]);

  it("reads valid transactions' events with their position, contract and transaction", () => {
    const read = readBlockEvents(block);
    expect(read.blockNumber).toBe(5n);
    expect(read.transactionCount).toBe(4);
    expect(read.transactionIds).toEqual(['a', 'b', 'c', 'd']);
    expect(
      read.events.map((e) => [e.transactionIndex, e.transactionId, e.contract, e.transaction, e.eventName]),
    ).toEqual([
      [0, 'a', 'ledger', 'RegisterRecord', 'RecordRegistered'],
      [3, 'd', undefined, 'RevokeRecord', 'RecordRevoked'],
    ]);
    expect(JSON.parse(Buffer.from(read.events[0].payload).toString())).toEqual({ id: 'r1' });
    expect(read.events[0].chaincode).toBe('egov');
  });

  it('leaves out the event of an invalidated transaction', () => {
    expect(readBlockEvents(block).events.map((e) => e.transactionId)).not.toContain('b');
  });
});
