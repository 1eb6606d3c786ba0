import { createRequire } from 'node:module';
import type { ClientHttp2Stream } from 'node:http2';

/** The part of grpc-js 1.14's (pinned) client call on one HTTP/2 stream that {@link skipRedundantEnd} changes. */
interface SubchannelCall {
  http2Stream: ClientHttp2Stream;
  serverEndedCall: boolean;
  destroyHttp2Stream(): void;
}

let patched = false;

/**
 * When the server has ended a call, grpc-js 1.14 closes the client's side of its HTTP/2 stream with `end()`,
 * also when the client has ended it already, as in every unary call and every Broadcast devnet half-closes
 * after the response. On a stream that has finished writing Node's `end()` then builds an
 * ERR_STREAM_ALREADY_FINISHED, with a stack trace of every frame, and drops it (grpc-js passes no callback):
 * 1.2 % of the gateway peer's busy time during writes (two client calls per transaction). This skips that
 * `end()`, and only that one: a stream whose writable side was never ended is ended as before. Applied once per
 * process, when devnet's gRPC module is loaded; a grpc-js without this method is left alone.
 */
export function skipRedundantEnd(): boolean {
  if (patched) return true;
  let proto: SubchannelCall | undefined;
  try {
    const mod = createRequire(require.resolve('@grpc/grpc-js'))('./subchannel-call') as {
      Http2SubchannelCall?: { prototype: SubchannelCall };
    };
    proto = mod.Http2SubchannelCall?.prototype;
  } catch {
    return false;
  }
  const original = proto?.destroyHttp2Stream;
  if (!proto || typeof original !== 'function') return false;
  proto.destroyHttp2Stream = function (this: SubchannelCall): void {
    if (this.serverEndedCall && this.http2Stream.writableEnded) return;
    original.call(this);
  };
  patched = true;
  return true;
}

skipRedundantEnd();
