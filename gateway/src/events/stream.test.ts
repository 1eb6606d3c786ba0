import { checkpointers } from '@hyperledger/fabric-gateway';
import { FakeBlockSource, type TestTransaction } from '../testing/blocks';
import type { SseFrame } from './sse';
import { streamEvents, type EventFilter } from './stream';

const filter: EventFilter = { chaincode: 'egov', defaultContract: 'ledger', eventNames: [], blocks: true };

const registered = (txId: string): TestTransaction => ({
  txId,
  fn: 'ledger:RegisterRecord',
  event: { name: 'RecordRegistered', payload: { id: txId } },
});

/** Runs a stream until `count` frames arrived; the frames' ids. */
async function collect(
  source: FakeBlockSource,
  count: number,
  start: Parameters<typeof streamEvents>[1],
  f: EventFilter = filter,
  checkpointer?: ReturnType<typeof checkpointers.inMemory>,
): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  const controller = new AbortController();
  await streamEvents(
    source,
    start,
    f,
    async (frame) => {
      frames.push(frame);
      if (frames.length === count) controller.abort();
      return true;
    },
    controller.signal,
    checkpointer,
  );
  return frames;
}

describe('streamEvents', () => {
  const source = new FakeBlockSource();
  source.append(
    [registered('t0')],
    [registered('t1'), { txId: 'q', fn: 'ledger:GetRecord' }, registered('t2')],
    [{ txId: 'p', fn: 'governance:Propose', event: { name: 'ProposalSubmitted', payload: { id: 'p' } } }],
  );

  it('sends every event with its ledger position, and a block frame after each block', async () => {
    const frames = await collect(source, 7, { startBlock: 0n, skipThrough: -1 });
    expect(frames.map((f) => `${f.event} ${f.id}`)).toEqual([
      'chaincode 0-0',
      'block 0',
      'chaincode 1-0',
      'chaincode 1-2',
      'block 1',
      'chaincode 2-0',
      'block 2',
    ]);
    expect(frames[2].data).toMatchObject({
      blockNumber: 1,
      transactionIndex: 0,
      transactionId: 't1',
      contract: 'ledger',
      transaction: 'RegisterRecord',
      eventName: 'RecordRegistered',
      payload: { id: 't1' },
    });
    expect(frames[6].data).toEqual({ blockNumber: 2, height: 3, transactions: 1 });
  });

  it('resumes after a transaction in its block, without repeating it', async () => {
    const frames = await collect(source, 3, { startBlock: 1n, skipThrough: 0 });
    expect(frames.map((f) => f.id)).toEqual(['1-2', '1', '2-0']);
  });

  it('resumes after the transaction a checkpoint names', async () => {
    const frames = await collect(source, 2, {
      startBlock: 1n,
      skipThrough: -1,
      skipThroughTransactionId: 't2',
    });
    expect(frames.map((f) => f.id)).toEqual(['1', '2-0']);
  });

  it('filters by contract and event name, keeping the ids of the unfiltered stream', async () => {
    const governance = await collect(
      source,
      1,
      { startBlock: 0n, skipThrough: -1 },
      {
        ...filter,
        contract: 'governance',
        blocks: false,
      },
    );
    expect(governance.map((f) => f.id)).toEqual(['2-0']);
    const named = await collect(
      source,
      3,
      { startBlock: 0n, skipThrough: -1 },
      {
        ...filter,
        eventNames: ['RecordRegistered'],
        blocks: false,
      },
    );
    expect(named.map((f) => f.id)).toEqual(['0-0', '1-0', '1-2']);
  });

  it('takes an unqualified transaction as the default contract', async () => {
    const own = new FakeBlockSource();
    own.append([{ txId: 'x', fn: 'RevokeRecord', event: { name: 'RecordRevoked', payload: {} } }]);
    const frames = await collect(
      own,
      1,
      { startBlock: 0n, skipThrough: -1 },
      { ...filter, contract: 'ledger' },
    );
    expect(frames[0].data).toMatchObject({ contract: 'ledger', transaction: 'RevokeRecord' });
  });

  it("leaves out other chaincodes' events", async () => {
    const own = new FakeBlockSource();
    own.append([
      { txId: 'x', fn: 'f', event: { name: 'E', payload: {}, chaincode: 'other' } },
      registered('y'),
    ]);
    const frames = await collect(own, 1, { startBlock: 0n, skipThrough: -1 }, { ...filter, blocks: false });
    expect(frames.map((f) => f.id)).toEqual(['0-1']);
  });

  it('checkpoints after each frame: the last transaction sent, then the block', async () => {
    const checkpointer = checkpointers.inMemory();
    await collect(source, 3, { startBlock: 1n, skipThrough: -1 }, filter, checkpointer);
    expect([checkpointer.getBlockNumber(), checkpointer.getTransactionId()]).toEqual([2n, undefined]);
    await collect(source, 1, { startBlock: 2n, skipThrough: -1 }, filter, checkpointer);
    expect([checkpointer.getBlockNumber(), checkpointer.getTransactionId()]).toEqual([2n, 'p']);
  });

  it('waits for blocks not committed yet and sends them as they come', async () => {
    const live = new FakeBlockSource();
    const frames = collect(live, 2, { skipThrough: -1 });
    live.append([registered('late')]);
    expect((await frames).map((f) => f.id)).toEqual(['0-0', '0']);
  });

  it('stops without sending when the client is gone', async () => {
    let sent = 0;
    await streamEvents(
      source,
      { startBlock: 0n, skipThrough: -1 },
      filter,
      async () => {
        sent++;
        return false;
      },
      new AbortController().signal,
    );
    expect(sent).toBe(1);
  });
});
