import * as http from 'node:http';
import type { FuzzRequest } from './requests';

/** What came back. */
export interface FuzzResponse {
  status: number;
  contentType: string;
  body: string;
}

/** One attempt; rejects with `reused` set when it failed on a kept-alive socket the server had closed. */
function attempt(base: URL, agent: http.Agent, req: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const out = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers,
        agent,
        timeout: 180_000,
      },
      (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        // An event stream never ends by itself: its status and headers are the answer.
        if (contentType.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, contentType, body: '' });
          res.on('error', () => undefined);
          out.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType,
            body: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
          }),
        );
        res.on('error', reject);
      },
    );
    out.on('timeout', () => out.destroy(new Error('no answer in 180 s')));
    out.on('error', (err: NodeJS.ErrnoException) =>
      reject(Object.assign(err, { reused: out.reusedSocket && err.code === 'ECONNRESET' })),
    );
    out.end(req.body);
  });
}

/**
 * Sends the request over a plain socket exactly as generated (node:http does not re-encode the
 * path or the body), reusing at most `agent.maxSockets` connections. A request that met a kept-alive
 * connection the server closed as idle at that very moment never reached it: it is sent again, once.
 */
export async function send(base: URL, agent: http.Agent, req: FuzzRequest): Promise<FuzzResponse> {
  try {
    return await attempt(base, agent, req);
  } catch (err) {
    if ((err as { reused?: boolean }).reused) return attempt(base, agent, req);
    throw err;
  }
}

/** A request as saved for replay (the body base64). */
export function toReplayLine(req: FuzzRequest, res: FuzzResponse | string): string {
  return JSON.stringify({
    method: req.method,
    path: req.path,
    headers: req.headers,
    body: req.body?.toString('base64'),
    got: typeof res === 'string' ? res : { status: res.status, body: res.body.slice(0, 500) },
  });
}

/** A request saved by {@link toReplayLine}. */
export function fromReplayLine(line: string): FuzzRequest {
  const r = JSON.parse(line) as {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: string;
  };
  return {
    method: r.method,
    path: r.path,
    headers: r.headers,
    body: r.body ? Buffer.from(r.body, 'base64') : undefined,
  };
}
