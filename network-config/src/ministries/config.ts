/**
 * The list of ministries after validation, with every default applied and every port assigned:
 * what {@link loadMinistries} returns and what the generators consume.
 */

/** One peer node of a ministry. */
export interface PeerConfig {
  /** Host name inside the domain, e.g. `peer0` (cryptogen's `Hostname`). */
  hostname: string;
  /** Node name, e.g. `peer0.immigration.egov.local` (cryptogen's `CommonName`). */
  name: string;
  port: number;
  operationsPort: number;
  chaincodePort: number;
}

/** One ministry: an application organization of the channel. */
export interface MinistryConfig {
  /** e.g. `ImmigrationMSP`; also the organization's config group name under /Channel/Application. */
  mspId: string;
  /** e.g. `Immigration` */
  name: string;
  /** e.g. `immigration.egov.local` */
  domain: string;
  peers: PeerConfig[];
  /** The ministry's certificate authority. */
  ca: CAConfig;
  /** Number of non-admin users cryptogen generates (User1..UserN, cryptogen's `Users: Count`). */
  users: number;
}

/** An organization's certificate authority (devnet runs it; it speaks Fabric CA's REST API over HTTPS). */
export interface CAConfig {
  /** Node name, e.g. `ca.immigration.egov.local` (also the CN of the organization's signing CA). */
  name: string;
  /** Fabric CA's CA name (`caname` in requests), e.g. `ca-immigration`. */
  caName: string;
  port: number;
}

/** Batch settings of the orderer (configtxgen's `BatchSize`), in bytes. */
export interface BatchSizeConfig {
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
}

/** The ordering organization and its single Raft node. */
export interface OrdererOrgConfig {
  /** Config group name under /Channel/Orderer, e.g. `OrdererOrg`. */
  name: string;
  mspId: string;
  domain: string;
  hostname: string;
  /** Node name, e.g. `orderer.egov.local`. */
  nodeName: string;
  port: number;
  operationsPort: number;
  ca: CAConfig;
  /** Go duration string, e.g. `100ms`. */
  batchTimeout: string;
  batchSize: BatchSizeConfig;
}

/** The resolved list of ministries. */
export interface MinistriesConfig {
  channel: string;
  chaincode: { name: string; version: string };
  orderer: OrdererOrgConfig;
  ministries: MinistryConfig[];
  /** Absolute path of the YAML file this was read from (undefined when parsed from a string). */
  sourceFile?: string;
  /** Hex SHA-256 of the YAML text: decides whether generated material can be reused. */
  sha256: string;
}
