import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';

/**
 * A node's TLS files; structurally network-config's `TlsFiles` (declared here so this module
 * type-checks without network-config being built).
 */
export interface TlsFiles {
  caCertPath: string;
  certPath: string;
  keyPath: string;
}

function read(path: string, what: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
}

/**
 * TLS server credentials from a node's TLS files (fabric internal/pkg/comm ServerConfig).
 * With `requireClientCert` clients must present a certificate issued by `tls.caCertPath` or one
 * of `clientRootCertPaths` (every organization's TLS CA, for mutual TLS as Fabric's
 * clientAuthRequired).
 */
export function serverCredentials(
  tls: TlsFiles,
  requireClientCert = false,
  clientRootCertPaths: string[] = [],
): grpc.ServerCredentials {
  const roots = [tls.caCertPath, ...clientRootCertPaths].map((p) => read(p, 'TLS CA certificate'));
  return grpc.ServerCredentials.createSsl(
    Buffer.concat(roots),
    [
      {
        private_key: read(tls.keyPath, 'TLS private key'),
        cert_chain: read(tls.certPath, 'TLS certificate'),
      },
    ],
    requireClientCert,
  );
}

/** A client certificate and key for mutual TLS. */
export interface ClientCertFiles {
  certPath: string;
  keyPath: string;
}

/** TLS client credentials trusting `caCertPath` (the server's TLS CA), optionally with a client certificate. */
export function clientCredentials(caCertPath: string, client?: ClientCertFiles): grpc.ChannelCredentials {
  const ca = read(caCertPath, 'TLS CA certificate');
  if (!client) return grpc.credentials.createSsl(ca);
  return grpc.credentials.createSsl(
    ca,
    read(client.keyPath, 'TLS client key'),
    read(client.certPath, 'TLS client certificate'),
  );
}
