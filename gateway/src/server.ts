/**
 * Process entry of the HTTP gateway: `node gateway/dist/server.js`. Configuration comes from the
 * environment (see config.ts); SIGINT/SIGTERM stop it gracefully.
 */
import { ConfigError } from './config';
import { getLogger } from './logging';
import { startServer } from './start';

const logger = getLogger('server');

/** Requests in flight get this long to finish on shutdown before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const running = await startServer();
  const stop = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) logger.fatal(err.message);
  else logger.fatal({ err }, 'gateway failed to start');
  process.exitCode = 1;
});
