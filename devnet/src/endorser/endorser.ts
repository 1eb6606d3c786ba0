import { peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import type { ChaincodeDefinition } from '../chaincode';
import { TxSimulator } from '../ledger/txmgr';
import { UnpackedProposal, getBytesProposalResponsePayload, unpackProposal } from '../protoutil';
import { checkProposeACL } from './acl';
import type { EndorserChannel, EndorserDeps, ProcessProposalOptions } from './deps';
import { validateProposal } from './msgvalidation';
import { ProposalError } from './proposalerror';

const logger = getLogger('endorser');

/** Fabric shim's thresholds: >= 400 is an error response (not endorsed), >= 500 keeps the payload. */
const ERRORTHRESHOLD = 400;
const ERROR = 500;

function failure(status: number, message: string): peer.ProposalResponse {
  const response = new peer.Response();
  response.setStatus(status);
  response.setMessage(message);
  const pr = new peer.ProposalResponse();
  pr.setResponse(response);
  return pr;
}

/**
 * The peer's endorser (Fabric's core/endorser/endorser.go ProcessProposal).
 *
 * ```ts
 * const endorser = new Endorser({
 *   channels: (id) => peer.channel(id),        // { bundle, state, store? } or undefined
 *   chaincodeSupport,                          // chaincode/ ChaincodeSupport
 *   signer: SigningIdentity.fromMSPDir(peerMspDir, mspId),
 * });
 * ```
 */
export class Endorser {
  constructor(private readonly deps: EndorserDeps) {}

  /**
   * Checks, simulates and endorses a proposal.
   *
   * Rejects with a {@link ProposalError} when the proposal cannot be unpacked, fails validation
   * ("error validating proposal: access denied: ..."), is a duplicate, or fails the `peer/Propose`
   * ACL (default `/Channel/Application/Writers`) — Fabric answers these with a gRPC error.
   * Otherwise resolves with a ProposalResponse: status 500 with a message when the channel is
   * unknown, the chaincode undefined or the simulation failed; the chaincode's own response when it
   * returned >= 400 (with the payload but no endorsement at >= 500, as Fabric); else version 1,
   * the chaincode's response, the ProposalResponsePayload and this peer's endorsement.
   */
  async processProposal(signed: peer.SignedProposal, _options?: ProcessProposalOptions): Promise<peer.ProposalResponse> {
    let up: UnpackedProposal;
    try {
      up = unpackProposal(signed);
    } catch (err) {
      throw new ProposalError((err as Error).message);
    }
    const channelId = up.channelHeader.getChannelId();
    const channel = this.deps.channels(channelId);
    if (!channel) {
      return failure(ERROR, `channel '${channelId}' not found`);
    }
    await this.preProcess(up, channel);
    try {
      return await this.processSuccessfullyOrError(up, channel);
    } catch (err) {
      logger.warn({ channel: channelId, chaincode: up.chaincodeName, txId: shortTxId(up), error: (err as Error).message }, 'failed to invoke chaincode');
      return failure(ERROR, (err as Error).message);
    }
  }

  /**
   * For the gateway's Evaluate: Fabric's gateway calls the same ProcessProposal on a local peer
   * (same checks, the Writers ACL included), then reads the result from the response payload.
   */
  simulate(signed: peer.SignedProposal, options?: ProcessProposalOptions): Promise<peer.ProposalResponse> {
    return this.processProposal(signed, options);
  }

  private async preProcess(up: UnpackedProposal, channel: EndorserChannel): Promise<void> {
    const bundle = channel.bundle;
    try {
      validateProposal(up, bundle);
    } catch (err) {
      logger.warn({ channel: bundle.channelId, txId: shortTxId(up), error: (err as Error).message }, 'proposal validation failed');
      throw new ProposalError(`error validating proposal: ${(err as Error).message}`);
    }
    const txId = up.channelHeader.getTxId();
    if (channel.store && (await channel.store.getTxLocation(txId)) !== undefined) {
      throw new ProposalError(`duplicate transaction found [${txId}]. Creator [${Buffer.from(up.signatureHeader.getCreator_asU8()).toString('hex')}]`);
    }
    try {
      checkProposeACL(bundle, up.signedProposal, up.signatureHeader.getCreator_asU8());
    } catch (err) {
      throw new ProposalError((err as Error).message);
    }
  }

  private async processSuccessfullyOrError(up: UnpackedProposal, channel: EndorserChannel): Promise<peer.ProposalResponse> {
    const channelId = up.channelHeader.getChannelId();
    const def = this.deps.chaincodeSupport.definition(up.chaincodeName);
    if (!def) {
      throw new Error(`make sure the chaincode ${up.chaincodeName} has been successfully defined on channel ${channelId} and try again: could not find chaincode with name '${up.chaincodeName}'`);
    }
    const simulator = new TxSimulator(channel.state, up.channelHeader.getTxId());
    let response: peer.Response;
    let event: peer.ChaincodeEvent | undefined;
    let results: Uint8Array;
    try {
      ({ response, event } = await this.deps.chaincodeSupport.execute({
        channelId,
        txId: up.channelHeader.getTxId(),
        signedProposal: up.signedProposal,
        chaincodeName: up.chaincodeName,
        input: up.input,
        simulator,
      }));
      results = simulator.getResultsBytes();
    } catch (err) {
      throw new Error(`error in simulation: ${(err as Error).message}`);
    } finally {
      await simulator.done();
    }
    const status = response.getStatus();
    // Fabric (callChaincode): an error response carries no event.
    const eventBytes = status >= ERRORTHRESHOLD || !event ? undefined : event.serializeBinary();
    const prpBytes = getBytesProposalResponsePayload(up.proposalHash, { response, results, events: eventBytes, chaincodeId: chaincodeId(def) });
    return this.respond(response, prpBytes);
  }

  private respond(response: peer.Response, prpBytes: Uint8Array): peer.ProposalResponse {
    const pr = new peer.ProposalResponse();
    pr.setResponse(response);
    const status = response.getStatus();
    if (status >= ERROR) {
      pr.setPayload(prpBytes);
      return pr;
    }
    if (status >= ERRORTHRESHOLD) {
      return pr;
    }
    // Fabric's default ESCC: sign payload ‖ endorser with the peer's identity.
    const endorser = this.deps.signer.serialize();
    const endorsement = new peer.Endorsement();
    endorsement.setEndorser(endorser);
    endorsement.setSignature(this.deps.signer.sign(Buffer.concat([prpBytes, endorser])));
    pr.setVersion(1);
    pr.setPayload(prpBytes);
    pr.setEndorsement(endorsement);
    return pr;
  }
}

function chaincodeId(def: ChaincodeDefinition): peer.ChaincodeID {
  const id = new peer.ChaincodeID();
  id.setName(def.name);
  id.setVersion(def.version);
  return id;
}

function shortTxId(up: UnpackedProposal): string {
  return up.channelHeader.getTxId().slice(0, 8);
}
