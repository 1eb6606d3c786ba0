import type { common, orderer, peer } from '@hyperledger/fabric-protos';
import type { CollectionConfigJson } from '../privdata/collections';

/**
 * What the Gateway service needs from the rest of the peer, injected by node/peer.ts (Fabric's
 * gateway.CreateServer takes the same collaborators: local endorser, discovery, ledger, ACL checker).
 * Every type here is structural and no wider than the gateway uses, so the real classes of msp/,
 * policies/, channelconfig/, ledger/ and peer/ satisfy them without adapters.
 */

/** A signature to check against a policy (fabric protoutil.SignedData). */
export interface GatewaySignedData {
  data: Uint8Array;
  identity: Uint8Array;
  signature: Uint8Array;
}

/** A policy of the channel's PolicyManager: both methods throw (naming the policy) when it is not satisfied. */
export interface GatewayPolicy {
  /** Verifies every signature, then judges the valid signers (client ACL checks). */
  evaluate(signedData: GatewaySignedData[]): void;
  /**
   * Judges identities alone (fabric EvaluateIdentities): how the gateway decides whether the endorsers it
   * has heard from are enough. Like Fabric's gateway, which plans from discovery's layouts, it does not
   * verify endorsement signatures; the committing peers' validation does.
   */
  evaluateIdentities(identities: GatewayIdentity[]): void;
  /**
   * {@link evaluateIdentities} as a yes or no, without building the error (policies/IdentityPolicy has it): the
   * gateway asks after every endorsement, and the answer is no after the first one of most transactions.
   */
  isSatisfiedBy?(identities: GatewayIdentity[]): boolean;
}

