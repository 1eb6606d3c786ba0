import * as grpc from '@grpc/grpc-js';
import { clientOptions } from '../common/grpc';

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
