import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, register } from 'prom-client';
import { getLogger } from '../common/logging';

const logger = getLogger('operations.runner');

/** A named health check: resolves when healthy, rejects with the reason otherwise. */
export type HealthCheck = () => Promise<void>;

/** Options of {@link startOperationsServer}. */
export interface OperationsServerOptions {
  /** Port on 127.0.0.1; 0 picks a free one (see {@link OperationsServer.port}). */
  port: number;
  /** Health checks by component name, run on every GET /healthz. */
  checks: Record<string, HealthCheck>;
  /** Reported by GET /version. */
  version?: string;
  /** How long /healthz waits for the checks before answering 408 (Fabric: 30 s). */
  healthTimeoutMs?: number;
}

/** A running operations server. */
export interface OperationsServer {
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** A failed check as /healthz reports it (fabric-lib-go healthz.FailedCheck). */
interface FailedCheck {
  component: string;
  reason: string;
}

let defaultMetricsStarted = false;

/**
 * Starts the operations HTTP service of a node (fabric core/operations System) on 127.0.0.1:
 * `GET /healthz` answers 200 `{"status":"OK","time":...}` when every check passes, else 503
 * `{"status":"Service Unavailable","time":...,"failed_checks":[{"component","reason"}]}`
 * (fabric-lib-go healthz); `GET /metrics` serves prom-client's default registry in Prometheus
 * text format; `GET /version` the node's version.
 */
export async function startOperationsServer(options: OperationsServerOptions): Promise<OperationsServer> {
  if (!defaultMetricsStarted) {
    defaultMetricsStarted = true;
    collectDefaultMetrics();
  }
  const server = http.createServer((req, res) => {
    route(req, res, options).catch((err: unknown) => {
      logger.error({ err: (err as Error).message, url: req.url }, 'operations request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'operations server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: OperationsServerOptions,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const handler = routes[path];
  if (!handler) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('404 page not found\n');
    return;
  }
  if (req.method !== 'GET') {
    res.writeHead(405);
    res.end();
    return;
  }
  await handler(res, options);
}

const routes: Record<string, (res: http.ServerResponse, options: OperationsServerOptions) => Promise<void>> =
  {
    '/healthz': serveHealthz,
    '/metrics': async (res) => {
      const body = await register.metrics();
      res.writeHead(200, { 'Content-Type': register.contentType });
      res.end(body);
    },
    '/version': async (res, options) => {
      writeJson(res, 200, { Version: options.version ?? 'devnet', CommitSHA: 'development build' });
    },
  };

async function serveHealthz(res: http.ServerResponse, options: OperationsServerOptions): Promise<void> {
  const timeoutMs = options.healthTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
  );
  const result = await Promise.race([runChecks(options.checks), timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    res.writeHead(408);
    res.end();
    return;
  }
  const time = new Date().toISOString();
  if (result.length === 0) {
    writeJson(res, 200, { status: 'OK', time });
  } else {
    writeJson(res, 503, { status: 'Service Unavailable', time, failed_checks: result });
  }
}

/** Runs every check concurrently; the failed ones, sorted by component. */
async function runChecks(checks: Record<string, HealthCheck>): Promise<FailedCheck[]> {
  const entries = Object.entries(checks);
  const results = await Promise.allSettled(entries.map(([, check]) => check()));
  const failed: FailedCheck[] = [];
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      const reason = r.reason instanceof Error ? r.reason.message : String(r.reason);
      failed.push({ component: entries[i][0], reason });
    }
  });
  return failed.sort((a, b) => a.component.localeCompare(b.component));
}

function writeJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}
