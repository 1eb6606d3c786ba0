import * as grpc from '@grpc/grpc-js';
import {
  CLIENT_KEEPALIVE_TIME_MS,
  KEEPALIVE_TIMEOUT_MS,
  LeanChannel,
  MAX_MESSAGE_SIZE,
  clientOptions,
} from '../common/grpc';

/** How to reach a TLS gRPC server of another node. */
export interface TlsTarget {
  /** `host:port` to dial. */
  dialAddress: string;
  /** PEM of the CA that issued the server's TLS certificate (its org's TLS CA). */
  tlsRootCertPem: Buffer;
  /** The name the server's certificate carries, when it differs from the dialled host (e.g. peer0.x.egov.local). */
  serverName?: string;
  /** This node's TLS client certificate and key, for servers that require mutual TLS. */
  clientCertPem?: Buffer;
  clientKeyPem?: Buffer;
}

/**
 * Channel credentials and options for a TlsTarget: devnet's client options (Fabric's message sizes and
 * keepalive, and the TLS name override by which Fabric dials a node by IP).
 */
export function tlsChannel(target: TlsTarget): {
  credentials: grpc.ChannelCredentials;
  options: grpc.ChannelOptions;
} {
  const credentials = grpc.credentials.createSsl(
    target.tlsRootCertPem,
    target.clientKeyPem ?? null,
    target.clientCertPem ?? null,
  );
  return { credentials, options: clientOptions(target.serverName) };
}

/**
 * devnet's lean gRPC channel (common/grpc LeanChannel) for a TlsTarget, with what {@link tlsChannel} gives
 * grpc-js: the target's TLS root, client key pair, server name override (also the calls' :authority),
 * Fabric's message sizes and client keepalive.
 */
export function leanTlsChannel(target: TlsTarget): LeanChannel {
  return new LeanChannel(target.dialAddress, {
    tls: {
      rootCert: target.tlsRootCertPem,
      privateKey: target.clientKeyPem ?? null,
      certChain: target.clientCertPem ?? null,
      serverNameOverride: target.serverName,
    },
    maxReceiveMessageLength: MAX_MESSAGE_SIZE,
    maxSendMessageLength: MAX_MESSAGE_SIZE,
    keepaliveTimeMs: CLIENT_KEEPALIVE_TIME_MS,
    keepaliveTimeoutMs: KEEPALIVE_TIMEOUT_MS,
  });
}
