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
 * TLS server credentials from a node's TLS files (fabric internal/pkg/comm ServerConfig). As Fabric's
 * servers (`tls.RequestClientCert`), they ask every client for a certificate without requiring one, so
 * a server can tell the network's own nodes by the certificate they present (see {@link NodeCertificates}).
 * With `requireClientCert` clients must present a certificate issued by `tls.caCertPath` or one of
 * `clientRootCertPaths` (every organization's TLS CA, for mutual TLS as Fabric's clientAuthRequired).
 */
export function serverCredentials(
  tls: TlsFiles,
  requireClientCert = false,
  clientRootCertPaths: string[] = [],
): grpc.ServerCredentials {
  const roots = [tls.caCertPath, ...clientRootCertPaths].map((p) => read(p, 'TLS CA certificate'));
  const key = read(tls.keyPath, 'TLS private key');
  const cert = read(tls.certPath, 'TLS certificate');
  if (requireClientCert) {
    return grpc.ServerCredentials.createSsl(
      Buffer.concat(roots),
      [{ private_key: key, cert_chain: cert }],
      true,
    );
  }
  // grpc-js's only way to ask for a client certificate without requiring it: requestCert with
  // rejectUnauthorized off, given by certificate providers (here of fixed files).
  return grpc.experimental.createCertificateProviderServerCredentials(
    fixedCertificates({ certificate: cert, privateKey: key }, null),
    fixedCertificates(null, { caCertificate: Buffer.concat(roots) }),
    false,
  );
}

/**
 * A certificate provider of certificates that never change. grpc-js reads the server's TLS settings
 * before it listens for updates and applies them only as an update, so each listener is told on the
 * next tick, after it is registered.
 */
function fixedCertificates(
  identity: grpc.experimental.IdentityCertificateUpdate | null,
  ca: grpc.experimental.CaCertificateUpdate | null,
): grpc.experimental.CertificateProvider {
  return {
    addCaCertificateListener: (listener) => process.nextTick(() => listener(ca)),
    removeCaCertificateListener: () => undefined,
    addIdentityCertificateListener: (listener) => process.nextTick(() => listener(identity)),
    removeIdentityCertificateListener: () => undefined,
  };
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
