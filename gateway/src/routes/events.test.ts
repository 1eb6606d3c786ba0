import type { Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { createApp } from '../app';
import { EventStreams } from '../events/streams';
import { FileCheckpointStore, type CheckpointStore } from '../events/subscriptions';
import type { RecordsService } from '../records/service';
import { FakeBlockSource, type TestTransaction } from '../testing/blocks';
import { readSse, type ReceivedFrame } from '../testing/sseclient';

const unused = async (): Promise<never> => {
  throw new Error('not called');
};
const records: RecordsService = { registerRecord: unused, getRecord: unused, verifyHash: unused };
const registered = (txId: string): TestTransaction => ({
  txId,
  fn: 'ledger:RegisterRecord',
  event: { name: 'RecordRegistered', payload: { id: txId } },
});

/** A gateway app with event streams over `source`, listening on a free port. */
async function serve(
  source: FakeBlockSource,
  dir: string,
  checkpoints: CheckpointStore = new FileCheckpointStore(dir),
): Promise<{ url: string; streams: EventStreams; server: Server }> {
  const streams = new EventStreams({
    source,
    checkpoints,
    chaincode: 'egov',
    defaultContract: 'ledger',
    logger: pino({ level: 'silent' }),
  });
  const app = createApp({ records, events: streams, logger: pino({ level: 'silent' }) });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/api/v1/events`, streams, server };
}

// Servers and sockets are slow to start on a loaded 2-core machine.
jest.setTimeout(60_000);

const ids = (frames: ReceivedFrame[]): (string | undefined)[] => frames.map((f) => f.id);

describe('GET /api/v1/events', () => {
  const source = new FakeBlockSource();
  source.append([registered('a'), registered('b')], [registered('c')], [registered('d')]);
  let dir: string;
  let running: Awaited<ReturnType<typeof serve>>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govfabric-events-'));
    running = await serve(source, dir);
  });
  afterEach(async () => {
    await running.streams.close();
    await new Promise((resolve) => running.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams chaincode events and block heights as text/event-stream', async () => {
    const read = await readSse(`${running.url}?from=0`, (f) => f.length === 5);
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(read.frames.map((f) => `${f.event} ${f.id}`)).toEqual([
      'chaincode 0-0',
      'chaincode 0-1',
      'block 0',
      'chaincode 1-0',
      'block 1',
    ]);
    expect(read.frames[3].data).toMatchObject({
      transactionId: 'c',
      eventName: 'RecordRegistered',
      payload: { id: 'c' },
    });
  });

  it('resumes right after Last-Event-ID: no gap, no duplicate', async () => {
    const first = await readSse(`${running.url}?from=0&blocks=false`, (f) => f.length === 1);
    const rest = await readSse(`${running.url}?blocks=false`, (f) => f.length === 3, {
      headers: { 'last-event-id': String(first.frames[0].id) },
    });
    expect([...ids(first.frames), ...ids(rest.frames)]).toEqual(['0-0', '0-1', '1-0', '2-0']);
  });

  it('filters by event name and contract', async () => {
    const none = await readSse(`${running.url}?from=0&contract=governance`, (f) => f.length === 3);
    expect(none.frames.map((f) => f.event)).toEqual(['block', 'block', 'block']);
    const named = await readSse(
      `${running.url}?from=1&event=RecordRegistered,RecordRevoked&blocks=false`,
      (f) => f.length === 2,
    );
    expect(ids(named.frames)).toEqual(['1-0', '2-0']);
  });

  it.each([
    [{ 'last-event-id': '1-x' }, '', /Last-Event-ID header/],
    [{}, '?lastEventId=abc', /query\.lastEventId/],
    [{}, '?from=-1', /query\.from/],
    [{}, '?event=a%20b', /query\.event/],
    [{}, '?subscription=../x', /query\.subscription/],
    [{}, '?blocks=yes', /query\.blocks/],
  ])('refuses %p %s with a 400 naming what is wrong', async (headers, query, detail) => {
    const read = await readSse(`${running.url}${query}`, () => true, { headers });
    expect(read.status).toBe(400);
    expect(JSON.parse(String(read.body)).detail).toMatch(detail);
  });

  it('keeps a durable subscription where its stream stopped, across a gateway restart', async () => {
    // The gateway shuts down after the client got 2 frames: it ends the stream, the checkpoint stays.
    const first = await readSse(`${running.url}?subscription=audit-office&from=0`, (f) => {
      if (f.length === 2) void running.streams.close();
      return false;
    });
    expect(first.endedByServer).toBe(true);
    const saved = JSON.parse(readFileSync(path.join(dir, 'audit-office.json'), 'utf8'));
    expect(saved.blockNumber).toBeDefined();
    await new Promise((resolve) => running.server.close(resolve));
    running = await serve(source, dir);
    const second = await readSse(`${running.url}?subscription=audit-office`, (f) => ids(f).includes('2'));
    const all = [...ids(first.frames), ...ids(second.frames)];
    expect(all).toEqual(['0-0', '0-1', '0', '1-0', '1', '2-0', '2']);
  });

  it('refuses a subscription already streaming with a 409', async () => {
    let second: Awaited<ReturnType<typeof readSse>> | undefined;
    await readSse(`${running.url}?subscription=busy&from=0`, (f) => {
      if (f.length === 1 && !second) {
        void readSse(`${running.url}?subscription=busy`, () => true).then((r) => {
          second = r;
          void running.streams.close();
        });
      }
      return false;
    });
    expect(second?.status).toBe(409);
    expect(JSON.parse(String(second?.body)).code).toBe('SUBSCRIPTION_IN_USE');
  });

  it('ends open streams on close, and refuses new ones with 503', async () => {
    let closed: Promise<void> | undefined;
    const read = await readSse(`${running.url}?from=0`, () => {
      closed ??= running.streams.close();
      return false;
    });
    expect(read.endedByServer).toBe(true);
    await closed;
    expect(running.streams.size).toBe(0);
    const after = await readSse(running.url, () => true);
    expect(after.status).toBe(503);
  });

  it("close resolves only once each stream has finished, its subscription's last checkpoint written", async () => {
    let releaseWrites = (): void => undefined;
    const writesHeld = new Promise<void>((resolve) => (releaseWrites = resolve));
    let writeStarted = (): void => undefined;
    const firstWrite = new Promise<void>((resolve) => (writeStarted = resolve));
    const held = async (): Promise<void> => {
      writeStarted();
      await writesHeld;
    };
    // A checkpoint at block 0 already, so that the first write is the one after the first frame.
    const checkpointer = {
      getBlockNumber: () => 0n,
      getTransactionId: () => undefined,
      checkpointBlock: held,
      checkpointTransaction: held,
      checkpointChaincodeEvent: held,
    };
    const slow: CheckpointStore = { hold: () => Promise.resolve({ checkpointer, release: () => undefined }) };
    await running.streams.close();
    await new Promise((resolve) => running.server.close(resolve));
    running = await serve(source, dir, slow);

    let frameSeen = (): void => undefined;
    const firstFrame = new Promise<void>((resolve) => (frameSeen = resolve));
    const reading = readSse(`${running.url}?subscription=slow`, (frames) => {
      if (frames.length > 0) frameSeen();
      return false;
    });
    await Promise.all([firstFrame, firstWrite]);
    let closedYet = false;
    const closed = running.streams.close().then(() => (closedYet = true));
    try {
      await new Promise((resolve) => setImmediate(resolve));
      // Its checkpoint write is held, so the stream cannot have finished.
      expect(closedYet).toBe(false);
      expect(running.streams.size).toBe(1);
    } finally {
      releaseWrites();
    }
    await closed;
    expect(running.streams.size).toBe(0);
    expect((await reading).endedByServer).toBe(true);
  });

  it('tells the client in an error event when the peer stream fails, then ends', async () => {
    const failing = new FakeBlockSource();
    failing.blocks = async () => {
      throw Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 });
    };
    const down = await serve(failing, dir);
    try {
      const read = await readSse(down.url, () => false);
      expect(read.endedByServer).toBe(true);
      expect(read.frames.map((f) => f.event)).toEqual(['error']);
      expect(read.frames[0].data).toMatchObject({ status: expect.any(Number), detail: expect.any(String) });
    } finally {
      await new Promise((resolve) => down.server.close(resolve));
    }
  });
});
