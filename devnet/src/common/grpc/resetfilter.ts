import { Duplex } from 'node:stream';

/** The client connection preface every HTTP/2 connection starts with (RFC 9113 §3.4). */
const CLIENT_PREFACE_LENGTH = 24;
const FRAME_HEADER_LENGTH = 9;
const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const END_STREAM = 0x1;

/** A parsed HTTP/2 frame header. */
interface FrameHeader {
  length: number;
  type: number;
  flags: number;
  streamId: number;
}

/**
 * Splits one direction of an HTTP/2 connection into frames without copying payloads: it calls
 * `onHeader` with each frame header, which decides whether the frame (header and payload) is kept.
 */
class FrameScanner {
  private skip: number;
  private header = Buffer.alloc(0);
  private remaining = 0;
  private keeping = true;

  constructor(
    prefaceLength: number,
    private readonly onHeader: (h: FrameHeader) => boolean,
  ) {
    this.skip = prefaceLength;
  }

  /** The parts of `chunk` to pass on. */
  scan(chunk: Buffer): Buffer[] {
    const kept: Buffer[] = [];
    let at = 0;
    const keep = (end: number) => {
      if (end > at) kept.push(chunk.subarray(at, end));
      at = end;
    };
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        keep(at + n);
      } else if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - at);
        this.remaining -= n;
        if (this.keeping) keep(at + n);
        else at += n;
      } else {
        const n = Math.min(FRAME_HEADER_LENGTH - this.header.length, chunk.length - at);
        this.header = Buffer.concat([this.header, chunk.subarray(at, at + n)]);
        at += n;
        if (this.header.length < FRAME_HEADER_LENGTH) break;
        const h = parseHeader(this.header);
        this.keeping = this.onHeader(h);
        if (this.keeping) kept.push(this.header);
        this.header = Buffer.alloc(0);
        this.remaining = h.length;
      }
    }
    return kept;
  }
}

function parseHeader(b: Buffer): FrameHeader {
  return {
    length: b.readUIntBE(0, 3),
    type: b[3],
    flags: b[4],
    streamId: b.readUInt32BE(5) & 0x7fffffff,
  };
}

/** What each side has done to a stream the client opened. */
interface StreamState {
  clientEnded: boolean;
  serverEnded: boolean;
}

/**
 * Server-side view of a connection's streams, from the frames each way: which streams are
 * still open and the highest stream id the client has opened.
 */
export class StreamTracker {
  private readonly open = new Map<number, StreamState>();
  private highest = 0;

  /** Frames the client sent; false for an RST_STREAM on a stream that is already closed. */
  fromClient(h: FrameHeader): boolean {
    if (h.streamId === 0) return true;
    if (h.type === RST_STREAM) return this.clientReset(h.streamId);
    if (h.type === HEADERS && h.streamId > this.highest) {
      this.highest = h.streamId;
      this.open.set(h.streamId, { clientEnded: false, serverEnded: false });
    }
    if ((h.type === HEADERS || h.type === DATA) && h.flags & END_STREAM) this.end(h.streamId, 'clientEnded');
    return true;
  }

  /** Frames the server sent; always passed on. */
  fromServer(h: FrameHeader): boolean {
    if (h.type === RST_STREAM) this.open.delete(h.streamId);
    else if ((h.type === HEADERS || h.type === DATA) && h.flags & END_STREAM)
      this.end(h.streamId, 'serverEnded');
    return true;
  }

  /** Streams still open on the server. */
  get openStreams(): number {
    return this.open.size;
  }

  private clientReset(id: number): boolean {
    // A reset for a stream the client has not opened yet (idle) is the HTTP/2 layer's to reject.
    if (id > this.highest) return true;
    // Cancels work in progress: counts against the HTTP/2 layer's rapid-reset limit.
    if (this.open.delete(id)) return true;
    // Both sides already ended it (or the server reset it): a no-op for the server.
    return false;
  }

  private end(id: number, side: keyof StreamState): void {
    const s = this.open.get(id);
    if (!s) return;
    s[side] = true;
    if (s.clientEnded && s.serverEnded) this.open.delete(id);
  }
}

/** What the reset filters of one server did, for tests and logs. */
export interface ResetFilterStats {
  /** Connections accepted. */
  connections: number;
  /** RST_STREAM frames removed because their stream was already closed. */
  droppedResets: number;
}

/**
 * Sits between a server's (TLS) socket and its HTTP/2 session and removes RST_STREAM frames
 * that a client sends for streams both sides have already ended.
 *
 * Why: Node's HTTP/2 server (nghttp2 ≥ 1.57, the CVE-2023-44487 fix) counts every RST_STREAM it
 * receives, closed stream or not, against a token bucket (burst 1000, 33/s; Node 20 cannot change
 * it) and sends GOAWAY(INTERNAL_ERROR) when it runs out. Clients such as @grpc/grpc-js 1.10.3
 * reset every stream after its response, so a busy client is cut off after ~1000 calls. Such a
 * reset changes nothing on the server; Fabric's Go servers (grpc-go) do not count resets at all.
 * Resets that cancel a stream the server is still serving — the rapid-reset attack — are passed
 * on and still counted.
 */
export class ResetFilter extends Duplex {
  private readonly tracker = new StreamTracker();
  private readonly inbound = new FrameScanner(CLIENT_PREFACE_LENGTH, (h) => this.onClientFrame(h));
  private readonly outbound = new FrameScanner(0, (h) => this.tracker.fromServer(h));

  constructor(
    /** The socket it reads from and writes to (the TLS socket). */
    readonly transport: Duplex,
    private readonly stats: ResetFilterStats = { connections: 0, droppedResets: 0 },
  ) {
    super({ allowHalfOpen: false });
    stats.connections++;
    transport.on('data', (chunk: Buffer) => {
      let more = true;
      for (const part of this.inbound.scan(chunk)) more = this.push(part) && more;
      if (!more) transport.pause();
    });
    transport.on('end', () => this.push(null));
    transport.on('error', (err) => this.destroy(err));
    transport.on('close', () => this.destroy());
  }

  override _read(): void {
    this.transport.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.outbound.scan(chunk);
    this.transport.write(chunk, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.transport.end(done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.transport.destroy();
    done(err);
  }

  private onClientFrame(h: FrameHeader): boolean {
    const keep = this.tracker.fromClient(h);
    if (!keep) this.stats.droppedResets++;
    return keep;
  }
}
