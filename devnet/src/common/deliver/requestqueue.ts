import type { Readable } from 'node:stream';

/**
 * The requests of a stream, taken one at a time (like Go's srv.Recv()): `next()` resolves with the
 * next message, or undefined once the client has half-closed or the stream has failed. Unlike a
 * `for await` loop it never destroys the stream, so the server can still send its last status.
 */
export class RequestQueue<T> {
  private readonly buffered: T[] = [];
  private ended = false;
  private waiting: ((value: T | undefined) => void) | undefined;

  constructor(stream: Readable) {
    stream.on('data', (msg: T) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(msg);
      } else {
        this.buffered.push(msg);
      }
    });
    const finish = (): void => {
      this.ended = true;
      const w = this.waiting;
      this.waiting = undefined;
      w?.(undefined);
    };
    stream.on('end', finish);
    stream.on('error', finish);
    stream.on('close', finish);
  }

  /** The next request, or undefined when there will be no more. */
  next(): Promise<T | undefined> {
    if (this.buffered.length > 0) return Promise.resolve(this.buffered.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}
