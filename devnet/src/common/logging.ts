import pino, { Logger } from 'pino';

/**
 * The one logger factory of devnet. Nodes log JSON lines to stdout (the process manager sends them
 * to `<home>/nodes/<node>/node.log`); `DEVNET_LOG_LEVEL` sets the level (default `info`).
 * Never log transient data, private data or payload values: log ids, keys' counts and codes.
 */
const root: Logger = pino({
  level: process.env.DEVNET_LOG_LEVEL ?? 'info',
  base: { node: process.env.DEVNET_NODE_NAME },
});

/** A child logger for one module, e.g. `getLogger('orderer.broadcast')`. */
export function getLogger(module: string): Logger {
  return root.child({ module });
}
