/**
 * The resolved network: what the generator writes to `<home>/network.json` and what every devnet
 * node, the gateway, the tests and the scripts read. All paths are absolute.
 */

/** TLS files of a node or user, in cryptogen's layout (`tls/ca.crt`, `tls/server.crt`, `tls/server.key`). */
export interface TlsFiles {
  caCertPath: string;
  certPath: string;
  keyPath: string;
}

/** An enrolled identity (cryptogen's `users/<name>/msp`). */
export interface UserDescriptor {
  /** e.g. `Admin@immigration.egov.local` */
  name: string;
  mspDir: string;
  /** `msp/signcerts/<name>-cert.pem` */
  certPath: string;
  /** `msp/keystore/priv_sk` (PKCS#8 PEM) */
  keyPath: string;
  tls: TlsFiles;
}

export interface PeerDescriptor {
  /** e.g. `peer0.immigration.egov.local`: also the TLS server name (a DNS SAN of its TLS cert). */
  name: string;
  host: string;
  /** gRPC port: Gateway, Endorser, Deliver services. */
  port: number;
  /** Operations HTTP port: /healthz (and /metrics later). */
  operationsPort: number;
  /** Port on which this peer's chaincode-as-a-service servers listen (one server per peer). */
  chaincodePort: number;
  mspDir: string;
  tls: TlsFiles;
  /**
   * The endpoint the peer advertises to other organizations (Fabric's
   * `peer.gossip.externalEndpoint`): what discovery hands out, and what a gateway names the peer by
   * in an error's details. Absent in older descriptors: `<name>:<port>`, as devnet advertises.
   */
  externalEndpoint?: string;
}

/** The endpoint `peer` advertises to other organizations ({@link PeerDescriptor.externalEndpoint}). */
export function externalEndpointOf(peer: Pick<PeerDescriptor, 'name' | 'port' | 'externalEndpoint'>): string {
  return peer.externalEndpoint ?? `${peer.name}:${peer.port}`;
}

/**
 * An organization's certificate authority: devnet runs it beside the network (devnet/src/ca); it speaks
 * Fabric CA's REST API over HTTPS and signs with the organization's cryptogen signing CA (same MSP).
 */
export interface CADescriptor {
  /** Node name, e.g. `ca.immigration.egov.local`: the CN of the signing CA and a DNS SAN of its TLS cert. */
  name: string;
  /** Fabric CA's CA name (the `caname` clients send, `FabricCAServices`' third argument), e.g. `ca-immigration`. */
  caName: string;
  host: string;
  port: number;
  /** e.g. `https://localhost:7054`: what `new FabricCAServices(url, { trustedRoots, verify: true }, caName)` takes. */
  url: string;
  /** The cryptogen `ca/` folder (`ca.<domain>-cert.pem`, `priv_sk`) the CA signs certificates and CRLs with. */
  signingCaDir: string;
  /** The CA's HTTPS certificate and key, issued by the organization's TLS CA; `caCertPath` is the TLS CA to trust. */
  tls: TlsFiles;
  /** Fabric CA's bootstrap identity (`fabric-ca-server -b admin:<secret>`): registrar, revoker, CRL generator. */
  registrar: {
    enrollmentId: string;
    /** File holding its generated enrollment secret (mode 0600). */
    secretPath: string;
  };
  /** The CA's persisted state (LevelDB: identities, issued certificates, revocations), created by the CA. */
  stateDir: string;
}

export interface OrganizationDescriptor {
  /** e.g. `ImmigrationMSP` */
  mspId: string;
  /** e.g. `Immigration` */
  name: string;
  /** e.g. `immigration.egov.local` */
  domain: string;
  /** The organization's verifying MSP folder (cacerts, tlscacerts, config.yaml, no keys). */
  mspDir: string;
  /** Signing CA certificate (PEM path). */
  caCertPath: string;
  /** TLS CA certificate (PEM path). */
  tlsCaCertPath: string;
  peers: PeerDescriptor[];
  admin: UserDescriptor;
  /** User1 (the first of {@link users}). */
  user: UserDescriptor;
  /** User1..UserN (cryptogen's `Users: Count`, ministries.yaml `users`). */
  users: UserDescriptor[];
  ca: CADescriptor;
}

/** An organization whose CA may be absent: a real Fabric network made with cryptogen runs none. */
export type OrganizationMaybeWithCA = Omit<OrganizationDescriptor, 'ca'> & { ca?: CADescriptor };

/** A network descriptor whose CAs may be absent: devnet's, or a real Fabric network's (no Fabric CA). */
export type NetworkMaybeWithCAs = Omit<NetworkDescriptor, 'organizations' | 'orderer'> & {
  organizations: OrganizationMaybeWithCA[];
  orderer: Omit<OrdererDescriptor, 'ca'> & { ca?: CADescriptor };
};

export interface OrdererDescriptor {
  mspId: string;
  /** e.g. `orderer.egov.local` */
  name: string;
  host: string;
  port: number;
  operationsPort: number;
  mspDir: string;
  tls: TlsFiles;
  orgMspDir: string;
  caCertPath: string;
  tlsCaCertPath: string;
  admin: UserDescriptor;
  ca: CADescriptor;
  /** Batch settings written into the genesis block. */
  batchTimeout: string;
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
}

export interface NetworkDescriptor {
  /** Absolute runtime directory (git-ignored), default `<repo>/.devnet`. */
  home: string;
  channel: string;
  /** The chaincode govfabric deploys (name and version). */
  chaincode: { name: string; version: string };
  /**
   * `<home>/collections/<chaincode>.json`: the chaincode's collections config in the peer CLI's
   * JSON format (the central bank's account collections, one per ministry), what its deploy passes
   * as `--collections-config`. Absent when the network has no central bank (`CentralBankMSP`).
   */
  collectionsConfigPath?: string;
  /** `<home>/channel/<channel>.block`: a serialized common.Block. */
  genesisBlockPath: string;
  orderer: OrdererDescriptor;
  organizations: OrganizationDescriptor[];
  /** Set by the generator: the ministries YAML this network was generated from. */
  generatedFrom?: GeneratedFrom;
}

/**
 * Where network.json came from: lets the generator reuse the material when neither the list of
 * ministries nor the generator changed.
 */
export interface GeneratedFrom {
  /** Absolute path of the ministries YAML, if read from a file. */
  ministriesFile?: string;
  /** Hex SHA-256 of the ministries YAML text. */
  sha256: string;
  /** Generator format version; a change forces regeneration. */
  generator: string;
  /** ISO time of generation. */
  generatedAt: string;
}

/**
 * A connection profile for the HTTP gateway and scripts: `<home>/profiles/<MSPID>.json` (User1) and
 * `<home>/profiles/<MSPID>-admin.json` (Admin). Paths are absolute.
 */
export interface Profile {
  /** e.g. `ImmigrationMSP` */
  mspId: string;
  channel: string;
  chaincode: { name: string; version: string };
  /** `host:port` to dial, e.g. `127.0.0.1:7051`. */
  peerEndpoint: string;
  /** TLS server name to verify, e.g. `peer0.immigration.egov.local` (grpc.ssl_target_name_override). */
  peerHostAlias: string;
  /** The ministry's TLS CA certificate (verifies the peer's TLS certificate). */
  tlsCaCertPath: string;
  /** Signing certificate of the identity (`msp/signcerts/<name>-cert.pem`). */
  certPath: string;
  /** Its PKCS#8 PEM private key (`msp/keystore/priv_sk`). */
  keyPath: string;
}
