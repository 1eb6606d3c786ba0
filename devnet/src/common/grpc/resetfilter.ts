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
  /** A frame header split across chunks: its first bytes. */
  private partial: Buffer | undefined;
  private remaining = 0;
  private keeping = true;

  constructor(
    prefaceLength: number,
    private readonly onHeader: (h: FrameHeader) => boolean,
  ) {
    this.skip = prefaceLength;
  }

  /**
   * The parts of `chunk` to pass on: `chunk` itself when all of it is kept (the usual case, no
   * copy), else its kept slices.
   */
  scan(chunk: Buffer): Buffer[] {
    const kept: Buffer[] = [];
    let at = 0;
    /** Where the current run of kept bytes started in `chunk`. */
    let from = 0;
    const drop = (end: number) => {
      if (at > from) kept.push(chunk.subarray(from, at));
      from = end;
      at = end;
    };
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
      } else if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - at);
        this.remaining -= n;
        if (this.keeping) at += n;
        else drop(at + n);
      } else if (this.partial === undefined && chunk.length - at >= FRAME_HEADER_LENGTH) {
        // The whole header is in this chunk: read it in place.
        const h = parseHeader(chunk, at);
        this.keeping = this.onHeader(h);
        this.remaining = h.length;
        if (this.keeping) at += FRAME_HEADER_LENGTH;
        else drop(at + FRAME_HEADER_LENGTH);
      } else {
        const have = this.partial ?? Buffer.alloc(0);
        const n = Math.min(FRAME_HEADER_LENGTH - have.length, chunk.length - at);
        const header = Buffer.concat([have, chunk.subarray(at, at + n)]);
        // The header's bytes from this chunk are passed on, if at all, with the earlier ones.
        drop(at + n);
        if (header.length < FRAME_HEADER_LENGTH) {
          this.partial = header;
          break;
        }
        this.partial = undefined;
        const h = parseHeader(header, 0);
        this.keeping = this.onHeader(h);
        if (this.keeping) kept.push(header);
        this.remaining = h.length;
      }
    }
    if (from === 0 && at === chunk.length) return [chunk];
    if (at > from) kept.push(chunk.subarray(from, at));
    return kept;
  }
}

function parseHeader(b: Buffer, at: number): FrameHeader {
  return {
    length: b.readUIntBE(at, 3),
    type: b[at + 3],
    flags: b[at + 4],
    streamId: b.readUInt32BE(at + 5) & 0x7fffffff,
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
  /** Connections of the network's own nodes, served without a filter. */
  unfiltered: number;
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
    private readonly stats: ResetFilterStats = { connections: 0, droppedResets: 0, unfiltered: 0 },
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

  /**
   * What the HTTP/2 session writes in one go (its socket corks around each batch of frames) goes
   * to the TLS socket as one write: one TLS record and one system call, not one per frame.
   */
  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    done: (err?: Error | null) => void,
  ): void {
    for (const { chunk } of chunks) this.outbound.scan(chunk);
    this.transport.write(
      chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk)),
      done,
    );
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
