/**
 * Test-only server-sent events reader over node:http: collects frames until the caller has enough,
 * then disconnects, like an EventSource client that remembers its last event id. Not part of the build.
 */
import * as http from 'node:http';

/** A received frame, `data` parsed as JSON. */
export interface ReceivedFrame {
  id?: string;
  event?: string;
  data: unknown;
}

/** What a read ended with. */
export interface SseRead {
  status: number;
  headers: http.IncomingHttpHeaders;
  frames: ReceivedFrame[];
  /** True when the server ended the stream (rather than the reader leaving). */
  endedByServer: boolean;
  /** The body of a non-stream answer (a problem). */
  body?: string;
}

function parseFrame(text: string): ReceivedFrame | undefined {
  const frame: { id?: string; event?: string; data?: string } = {};
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id' || field === 'event' || field === 'data') frame[field] = value;
  }
  if (frame.data === undefined) return undefined;
  return { id: frame.id, event: frame.event, data: JSON.parse(frame.data) };
}

/**
 * GETs `url` and reads frames until `enough(frames)` is true (then disconnects) or the server ends
 * the stream. Rejects when `timeoutMs` passes first, saying what was received.
 */
export function readSse(
  url: string,
  enough: (frames: ReceivedFrame[]) => boolean,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<SseRead> {
  return new Promise((resolve, reject) => {
    const frames: ReceivedFrame[] = [];
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...options.headers } }, (res) => {
      const done = (endedByServer: boolean, body?: string): void => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, frames, endedByServer, body });
      };
      res.setEncoding('utf8');
      if (!String(res.headers['content-type']).startsWith('text/event-stream')) {
        let body = '';
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => done(true, body));
        return;
      }
      let buffer = '';
      let finished = false;
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while (!finished && (end = buffer.indexOf('\n\n')) >= 0) {
          const frame = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (frame) frames.push(frame);
          if (frame && enough(frames)) {
            finished = true;
            done(false);
            req.destroy();
          }
        }
      });
      res.on('error', () => undefined);
      res.on('end', () => {
        if (!finished) done(true);
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(
        new Error(
          `SSE ${url}: not enough frames in ${options.timeoutMs ?? 60_000} ms; got ${JSON.stringify(frames)}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
