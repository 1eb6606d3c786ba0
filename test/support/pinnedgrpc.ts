import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { REPO } from './devnet';

/** The folder of the pinned old client (its own package.json and lock, outside the workspaces). */
export const PINNED_GRPC_DIR = path.join(REPO, 'test', 'fixtures', 'grpc-js-1.10.3');

/**
 * @grpc/grpc-js 1.10.3, the client Caliper 0.6.0's fabric-gateway binding pins (it resets every
 * stream after its response); installed into {@link PINNED_GRPC_DIR} from its lock on first use.
 */
export function pinnedGrpc(): typeof grpc {
  return createRequire(__filename)(PINNED_GRPC_DIR) as typeof grpc;
}
