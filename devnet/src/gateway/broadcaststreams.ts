import { status as Status } from '@grpc/grpc-js';
import { common, type orderer } from '@hyperledger/fabric-protos';
import { callError, callStatus, LeanDuplexStream, type LeanChannel, type LeanMethod } from '../common/grpc';

/** Idle streams kept per orderer; more are ended once their envelope is answered. */
const MAX_IDLE_STREAMS = 64;

/**
 * Broadcast streams to one orderer, each reused for one envelope after another.
 *
 * Fabric's gateway opens a Broadcast stream per transaction. A stream costs the orderer's grpc-js server a new
 * call (headers, handler, trailers) and this peer a new HTTP/2 stream, per transaction; a stream that is kept
 * costs neither. Each stream carries one envelope at a time: a refusal ends its stream (Fabric's orderer stops
 * reading after one), a deadline abandons it, and a broken connection ends all, each affecting only the
 * envelope it carried.
 */
export class BroadcastStreams {
  private readonly idle: ReusedStream[] = [];
  private closed = false;

  constructor(
    private readonly channel: LeanChannel,
    private readonly method: LeanMethod<common.Envelope, orderer.BroadcastResponse>,
    private readonly address: string,
  ) {}

  /** Sends `envelope` on an idle stream (or a new one) and resolves with its one response. */
  broadcast(envelope: common.Envelope, deadline: Date): Promise<orderer.BroadcastResponse> {
    let stream = this.idle.pop();
    // A kept stream may have ended since (the orderer restarted, the connection dropped).
    while (stream !== undefined && !stream.usable) stream = this.idle.pop();
    stream ??= new ReusedStream(this.channel, this.method, this.address);
    return stream.send(envelope, deadline).then((response) => {
      this.release(stream, response);
      return response;
    });
  }

  /** Ends the idle streams; later broadcasts open new ones. */
  close(): void {
    this.closed = true;
    for (const stream of this.idle.splice(0)) stream.end();
  }

  private release(stream: ReusedStream, response: orderer.BroadcastResponse): void {
    // After a refusal the orderer reads no more from that stream.
    if (
      this.closed ||
      response.getStatus() !== common.Status.SUCCESS ||
      this.idle.length >= MAX_IDLE_STREAMS
    ) {
      stream.end();
    } else if (stream.usable) {
      this.idle.push(stream);
    }
  }
}

interface Waiter {
  resolve(response: orderer.BroadcastResponse): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** One Broadcast stream and the envelope it waits an answer for. */
class ReusedStream {
  private readonly stream: LeanDuplexStream<common.Envelope, orderer.BroadcastResponse>;
  private waiter?: Waiter;
  private over = false;

  constructor(
    channel: LeanChannel,
    method: LeanMethod<common.Envelope, orderer.BroadcastResponse>,
    private readonly address: string,
  ) {
    this.stream = new LeanDuplexStream(channel, method);
    this.stream.on('data', (response: orderer.BroadcastResponse) => {
      this.settle()?.resolve(response);
    });
    this.stream.on('error', (err: Error) => {
      this.over = true;
      this.settle()?.reject(err);
    });
    this.stream.on('end', () => {
      this.over = true;
      this.settle()?.reject(
        new Error(`orderer ${this.address} closed the Broadcast stream without a response: EOF`),
      );
    });
  }

  /** Open, and waiting for nothing. */
  get usable(): boolean {
    return !this.over && this.waiter === undefined;
  }

  send(envelope: common.Envelope, deadline: Date): Promise<orderer.BroadcastResponse> {
    return new Promise((resolve, reject) => {
      const ms = deadline.getTime() - Date.now();
      const timer = setTimeout(
        () => {
          // The answer may still come; this stream cannot tell it from the next envelope's.
          this.settle()?.reject(callError(callStatus(Status.DEADLINE_EXCEEDED, 'Deadline exceeded')));
          this.end();
        },
        Math.max(0, ms),
      );
      this.waiter = { resolve, reject, timer };
      if (this.over) {
        this.settle()?.reject(new Error(`orderer ${this.address} Broadcast stream is closed`));
        return;
      }
      this.stream.write(envelope);
    });
  }

  /** Half-closes the stream; the orderer then ends it. */
  end(): void {
    if (this.over) return;
    this.over = true;
    this.stream.end();
  }

  private settle(): Waiter | undefined {
    const waiter = this.waiter;
    if (waiter === undefined) return undefined;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    return waiter;
  }
}
