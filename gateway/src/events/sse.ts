import type { Response } from 'express';

/** One server-sent event (WHATWG HTML, "Server-sent events"). */
export interface SseFrame {
  id?: string;
  event?: string;
  /** Sent as one line of JSON. */
  data: unknown;
}

/** The wire text of a frame; JSON has no raw newlines, so `data` is one line. */
export function formatSseFrame(frame: SseFrame): string {
  const lines: string[] = [];
  if (frame.id !== undefined) lines.push(`id: ${frame.id}`);
  if (frame.event !== undefined) lines.push(`event: ${frame.event}`);
  lines.push(`data: ${JSON.stringify(frame.data)}`);
  return `${lines.join('\n')}\n\n`;
}

/**
 * An open `text/event-stream` response: frames are written in order and `send` waits while the
 * socket's buffer is full, so a slow client slows the block reader instead of filling memory.
 * A comment line every `heartbeatMs` keeps proxies from closing a quiet stream.
 */
export class SseResponse {
  private readonly heartbeat: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly res: Response,
    heartbeatMs: number,
    retryMs: number,
  ) {
    res.status(200);
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: ${retryMs}\n\n`);
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
    res.once('close', () => this.stop());
  }

  /** True once the client went away or {@link end} was called. */
  get closed(): boolean {
    return this.ended;
  }

  /** Writes a frame; resolves when the socket takes more (false when the stream closed meanwhile). */
  async send(frame: SseFrame): Promise<boolean> {
    if (this.ended) return false;
    if (this.write(formatSseFrame(frame))) return true;
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve(!this.ended);
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  /** Ends the response (the client may reconnect with its last event id). */
  end(): void {
    if (this.ended) return;
    this.stop();
    this.res.end();
  }

  private write(text: string): boolean {
    return this.ended ? true : this.res.write(text);
  }

  private stop(): void {
    this.ended = true;
    clearInterval(this.heartbeat);
  }
}
