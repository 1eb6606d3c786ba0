import { Duplex } from 'node:stream';
import { ResetFilter, StreamTracker, type ResetFilterStats } from './resetfilter';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

function frame(type: number, flags: number, streamId: number, payload = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(streamId, 5);
  return Buffer.concat([h, payload]);
}
const headers = (id: number, endStream = false) =>
  frame(0x1, 0x4 | (endStream ? 0x1 : 0), id, Buffer.alloc(5));
const data = (id: number, endStream = false) => frame(0x0, endStream ? 0x1 : 0, id, Buffer.from('abc'));
const rst = (id: number) => frame(0x3, 0, id, Buffer.from([0, 0, 0, 8]));
const hdr = (type: number, flags: number, streamId: number) => ({ length: 0, type, flags, streamId });

describe('StreamTracker', () => {
  it('drops a reset only once both sides have ended the stream', () => {
    const t = new StreamTracker();
    expect(t.fromClient(hdr(0x1, 0x4, 1))).toBe(true);
    t.fromClient(hdr(0x0, 0x1, 1)); // client END_STREAM
    expect(t.openStreams).toBe(1);
    t.fromServer(hdr(0x1, 0x5, 1)); // server trailers with END_STREAM
    expect(t.openStreams).toBe(0);
    expect(t.fromClient(hdr(0x3, 0, 1))).toBe(false);
  });

  it('passes a reset that cancels a stream in progress, or one the server has not finished', () => {
    const t = new StreamTracker();
    t.fromClient(hdr(0x1, 0x4, 1));
    expect(t.fromClient(hdr(0x3, 0, 1))).toBe(true);
    t.fromClient(hdr(0x1, 0x4, 3));
    t.fromServer(hdr(0x1, 0x5, 3)); // the server ended, the client has not (a bidi stream)
    expect(t.fromClient(hdr(0x3, 0, 3))).toBe(true);
  });

  it('passes resets of idle streams to the HTTP/2 layer, and drops those of streams the server reset', () => {
    const t = new StreamTracker();
    expect(t.fromClient(hdr(0x3, 0, 7))).toBe(true);
    t.fromClient(hdr(0x1, 0x4, 9));
    t.fromServer(hdr(0x3, 0, 9)); // refused by the server
    expect(t.fromClient(hdr(0x3, 0, 9))).toBe(false);
  });
});

/** A socket whose inbound bytes the test pushes and whose outbound bytes it collects. */
function fakeSocket() {
  const written: Buffer[] = [];
  const socket = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _enc, done) => {
      written.push(chunk);
      done();
    },
  });
  return { socket, written };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('ResetFilter', () => {
  it('passes both directions through and removes only the resets of closed streams, whatever the chunking', async () => {
    const { socket, written } = fakeSocket();
    const stats: ResetFilterStats = { connections: 0, droppedResets: 0, unfiltered: 0 };
    const filter = new ResetFilter(socket, stats);
    const toSession: Buffer[] = [];
    filter.on('data', (b: Buffer) => toSession.push(b));

    const opening = Buffer.concat([PREFACE, headers(1), data(1, true), headers(3), data(3, true)]);
    socket.push(opening.subarray(0, 30)); // a chunk boundary inside the first frame header
    socket.push(opening.subarray(30));
    await turn();
    const answer = headers(1, true); // the server ends stream 1 only
    await new Promise<void>((r) => filter.write(answer, () => r()));
    const resets = Buffer.concat([rst(1), rst(3)]);
    socket.push(resets.subarray(0, 5));
    socket.push(resets.subarray(5));
    await turn();

    expect(Buffer.concat(toSession)).toEqual(Buffer.concat([opening, rst(3)]));
    expect(Buffer.concat(written)).toEqual(answer);
    expect(stats).toEqual({ connections: 1, droppedResets: 1, unfiltered: 0 });
  });

  it('hands the socket what the session wrote corked as one write, and tracks every frame in it', async () => {
    const { socket, written } = fakeSocket();
    const stats: ResetFilterStats = { connections: 0, droppedResets: 0, unfiltered: 0 };
    const filter = new ResetFilter(socket, stats);
    filter.resume();
    socket.push(Buffer.concat([PREFACE, headers(1, true), headers(3, true)]));
    await turn();
    const frames = [headers(1, true), headers(3), data(3, true)];
    filter.cork();
    for (const f of frames) filter.write(f);
    await new Promise<void>((r) => {
      filter.uncork();
      filter.write(Buffer.alloc(0), () => r());
    });
    expect(written[0]).toEqual(Buffer.concat(frames));
    socket.push(Buffer.concat([rst(1), rst(3)]));
    await turn();
    expect(stats.droppedResets).toBe(2);
  });

  it('ends and is destroyed with its socket', async () => {
    const { socket } = fakeSocket();
    const filter = new ResetFilter(socket);
    const closed = new Promise<void>((r) => filter.on('close', () => r()));
    filter.resume();
    socket.destroy();
    await closed;
    expect(filter.destroyed).toBe(true);
  });
});
