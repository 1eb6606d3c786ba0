import type { ChannelOptions } from '@grpc/grpc-js';

/** Fabric's default max gRPC message size, both directions (internal/pkg/comm DefaultMaxRecvMsgSize/SendMsgSize). */
export const MAX_MESSAGE_SIZE = 100 * 1024 * 1024;

/** Fabric's client keepalive: ping after 1 min idle, give up 20 s later (comm DefaultKeepaliveOptions). */
export const CLIENT_KEEPALIVE_TIME_MS = 60_000;
/** Keepalive ping timeout. */
export const KEEPALIVE_TIMEOUT_MS = 20_000;
/** Fabric's server keepalive interval (2 h). */
export const SERVER_KEEPALIVE_TIME_MS = 2 * 60 * 60 * 1000;

/** Message-size options shared by servers and clients. */
export function messageSizeOptions(): ChannelOptions {
  return {
    'grpc.max_send_message_length': MAX_MESSAGE_SIZE,
    'grpc.max_receive_message_length': MAX_MESSAGE_SIZE,
  };
}

/** Options for a devnet gRPC server: Fabric's message sizes and server keepalive. */
export function serverOptions(): ChannelOptions {
  return {
    ...messageSizeOptions(),
    'grpc.keepalive_time_ms': SERVER_KEEPALIVE_TIME_MS,
    'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  };
}

/**
 * Options for a client that dials 127.0.0.1 while verifying the server's certificate for
 * `hostOverride` (its node name, a DNS SAN of its TLS cert), as Fabric's `ServerHostOverride`.
 * Includes message sizes and Fabric's client keepalive.
 */
export function clientOptions(hostOverride?: string): ChannelOptions {
  const opts: ChannelOptions = {
    ...messageSizeOptions(),
    'grpc.keepalive_time_ms': CLIENT_KEEPALIVE_TIME_MS,
    'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  };
  if (hostOverride) {
    opts['grpc.ssl_target_name_override'] = hostOverride;
    opts['grpc.default_authority'] = hostOverride;
  }
  return opts;
}
