import { status as Status } from '@grpc/grpc-js';

/** Bytes before each message on a gRPC stream: the compressed flag and the message length (big endian). */
export const MESSAGE_HEADER_LENGTH = 5;

/**
 * One message as gRPC sends it on an HTTP/2 stream (PROTOCOL-HTTP2.md, Length-Prefixed-Message):
 * flag 0 (not compressed; devnet's clients never compress, as grpc-js's identity encoding), length, bytes.
 */
export function frameMessage(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(MESSAGE_HEADER_LENGTH + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, MESSAGE_HEADER_LENGTH);
  return out;
}

/** A stream the {@link MessageDeframer} cannot read on; `code` is the gRPC status the call ends with. */
export class DeframeError extends Error {
  constructor(
    message: string,
    readonly code: Status,
  ) {
    super(message);
  }
}

/**
 * Cuts the DATA of a gRPC response into its messages: a message may be split across DATA frames and
 * one frame may carry several. A message wholly inside one chunk is returned as a view of it (no
 * copy). Throws a {@link DeframeError} on a compressed message (the client asked for none) or one
 * longer than `maxMessageLength` (-1: no limit), with grpc-js's texts.
 */
export class MessageDeframer {
  private readonly header = Buffer.alloc(MESSAGE_HEADER_LENGTH);
  private headerRead = 0;
  private body: Buffer | null = null;
  private bodyRead = 0;

  constructor(private readonly maxMessageLength: number) {}

  /** The messages completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      if (this.body !== null) {
        const take = Math.min(this.body.length - this.bodyRead, n - pos);
        chunk.copy(this.body, this.bodyRead, pos, pos + take);
        this.bodyRead += take;
        pos += take;
        if (this.bodyRead === this.body.length) {
          out.push(this.body);
          this.body = null;
        }
        continue;
      }
      if (this.headerRead === 0 && n - pos >= MESSAGE_HEADER_LENGTH) {
        const length = this.checkHeader(chunk[pos], chunk.readUInt32BE(pos + 1));
        pos += MESSAGE_HEADER_LENGTH;
        if (n - pos >= length) {
          out.push(chunk.subarray(pos, pos + length));
          pos += length;
        } else {
          this.startBody(length);
        }
        continue;
      }
      const take = Math.min(MESSAGE_HEADER_LENGTH - this.headerRead, n - pos);
      chunk.copy(this.header, this.headerRead, pos, pos + take);
      this.headerRead += take;
      pos += take;
      if (this.headerRead === MESSAGE_HEADER_LENGTH) {
        this.headerRead = 0;
        const length = this.checkHeader(this.header[0], this.header.readUInt32BE(1));
        if (length === 0) out.push(Buffer.alloc(0));
        else this.startBody(length);
      }
    }
    return out;
  }

  /** True when no part of a message is held (the stream may end here). */
  get idle(): boolean {
    return this.body === null && this.headerRead === 0;
  }

  private startBody(length: number): void {
    this.body = Buffer.allocUnsafe(length);
    this.bodyRead = 0;
  }

  private checkHeader(flag: number, length: number): number {
    if (flag !== 0) {
      throw new DeframeError(
        'Received compressed message but "grpc-encoding" header was identity',
        Status.INTERNAL,
      );
    }
    if (this.maxMessageLength !== -1 && length > this.maxMessageLength) {
      throw new DeframeError(
        `Received message larger than max (${length} vs ${this.maxMessageLength})`,
        Status.RESOURCE_EXHAUSTED,
      );
    }
    return length;
  }
}
