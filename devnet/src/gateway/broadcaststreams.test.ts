/** BroadcastStreams against a real grpc-js Broadcast server (plaintext): which stream carries which envelope. */
import { EventEmitter, once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { LeanChannel, type LeanMethod } from '../common/grpc';
import { BroadcastStreams } from './broadcaststreams';

const BROADCAST: LeanMethod<common.Envelope, orderer.BroadcastResponse> = {
  path: '/orderer.AtomicBroadcast/Broadcast',
  serialize: (envelope) => envelope.serializeBinary(),
  deserialize: (bytes) => orderer.BroadcastResponse.deserializeBinary(bytes),
};

/**
 * What an envelope's payload asks the server to do: 'ok' answers SUCCESS, 'refuse' answers BAD_REQUEST and
 * ends the stream (as Fabric's orderer does), 'hold' answers only after `release`, 'drop' ends the stream
 * without an answer.
 */
type Action = 'ok' | 'refuse' | 'hold' | 'drop';

function envelope(action: Action): common.Envelope {
  const env = new common.Envelope();
  env.setPayload(Buffer.from(action));
  return env;
}

function response(status: common.StatusMap[keyof common.StatusMap]): orderer.BroadcastResponse {
  const r = new orderer.BroadcastResponse();
  r.setStatus(status);
  return r;
}

const soon = (): Date => new Date(Date.now() + 5000);

describe('BroadcastStreams', () => {
  let server: grpc.Server;
  let channel: LeanChannel;
  /** Stream number (1, 2, …) of each envelope the server received, in order. */
  let received: { stream: number; action: Action }[];
  let opened: number;
  let ended: number;
  const events = new EventEmitter();
  const held: (() => void)[] = [];
  /** Set: the server ends each stream after answering its envelope. */
  let endIdle = false;

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(orderer.AtomicBroadcastService, {
      broadcast: (call: grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) => {
        const stream = ++opened;
        call.on('data', (env: common.Envelope) => {
          const action = Buffer.from(env.getPayload_asU8()).toString() as Action;
          received.push({ stream, action });
          if (action === 'ok') call.write(response(common.Status.SUCCESS));
          if (action === 'ok' && endIdle) call.end();
          if (action === 'refuse') {
            call.write(response(common.Status.BAD_REQUEST));
            call.end();
          }
          if (action === 'hold') held.push(() => call.write(response(common.Status.SUCCESS)));
          if (action === 'drop') call.end();
          events.emit('received');
        });
        call.on('end', () => {
          ended++;
          events.emit('ended');
          call.end();
        });
      },
      deliver: (call: grpc.ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) => call.end(),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    channel = new LeanChannel(`127.0.0.1:${port}`);
  });

  beforeEach(() => {
    received = [];
    opened = 0;
    ended = 0;
  });

  afterAll(async () => {
    channel.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  async function untilEnded(count: number): Promise<void> {
    while (ended < count) await once(events, 'ended');
  }

  test('envelopes sent one after another share one stream', async () => {
    const streams = new BroadcastStreams(channel, BROADCAST, 'orderer0:7050');
    for (let i = 0; i < 3; i++) {
      expect((await streams.broadcast(envelope('ok'), soon())).getStatus()).toBe(common.Status.SUCCESS);
    }
    expect(received.map((r) => r.stream)).toEqual([1, 1, 1]);
    streams.close();
    await untilEnded(1);
  });

  test('envelopes in flight together go on streams of their own, kept for later ones', async () => {
    const streams = new BroadcastStreams(channel, BROADCAST, 'orderer0:7050');
    const first = await Promise.all([1, 2, 3].map(() => streams.broadcast(envelope('ok'), soon())));
    expect(first.map((r) => r.getStatus())).toEqual([0, 0, 0].map(() => common.Status.SUCCESS));
    await Promise.all([1, 2, 3].map(() => streams.broadcast(envelope('ok'), soon())));
    expect(new Set(received.map((r) => r.stream)).size).toBe(3);
    expect(opened).toBe(3);
    streams.close();
    await untilEnded(3);
  });

  test('a refusal is answered, and the next envelope goes on a new stream', async () => {
    const streams = new BroadcastStreams(channel, BROADCAST, 'orderer0:7050');
    await streams.broadcast(envelope('ok'), soon());
    expect((await streams.broadcast(envelope('refuse'), soon())).getStatus()).toBe(common.Status.BAD_REQUEST);
    expect((await streams.broadcast(envelope('ok'), soon())).getStatus()).toBe(common.Status.SUCCESS);
    expect(received).toEqual([
      { stream: 1, action: 'ok' },
      { stream: 1, action: 'refuse' },
      { stream: 2, action: 'ok' },
    ]);
    streams.close();
  });

  test('a stream ended without an answer rejects its envelope alone', async () => {
    const streams = new BroadcastStreams(channel, BROADCAST, 'orderer0:7050');
    await expect(streams.broadcast(envelope('drop'), soon())).rejects.toThrow(
      'orderer orderer0:7050 closed the Broadcast stream without a response: EOF',
    );
    expect((await streams.broadcast(envelope('ok'), soon())).getStatus()).toBe(common.Status.SUCCESS);
    expect(received.map((r) => r.stream)).toEqual([1, 2]);
    streams.close();
  });

  test('a deadline rejects with DEADLINE_EXCEEDED, and a late answer reaches no later envelope', async () => {
    const streams = new BroadcastStreams(channel, BROADCAST, 'orderer0:7050');
    const late = streams.broadcast(envelope('hold'), new Date(Date.now() + 50));
    await expect(late).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
    // The abandoned stream was half-closed; its answer now comes after the next envelope was sent elsewhere.
    const next = streams.broadcast(envelope('hold'), soon());
    while (received.length < 2) await once(events, 'received');
    held.splice(0).forEach((answer) => answer());
    expect((await next).getStatus()).toBe(common.Status.SUCCESS);
    expect(received.map((r) => r.stream)).toEqual([1, 2]);
    streams.close();
  });

  test('a kept stream that the orderer ended meanwhile is not used again', async () => {
    const streams = new BroadcastStreams(channel, BROADCAST, 'orderer0:7050');
    await streams.broadcast(envelope('ok'), soon());
    // The server ends the kept stream on its own (as an orderer that stops does).
    endIdle = true;
    await streams.broadcast(envelope('ok'), soon());
    endIdle = false;
    // Wait (by turns of the event loop, not a clock) until the client has seen the stream end.
    const kept = (streams as unknown as { idle: { usable: boolean }[] }).idle;
    while (kept.some((stream) => stream.usable)) await new Promise((resolve) => setImmediate(resolve));
    expect((await streams.broadcast(envelope('ok'), soon())).getStatus()).toBe(common.Status.SUCCESS);
    expect(received.map((r) => r.stream)).toEqual([1, 1, 2]);
    streams.close();
  });
});
