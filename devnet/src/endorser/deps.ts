import type { common, ledger, peer } from '@hyperledger/fabric-protos';
import type { ChaincodeDefinition, ExecuteRequest, ExecuteResult } from '../chaincode';
import type { StateDB } from '../ledger/statedb';
import type { TxSimulator } from '../ledger/txmgr';
import type { UnpackedProposal } from '../protoutil';

/**
 * What the endorser needs from the rest of the peer. Every type is structural and no wider than the
 * endorser uses, so msp/ MSPManager, policies/ PolicyManager, channelconfig/ Bundle, peer/ Channel
 * and chaincode/ ChaincodeSupport satisfy them as they are.
 */

/** A deserialized creator (msp Identity). */
export interface EndorserIdentity {
  mspId: string;
  /** Certificate expiry: an expired creator is refused as Fabric's identity Validate() does. */
  expiresAt?: Date;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** A signature to evaluate against a policy (protoutil SignedData). */
export interface EndorserSignedData {
  data: Uint8Array;
  identity: Uint8Array;
  signature: Uint8Array;
}

/** The part of the channel's config Bundle the endorser reads. */
export interface EndorserBundle {
  channelId: string;
  /** The channel config; an Application `ACLs` value may map `peer/Propose` to another policy. */
  config?: common.Config;
  /** Throws for an unknown MSP, a malformed identity or a certificate not issued by the MSP. */
  msps: { deserializeIdentity(serializedIdentity: Uint8Array): EndorserIdentity; getMSPIds?(): string[] };
  policies: { getPolicy(path: string): { evaluate(signedData: EndorserSignedData[]): void } | undefined };
}

/** One channel this peer has joined (peer/ Channel). `bundle` is read on every proposal. */
export interface EndorserChannel {
  readonly bundle: EndorserBundle;
  readonly state: StateDB;
  /** For the duplicate-txid check; without it the check is skipped. */
  readonly store?: { getTxLocation(txId: string): Promise<unknown | undefined> };
}

/** Runs chaincode (chaincode/ ChaincodeSupport). */
export interface ChaincodeExecutor {
  definition(name: string): ChaincodeDefinition | undefined;
  execute(req: ExecuteRequest): Promise<ExecuteResult>;
}

/** The peer's signing identity (msp SigningIdentity). */
export interface EndorserSigner {
  serialize(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
  /** The same signature made on a worker thread (msp SigningIdentity); `sign` is used without it. */
  signAsync?(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * The peer's system chaincodes (scc/ SystemChaincodes): proposals naming one are run by it instead of
 * ChaincodeSupport, as Fabric's endorser runs `_lifecycle`, qscc and cscc inside the peer.
 */
export interface SystemChaincodeRunner {
  isSysCC(name: string): boolean;
  /** Whether the system chaincode gets a TxSimulator (Fabric: not qscc and cscc). */
  needsSimulator(name: string): boolean;
  /** The peer's local MSP, for channel-less proposals. */
  localMsp(): { msps: EndorserBundle['msps'] };
  /** Runs the proposal; `channel` is the EndorserChannel of the proposal's channel (undefined if none). */
  execute(
    up: UnpackedProposal,
    channel: EndorserChannel | undefined,
    simulator: TxSimulator | undefined,
  ): Promise<{ response: peer.Response; results?: Uint8Array }>;
}

/** Private data of a channel (privdata/ PeerPrivateData satisfies it). */
export interface EndorserPrivateData {
  /** A simulator that understands collections and the proposal creator's membership. */
  newSimulator(state: StateDB, txId: string, up: UnpackedProposal): TxSimulator;
  /** The private write set of a finished simulation, if any. */
  pvtResults(sim: TxSimulator): ledger.rwset.TxPvtReadWriteSet | undefined;
  /** Distributes it to member peers and keeps it in the transient store (never in the response). */
  distribute(txId: string, pvt: ledger.rwset.TxPvtReadWriteSet): Promise<void>;
}

/** Constructor dependencies of the Endorser. */
export interface EndorserDeps {
  /** The channel by id, undefined if this peer has not joined it. */
  channels: (channelId: string) => EndorserChannel | undefined;
  chaincodeSupport: ChaincodeExecutor;
  /** Signs endorsements (the peer's own identity from its MSP folder). */
  signer: EndorserSigner;
  /** System chaincodes; without them every name goes to `chaincodeSupport`. */
  systemChaincodes?: SystemChaincodeRunner;
  /** Private data of a channel; without it private data APIs fail in simulation. */
  privateData?: (channelId: string) => EndorserPrivateData | undefined;
}

/** Per-call options (the gateway's ProcessProposalOptions); accepted for interface compatibility. */
export interface ProcessProposalOptions {
  deadline?: Date;
  /**
   * The caller reads only the chaincode's Response (the gateway's Evaluate on its own peer): the
   * response then carries no endorsement, payload or chaincode interest, which no one would read.
   */
  evaluateOnly?: boolean;
}

/** Re-exported for callers that build responses. */
export type ProposalResponse = peer.ProposalResponse;
