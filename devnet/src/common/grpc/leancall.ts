import * as http2 from 'node:http2';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import { status as Status } from '@grpc/grpc-js';
import { DeframeError, MessageDeframer, frameMessage } from './framing';
import type { ChannelCall, LeanChannel } from './leanchannel';
import { CallStatus, callStatus, statusFromHttpCode, statusFromReset, statusFromTrailers } from './status';

/** Bytes of writes queued before the stream opens beyond which write() asks the caller to wait. */
const QUEUE_HIGH_WATER_MARK = 64 * 1024;
const { NGHTTP2_FLAG_END_STREAM, NGHTTP2_NO_ERROR, NGHTTP2_CANCEL } = http2.constants;

/** What a {@link LeanCall} reports; `onStatus` comes exactly once, last. */
export interface LeanCallListener {
  /** One response message's bytes (possibly a view into a received chunk). */
  onMessage(message: Buffer): void;
  /** How the call ended (code OK or not), after every message. */
  onStatus(status: CallStatus): void;
  /** The response headers of a call that is not trailers-only. */
  onMetadata?(headers: IncomingHttpHeaders): void;
  /** The stream can take more writes after write() returned false. */
  onDrain?(): void;
}

/** Options of one call. */
export interface LeanCallOptions {
  /** The call fails with DEADLINE_EXCEEDED "Deadline exceeded" then; sent to the server as grpc-timeout. */
  deadline?: Date | number;
}

/**
 * One gRPC call on one HTTP/2 stream of a {@link LeanChannel}, in bytes: request headers (:authority,
 * te: trailers, content-type application/grpc), framed messages out, messages, headers and trailers
 * in, and the call's end mapped to a status as grpc-js's Http2SubchannelCall maps it (trailers,
 * trailers-only responses, HTTP status, RST_STREAM codes, connection loss, deadline, cancellation).
 * Writes made before the connection is up are queued; write() returns the HTTP/2 stream's
 * backpressure answer and `onDrain` follows it.
 */
export class LeanCall implements ChannelCall {
  private stream: http2.ClientHttp2Stream | null = null;
  private queued: Buffer[] | null = [];
  private queuedBytes = 0;
  private drainWanted = false;
  private endQueued = false;
  private finalStatus: CallStatus | null = null;
  private statusOutput = false;
  private readsClosed = false;
  private serverEndedCall = false;
  private connectionDropped = false;
  private internalError: (Error & { code?: string }) | null = null;
  private httpStatus: number | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private readonly deframer: MessageDeframer;
  private readonly deadline: number;

  constructor(
    private readonly channel: LeanChannel,
    private readonly path: string,
    private readonly listener: LeanCallListener,
    options: LeanCallOptions = {},
  ) {
    this.deframer = new MessageDeframer(channel.maxReceiveMessageLength);
    const d = options.deadline;
    this.deadline = d === undefined ? Infinity : typeof d === 'number' ? d : d.getTime();
  }

  /** Opens the stream now if the channel is connected, else once it is (or fails UNAVAILABLE). */
  start(): void {
    if (this.finalStatus !== null) return;
    if (this.deadline !== Infinity) {
      const ms = this.deadline - Date.now();
      if (ms <= 0) {
        this.endCall(callStatus(Status.DEADLINE_EXCEEDED, 'Deadline exceeded'));
        return;
      }
      this.deadlineTimer = setTimeout(
        () => this.endCall(callStatus(Status.DEADLINE_EXCEEDED, 'Deadline exceeded')),
        ms,
      );
    }
    const session = this.channel.readySession();
    if (session) {
      this.open(session);
      return;
    }
    this.channel.connect().then(
      (s) => {
        if (this.finalStatus === null) this.open(s);
      },
      (err: Error) =>
        this.endCall(callStatus(Status.UNAVAILABLE, `No connection established. Last error: ${err.message}`)),
    );
  }

  /**
   * Sends one message. Returns false when the stream's buffer is full (wait for `onDrain`), or when the
   * call has ended (the message is dropped, as on a grpc-js call whose status is in).
   */
  write(message: Uint8Array): boolean {
    if (this.finalStatus !== null) return false;
    const max = this.channel.maxSendMessageLength;
    if (max !== -1 && message.length > max) {
      this.cancelWithStatus(
        Status.RESOURCE_EXHAUSTED,
        `Attempted to send message with a size larger than ${max}`,
      );
      return false;
    }
    const frame = frameMessage(message);
    if (this.stream === null) {
      this.queued?.push(frame);
      this.queuedBytes += frame.length;
      if (this.queuedBytes < QUEUE_HIGH_WATER_MARK) return true;
      this.drainWanted = true;
      return false;
    }
    try {
      return this.stream.write(frame);
    } catch (err) {
      this.endCall(callStatus(Status.UNAVAILABLE, `Write failed with error ${(err as Error).message}`));
      return false;
    }
  }

  /** Half-closes: no more messages from the client. */
  end(): void {
    if (this.stream === null) {
      this.endQueued = true;
      return;
    }
    if (!this.stream.writableEnded) this.stream.end();
  }

  /** Ends the call now with this status (grpc-js's cancelWithStatus); the server sees RST_STREAM CANCEL. */
  cancelWithStatus(code: Status, details: string): void {
    this.endCall(callStatus(code, details));
  }