/** A deserialized identity (msp Identity): the gateway verifies client signatures with it. */
export interface GatewayIdentity {
  mspId: string;
  /** Unique within the MSP (hex SHA-256 of the certificate). */
  id: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** The part of the channel's config Bundle (channelconfig/) the gateway reads. */
export interface GatewayBundle {
  channelId: string;
  /** The channel config; its Application `ACLs` value may override the gateway's default ACL policies. */
  config?: common.Config;
  msps: { deserializeIdentity(serializedIdentity: Uint8Array): GatewayIdentity };
  policies: { getPolicy(path: string): GatewayPolicy | undefined };
  /** The endorsing organizations and where their peers are (the anchor peers of each application org). */
  applicationOrgs: { mspId: string; anchorPeers: { host: string; port: number }[] }[];
}

/** Where a transaction was committed on this peer. */
export interface GatewayTxLocation {
  blockNumber: number;
  /** peer.TxValidationCode from the block's TRANSACTIONS_FILTER. */
  validationCode: number;
}

/** The part of the peer's BlockStore (ledger/blockstore) the gateway reads. */
export interface GatewayBlockStore {
  height(): number;
  getBlock(blockNumber: number): Promise<common.Block | undefined>;
  getTxLocation(txId: string): Promise<(GatewayTxLocation & { txNumber: number }) | undefined>;
  waitForHeight(height: number, signal?: AbortSignal): Promise<void>;
}

/** One channel this peer has joined (peer/ Channel). Read `bundle` on every use: config updates replace it. */
export interface GatewayChannel {
  readonly bundle: GatewayBundle;
  readonly store: GatewayBlockStore;
  /** Called after each block is committed (state applied), with its TRANSACTIONS_FILTER. Returns an unsubscribe. */
  onCommit(listener: (block: common.Block, filter: Uint8Array) => void): () => void;
  /**
   * Resolves when the transaction is committed, at once if it already is. Optional: without it the gateway
   * combines `store.getTxLocation` with `onCommit` itself.
   */
  waitForTx?(txId: string, signal?: AbortSignal): Promise<GatewayTxLocation>;
}

/** Per-call options the gateway passes to an endorser. */
export interface ProcessProposalOptions {
  /** When the gateway stops waiting (EndorsementTimeout, bounded by the client's deadline). */
  deadline?: Date;
  /**
   * Evaluate: only the chaincode's Response is read. The local endorser then skips the signature, the
   * payload and the chaincode interest (ECDSA and encodings no one reads); a remote one ignores it.
   */
  evaluateOnly?: boolean;
}

/**
 * An endorser: the local endorser/ Endorser, or a client of another peer's `protos.Endorser` service.
 * Local: a rejection means the proposal failed the peer's checks (Fabric: response and error → FailedPrecondition).
 * Remote: a rejection is a gRPC failure (→ Unavailable, try another peer).
 */
export interface ProposalEndorser {
  processProposal(
    signedProposal: peer.SignedProposal,
    options?: ProcessProposalOptions,
  ): Promise<peer.ProposalResponse>;
}

/** A client of another organization's peer. */
export interface RemoteEndorser extends ProposalEndorser {
  /** `host:port`, as it appears in ErrorDetail.address. */
  readonly address: string;
  close(): void;
}

/** Where another organization's peer is: one of the channel's anchor peers of that org. */
export interface EndorserTarget {
  mspId: string;
  host: string;
  port: number;
}

/** Creates a client for another organization's peer (see endorserclient.ts for the TLS one). */
export type EndorserFactory = (target: EndorserTarget) => RemoteEndorser;

/** A client of one ordering node's `orderer.AtomicBroadcast/Broadcast` (see broadcastclient.ts). */
export interface BroadcastClient {
  /** `host:port`, as it appears in ErrorDetail.address. */
  readonly address: string;
  readonly mspId: string;
  /** Sends one envelope and resolves with the orderer's one answer; rejects on a gRPC failure or the deadline. */
  broadcast(envelope: common.Envelope, deadline: Date): Promise<orderer.BroadcastResponse>;
}

/** The committed definition of a chaincode, as far as endorsement needs it (lifecycle/ definition). */
export interface GatewayChaincodeDefinition {
  /** A channel policy reference, or (from a `_lifecycle` definition) a signature policy. */
  endorsementPolicy: { channelConfigPolicy: string; signaturePolicy?: common.SignaturePolicyEnvelope };
  /** Private data collections (collections config JSON entries); absent = none. */
  collections?: CollectionConfigJson[];
}

/** Timeouts, with Fabric's defaults (core.yaml peer.gateway). */
export interface GatewayOptions {
  /** peer.gateway.endorsementTimeout: one endorser's ProcessProposal. Default 30 s. */
  endorsementTimeoutMs: number;
  /** peer.gateway.broadcastTimeout: one orderer's Broadcast. Default 30 s. */
  broadcastTimeoutMs: number;
}

/** Fabric's defaults for GatewayOptions. */
export const defaultGatewayOptions: GatewayOptions = {
  endorsementTimeoutMs: 30_000,
  broadcastTimeoutMs: 30_000,
};

/** Everything registerGatewayService needs. */
export interface GatewayDeps {
  /** This peer's Endorser (endorser/). */
  localEndorser: ProposalEndorser;
  /** This peer's organization, e.g. `ImmigrationMSP`. */
  localMspId: string;
  /** This peer's endpoint `host:port` as other nodes know it, e.g. `peer0.immigration.egov.local:7051`. */
  localAddress: string;
  /** The channel, or undefined if this peer has not joined it. */
  getChannel(channelId: string): GatewayChannel | undefined;
  /** The chaincode's committed definition on the channel, or undefined if it is not defined. */
  getChaincodeDefinition(channelId: string, chaincodeName: string): GatewayChaincodeDefinition | undefined;
  /** Whether the name is a system chaincode (`_lifecycle`, qscc, cscc): every peer of the channel runs those. */
  isSysCC?(chaincodeName: string): boolean;
  /** Clients for other organizations' peers; the gateway caches one per address and closes it on failure. */
  newEndorser: EndorserFactory;
  /** The ordering nodes of the channel. */
  orderers(channelId: string): BroadcastClient[];
  /**
   * Builds a key-level (state-based) endorsement policy from the ChaincodeInterest a proposal response carries
   * (policies/ newSignaturePolicy with the channel's MSPs). Without it, key policies in the interest are refused.
   */
  newSignaturePolicy?(channelId: string, envelope: common.SignaturePolicyEnvelope): GatewayPolicy;
  options?: Partial<GatewayOptions>;
}
