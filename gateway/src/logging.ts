import pino, { Logger } from 'pino';

/**
 * The HTTP gateway's root logger: JSON lines on stdout. `GATEWAY_LOG_LEVEL` sets the level
 * (default `info`). Never log request or response bodies, record payloads or transient data:
 * log ids, routes, status codes and error codes only.
 */
export const rootLogger: Logger = pino({
  level: process.env.GATEWAY_LOG_LEVEL ?? 'info',
  base: { service: 'govfabric-gateway' },
});

/** A child logger for one module, e.g. `getLogger('fabric.connection')`. */
export function getLogger(module: string): Logger {
  return rootLogger.child({ module });
}