  /** The connection under the stream went away: UNAVAILABLE "Connection dropped" unless the call ends first. */
  onDisconnect(): void {
    this.connectionDropped = true;
    setImmediate(() => this.endCall(callStatus(Status.UNAVAILABLE, 'Connection dropped')));
  }

  private open(session: http2.ClientHttp2Session): void {
    const headers: OutgoingHttpHeaders = {
      ':method': 'POST',
      ':path': this.path,
      ':authority': this.channel.authority,
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': 'govfabric-devnet-grpc',
    };
    if (this.deadline !== Infinity) headers['grpc-timeout'] = timeoutHeader(this.deadline - Date.now());
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request(headers);
    } catch (err) {
      this.endCall(
        callStatus(Status.UNAVAILABLE, `Failed to start HTTP/2 stream: ${(err as Error).message}`),
      );
      return;
    }
    this.stream = stream;
    this.channel.register(this, session);
    stream.on('response', (h, flags) => this.onResponse(h, flags));
    stream.on('trailers', (h) => this.onTrailers(h));
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('end', () => {
      this.readsClosed = true;
      this.maybeOutputStatus();
    });
    stream.on('close', () => this.onClose(stream));
    stream.on('error', (err: Error & { code?: string }) => {
      if (err.code !== 'ERR_HTTP2_STREAM_ERROR') this.internalError = err;
    });
    stream.on('drain', () => this.listener.onDrain?.());
    const queued = this.queued as Buffer[];
    this.queued = null;
    let flowing = true;
    for (const frame of queued) flowing = stream.write(frame);
    if (this.endQueued) stream.end();
    // A write refused while connecting is told to go on at the stream's next 'drain', or now.
    if (this.drainWanted && flowing) process.nextTick(() => this.listener.onDrain?.());
  }

  private onResponse(headers: IncomingHttpHeaders, flags: number): void {
    this.httpStatus = (headers as http2.IncomingHttpStatusHeader)[':status'];
    if (flags & NGHTTP2_FLAG_END_STREAM) this.onTrailers(headers);
    else this.listener.onMetadata?.(headers);
  }

  private onTrailers(headers: IncomingHttpHeaders): void {
    this.serverEndedCall = true;
    this.endCall(statusFromTrailers(headers, this.httpStatus));
  }

  private onData(chunk: Buffer): void {
    if (this.statusOutput) return;
    let messages: Buffer[];
    try {
      messages = this.deframer.push(chunk);
    } catch (err) {
      if (this.httpStatus !== undefined && this.httpStatus !== 200) {
        this.endCall(statusFromHttpCode(this.httpStatus));
      } else {
        const e = err as DeframeError;
        this.cancelWithStatus(e.code ?? Status.INTERNAL, e.message);
      }
      return;
    }
    for (const message of messages) {
      if (this.finalStatus !== null) return;
      this.listener.onMessage(message);
    }
  }

  private onClose(stream: http2.ClientHttp2Stream): void {
    this.serverEndedCall = true;
    this.channel.unregister(this);
    // After any 'error' event of the same moment, as grpc-js, so that its message can be reported.
    process.nextTick(() => {
      if (this.finalStatus?.code === Status.OK) return;
      if (stream.rstCode === NGHTTP2_NO_ERROR && this.finalStatus !== null) return;
      this.endCall(
        statusFromReset(
          stream.rstCode ?? NGHTTP2_NO_ERROR,
          this.httpStatus,
          this.connectionDropped,
          this.internalError,
        ),
      );
    });
  }

  private endCall(status: CallStatus): void {
    if (this.finalStatus !== null) return;
    this.finalStatus = status;
    clearTimeout(this.deadlineTimer);
    this.maybeOutputStatus();
    this.destroyStream();
  }

  private maybeOutputStatus(): void {
    const status = this.finalStatus;
    if (status === null || this.statusOutput) return;
    // An OK status waits for the end of the response, as grpc-js's, so every message comes first.
    if (status.code === Status.OK && !this.readsClosed) return;
    this.statusOutput = true;
    process.nextTick(() => this.listener.onStatus(status));
    this.stream?.resume();
  }

  private destroyStream(): void {
    const stream = this.stream;
    if (stream === null) {
      this.queued = null;
      return;
    }
    if (stream.destroyed) return;
    if (this.serverEndedCall) {
      // The server has ended its side: close ours (not again if the client ended it already).
      if (!stream.writableEnded) stream.end();
    } else {
      stream.close(this.finalStatus?.code === Status.OK ? NGHTTP2_NO_ERROR : NGHTTP2_CANCEL);
    }
  }
}

/** grpc-timeout for `ms` milliseconds: at most 8 digits, in the finest unit that fits (as grpc-js). */
export function timeoutHeader(ms: number): string {
  const t = Math.max(1, Math.ceil(ms));
  if (t < 1e8) return `${t}m`;
  if (t / 1000 < 1e8) return `${Math.ceil(t / 1000)}S`;
  if (t / 60_000 < 1e8) return `${Math.ceil(t / 60_000)}M`;
  return `${Math.ceil(t / 3_600_000)}H`;
}
