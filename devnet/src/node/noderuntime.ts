/**
 * How devnet runs its orderer and peers: V8's heap options and glibc's allocator settings. CAs run
 * with Node's defaults (they are not on the transaction path), and chaincode servers with the
 * environment of node/chaincodeenv.ts, as on a Fabric network.
 */

/** The kinds of devnet node that run with {@link NODE_OPTIONS} and {@link MALLOC_TUNABLES}. */
type TunedKind = 'orderer' | 'peer';

/**
 * V8 options of the orderer and the peers. A heap limit of 1 GiB (V8's default here is 4 GiB) lowers
 * V8's heap growing factor from 4 to about 1.6: the gateway peer's old generation held two to three
 * times its 30 MB of live objects as garbage between full collections (peak RSS 180-230 MiB against
 * 150 with the limit, the same CPU per write); a node's live heap is a few tens of MB. A semi-space of
 * at most 8 MB (V8's default here is 16): a node whose allocation rate grows its young generation to
 * the limit, as the gateway peer's does under load, holds two semi-spaces of 8 MB instead of 16
 * (peak RSS about 15 MiB lower, the same CPU per write; 4 MB cost 16 % more CPU).
 */
export const NODE_OPTIONS: readonly string[] = ['--max-old-space-size=1024', '--max-semi-space-size=8'];

/**
 * glibc malloc settings of the orderer and the peers (GLIBC_TUNABLES; other C libraries ignore it).
 * Node's buffers, OpenSSL, nghttp2 and LevelDB allocate with malloc. After a freed chunk that was
 * mmapped, glibc raises its mmap threshold to that chunk's size and its trim threshold to twice it
 * (up to 32 and 64 MiB), so later large buffers come from the heap and freed memory at the heap's
 * top stays resident: an idle peer after a write load gave back 10-12 MiB to malloc_trim(0). Fixed
 * thresholds of 128 KiB (glibc's initial values, without the raising) return large buffers and the
 * heap's free top to the system; two arenas instead of eight per core serve V8's and libuv's worker
 * threads. Measured on 2 cores with 3,000 writes at c=50, 600 at c=10 and 6,000 reads, three times:
 * peak RSS of the orderer and the three peers 466-467 MiB against 491-507 for devnets without them;
 * in the side-by-side benchmark, CPU per write 0.99-1.01 of such a devnet's (docs/performance.md).
 */
export const MALLOC_TUNABLES = [
  'glibc.malloc.mmap_threshold=131072',
  'glibc.malloc.trim_threshold=131072',
  'glibc.malloc.arena_max=2',
].join(':');

/** What a devnet node runs with: its Node options and the environment it adds to the caller's. */
export interface NodeRuntime {
  nodeOptions: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The Node options and environment of a devnet node of `kind`: the orderer and the peers get
 * {@link NODE_OPTIONS} and {@link MALLOC_TUNABLES}, unless the caller's environment sets
 * GLIBC_TUNABLES itself (theirs is kept, as with DEVNET_NODE_ARGS).
 */
export function nodeRuntime(kind: string, callerEnv: NodeJS.ProcessEnv = process.env): NodeRuntime {
  if (!isTuned(kind)) return { nodeOptions: [], env: {} };
  return {
    nodeOptions: [...NODE_OPTIONS],
    env: callerEnv.GLIBC_TUNABLES === undefined ? { GLIBC_TUNABLES: MALLOC_TUNABLES } : {},
  };
}

function isTuned(kind: string): kind is TunedKind {
  return kind === 'orderer' || kind === 'peer';
}
