import type * as grpc from '@grpc/grpc-js';

/**
 * Stops a gRPC server: lets calls in flight finish for `graceMs`, then cuts what is left. Deliver and
 * event streams wait for blocks that may never come and would otherwise hold the shutdown forever.
 */
export function shutdownServer(server: grpc.Server, graceMs = 1000): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
