import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import type { TLSSocket } from 'node:tls';

/**
 * The TLS certificates of the network's own nodes (orderer and peers), by SHA-256 fingerprint. A
 * server tells a connection from one of them by the client certificate it presented in the TLS
 * handshake (servers ask for one, as Fabric's do), which the handshake proves the client holds the key of.
 * The set is read when a node starts: a node added later (ministry:add) is served as any other client
 * by the nodes already running until they restart.
 */
export class NodeCertificates {
  private readonly fingerprints: ReadonlySet<string>;

  constructor(pems: Iterable<string | Buffer>) {
    this.fingerprints = new Set([...pems].map((pem) => new X509Certificate(pem).fingerprint256));
  }

  /** The certificates in these PEM files; a file that cannot be read or parsed is named in the error. */
  static fromFiles(paths: Iterable<string>): NodeCertificates {
    return new NodeCertificates(
      [...paths].map((p) => {
        try {
          return fs.readFileSync(p);
        } catch (err) {
          throw new Error(`cannot read node TLS certificate ${p}: ${(err as Error).message}`);
        }
      }),
    );
  }

  /** Whether the client at the other end of this TLS socket presented one of the nodes' certificates. */
  presentedBy(socket: TLSSocket): boolean {
    // {} when the client sent none.
    const fingerprint = socket.getPeerCertificate().fingerprint256 as string | undefined;
    return fingerprint !== undefined && this.fingerprints.has(fingerprint);
  }

  /** How many certificates the set holds. */
  get size(): number {
    return this.fingerprints.size;
  }
}

/** What {@link nodeCertificatesOf} reads of network.json (structurally network-config's NetworkDescriptor). */
export interface NetworkNodes {
  orderer: { tls: { certPath: string } };
  organizations: { peers: { tls: { certPath: string } }[] }[];
}

/** The TLS certificates of the orderer and every peer of network.json. */
export function nodeCertificatesOf(network: NetworkNodes): NodeCertificates {
  return NodeCertificates.fromFiles([
    network.orderer.tls.certPath,
    ...network.organizations.flatMap((org) => org.peers.map((p) => p.tls.certPath)),
  ]);
}
