import type * as http2 from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { serverOptions } from './options';
import type { NodeCertificates } from './nodecertificates';
import { ResetFilter, type ResetFilterStats } from './resetfilter';

type AnyHttp2Server = http2.Http2Server | http2.Http2SecureServer;
type ConnectionListener = (this: AnyHttp2Server, socket: Socket) => void;

/** The grpc-js internal that builds each bound port's HTTP/2 server (grpc-js 1.14, pinned). */
interface Http2ServerFactory {
  createHttp2Server(credentials: grpc.ServerCredentials): AnyHttp2Server;
}

const stats = new WeakMap<grpc.Server, ResetFilterStats>();

/**
 * A devnet gRPC server (peer, orderer, any other): Fabric's options ({@link serverOptions}) and
 * every accepted connection passed through a {@link ResetFilter}, so clients that reset each
 * stream after its response are served as Fabric's Go servers serve them, while resets that
 * cancel streams in progress still count against Node's rapid-reset (CVE-2023-44487) limit.
 * Connections of the network's own nodes (`nodes`: they never reset a stream that has ended) go to
 * the HTTP/2 session directly: the filter moves every byte through JavaScript, and these carry most
 * of a node's traffic (the gateway's Broadcast and endorsements, the peers' Deliver).
 */
export function newServer(options: grpc.ServerOptions = {}, nodes?: NodeCertificates): grpc.Server {
  const server = new grpc.Server({ ...serverOptions(), ...options });
  const counts: ResetFilterStats = { connections: 0, droppedResets: 0, unfiltered: 0 };
  stats.set(server, counts);
  const factory = server as unknown as Http2ServerFactory;
  const create = factory.createHttp2Server.bind(server);
  factory.createHttp2Server = (credentials) => {
    const http2Server = create(credentials);
    skipResetStreams(http2Server);
    const secure = credentials._isSecure();
    filterConnections(
      http2Server,
      secure ? 'secureConnection' : 'connection',
      counts,
      secure ? nodes : undefined,
    );
    return http2Server;
  };
  return server;
}

/** What the reset filters of `server` (made by {@link newServer}) did so far. */
export function resetFilterStats(server: grpc.Server): Readonly<ResetFilterStats> {
  const found = stats.get(server);
  if (!found) throw new Error('not a devnet gRPC server: make it with newServer()');
  return found;
}

type StreamListener = (this: AnyHttp2Server, stream: http2.ServerHttp2Stream, ...rest: unknown[]) => void;

/**
 * Hands grpc-js only streams that are still open, and never lets a stream's error go unhandled.
 * Node emits 'stream' a tick after the HEADERS frame; when the client's RST_STREAM came in the same
 * read, the stream is already destroyed and grpc-js 1.14 throws from `respond()` on it (an unknown
 * method): an uncaught exception that would end the node. Such a stream has nothing left to serve.
 */
function skipResetStreams(http2Server: AnyHttp2Server): void {
  for (const listener of http2Server.listeners('stream') as StreamListener[]) {
    http2Server.removeListener('stream', listener);
    http2Server.on('stream', function (this: AnyHttp2Server, stream, ...rest) {
      // grpc-js listens for errors only on the calls it serves; a stream it answered at once
      // (unknown method) or never saw would throw its error (session torn down) uncaught.
      stream.on('error', () => undefined);
      if (stream.destroyed || stream.closed) return;
      listener.call(this, stream, ...rest);
    });
  }
}

/**
 * Re-plugs Node's HTTP/2 connection listener (the first listener of `event`, added by the
 * http2 server's constructor) so that it gets the socket behind a reset filter, or the socket
 * itself when the client presented one of `nodes`' certificates.
 */
function filterConnections(
  http2Server: AnyHttp2Server,
  event: string,
  counts: ResetFilterStats,
  nodes: NodeCertificates | undefined,
): void {
  const [http2Listener] = http2Server.listeners(event) as ConnectionListener[];
  if (!http2Listener) throw new Error(`HTTP/2 server has no '${event}' listener to wrap`);
  http2Server.removeListener(event, http2Listener);
  http2Server.prependListener(event, function (this: AnyHttp2Server, socket: Socket) {
    // Replies go out at once, as grpc-go's do: with Nagle on, a small reply waited for the client's
    // delayed ACK (40 ms on Linux) — 40-50 ms on each endorsement, Broadcast and block delivery.
    socket.setNoDelay(true);
    if (nodes?.presentedBy(socket as TLSSocket)) {
      counts.unfiltered++;
      http2Listener.call(this, socket);
      return;
    }
    http2Listener.call(this, new ResetFilter(socket, counts) as unknown as Socket);
  });
  http2Server.prependListener('session', (session: http2.ServerHttp2Session) => showPeerAddress(session));
}

/**
 * Node wraps a JS stream given to an HTTP/2 session in a socket of its own (JSStreamSocket) that
 * knows no addresses, so grpc-js's `call.getPeer()` would read `unknown`: copy the TCP socket's
 * addresses onto it. Best effort: it finds that socket by the description of Node's internal symbol.
 */
function showPeerAddress(session: http2.ServerHttp2Session): void {
  const key = Object.getOwnPropertySymbols(session).find((s) => s.description === 'socket');
  const inner = key ? (session as unknown as Record<symbol, { stream?: unknown }>)[key] : undefined;
  if (!inner || !(inner.stream instanceof ResetFilter)) return;
  const tcp = inner.stream.transport as Socket;
  for (const name of ['remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort'] as const)
    Object.defineProperty(inner, name, { value: tcp[name], configurable: true });
}
