import { ledger, peer } from '@hyperledger/fabric-protos';
import { buildChaincodeInterest } from '../privdata/interest';
import { PvtTxSimulator } from '../privdata/pvtsimulator';
import { getLogger } from '../common/logging';
import type { ChaincodeDefinition } from '../chaincode';
import { TxSimulator } from '../ledger/txmgr';
import { UnpackedProposal, getBytesProposalResponsePayload } from '../protoutil';
import { unpackProposal } from './unpack';
import { checkProposeACL } from './acl';
import type { EndorserChannel, EndorserDeps, ProcessProposalOptions, SystemChaincodeRunner } from './deps';
import { checkCreatorNotExpired } from './expiration';
import { validateProposal } from './msgvalidation';
import { ProposalError } from './proposalerror';
import { readDefinitionSequence } from '../lifecycle/endorsementinfo';
import { proposalCompleted, proposalReceived, proposalValidationFailed } from '../metrics';

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
  async processProposal(
    signed: peer.SignedProposal,
    options?: ProcessProposalOptions,
  ): Promise<peer.ProposalResponse> {
    let up: UnpackedProposal;
    proposalReceived();
    try {
      up = unpackProposal(signed);
      checkCreatorNotExpired(up);
    } catch (err) {
      proposalValidationFailed();
      throw new ProposalError((err as Error).message);
    }
    const channelId = up.channelHeader.getChannelId();
    const scc = this.deps.systemChaincodes;
    if (scc?.isSysCC(up.chaincodeName)) {
      return this.processSystemProposal(up, scc);
    }
    const channel = this.deps.channels(channelId);
    if (!channel) {
      return failure(ERROR, `channel '${channelId}' not found`);
    }
    await this.preProcess(up, channel);
    const started = process.hrtime.bigint();
    let success = false;
    try {
      const evaluateOnly = options?.evaluateOnly === true;
      const res = await this.processSuccessfullyOrError(up, channel, evaluateOnly);
      // As Fabric: a proposal counts as successful only when it was endorsed (or would have been).
      success = res.hasEndorsement() || (evaluateOnly && isEndorsable(res));
      return res;
    } catch (err) {
      logger.warn(
        {
          channel: channelId,
          chaincode: up.chaincodeName,
          txId: shortTxId(up),
          error: (err as Error).message,
        },
        'failed to invoke chaincode',
      );
      return failure(ERROR, (err as Error).message);
    } finally {
      proposalCompleted(
        channelId,
        up.chaincodeName,
        success,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  /**
   * A proposal for a system chaincode (`_lifecycle`, qscc, cscc), as Fabric's endorser handles one: a
   * channel-less proposal is validated against the peer's local MSP and answered unendorsed; on a
   * channel the usual checks run except the `peer/Propose` ACL (each system chaincode checks its own),
   * then the response is endorsed like any chaincode's (chaincode version `syscc`).
   */
  private async processSystemProposal(
    up: UnpackedProposal,
    scc: SystemChaincodeRunner,
  ): Promise<peer.ProposalResponse> {
    const channelId = up.channelHeader.getChannelId();
    if (channelId === '') {
      try {
        validateProposal(up, {
          channelId: '',
          msps: scc.localMsp().msps,
          policies: { getPolicy: () => undefined },
        });
      } catch (err) {
        throw new ProposalError(`error validating proposal: ${(err as Error).message}`);
      }
      const pr = new peer.ProposalResponse();
      pr.setResponse((await scc.execute(up, undefined, undefined)).response);
      return pr;
    }
    const channel = this.deps.channels(channelId);
    if (!channel) {
      return failure(ERROR, `channel '${channelId}' not found`);
    }
    await this.preProcess(up, channel, true);
    const simulator = scc.needsSimulator(up.chaincodeName)
      ? new TxSimulator(channel.state, up.channelHeader.getTxId())
      : undefined;
    let result: Awaited<ReturnType<SystemChaincodeRunner['execute']>>;
    try {
      result = await scc.execute(up, channel, simulator);
    } catch (err) {
      return failure(ERROR, `error in simulation: ${(err as Error).message}`);
    } finally {
      await simulator?.done();
    }
    const id = new peer.ChaincodeID();
    id.setName(up.chaincodeName);
    id.setVersion('syscc');
    const results = result.results ?? new Uint8Array();
    const prpBytes = getBytesProposalResponsePayload(up.proposalHash, {
      response: result.response,
      results,
      chaincodeId: id,
    });
    return await this.respond(result.response, prpBytes);
  }

  private async preProcess(up: UnpackedProposal, channel: EndorserChannel, isSysCC = false): Promise<void> {
    const bundle = channel.bundle;
    try {
      validateProposal(up, bundle);
    } catch (err) {
      logger.warn(
        { channel: bundle.channelId, txId: shortTxId(up), error: (err as Error).message },
        'proposal validation failed',
      );
      throw new ProposalError(`error validating proposal: ${(err as Error).message}`);
    }
    const txId = up.channelHeader.getTxId();
    if (channel.store && (await channel.store.getTxLocation(txId)) !== undefined) {
      throw new ProposalError(
        `duplicate transaction found [${txId}]. Creator [${Buffer.from(up.signatureHeader.getCreator_asU8()).toString('hex')}]`,
      );
    }
    // Fabric checks peer/Propose only for application chaincodes; system chaincodes check their own ACLs.
    if (isSysCC) return;
    try {
      checkProposeACL(bundle, up.signedProposal, up.signatureHeader.getCreator_asU8());
    } catch (err) {
      throw new ProposalError((err as Error).message);
    }
  }

  private async processSuccessfullyOrError(
    up: UnpackedProposal,
    channel: EndorserChannel,
    evaluateOnly: boolean,
  ): Promise<peer.ProposalResponse> {
    const channelId = up.channelHeader.getChannelId();
    const def = this.deps.chaincodeSupport.definition(up.chaincodeName);
    if (!def) {
      throw new Error(
        `make sure the chaincode ${up.chaincodeName} has been successfully defined on channel ${channelId} and try again: could not find chaincode with name '${up.chaincodeName}'`,
      );
    }
    const pvtData = this.deps.privateData?.(channelId);
    const simulator =
      pvtData?.newSimulator(channel.state, up.channelHeader.getTxId(), up) ??
      new TxSimulator(channel.state, up.channelHeader.getTxId());
    if (this.deps.systemChaincodes) {
      // With `_lifecycle`, Fabric reads the definition's sequence through the simulator (an MVCC read).
      try {
        await readDefinitionSequence(simulator, channelId, up.chaincodeName, def.sequence);
      } catch (err) {
        await simulator.done();
        throw new Error(
          `make sure the chaincode ${up.chaincodeName} has been successfully defined on channel ${channelId} and try again: ${(err as Error).message}`,
        );
      }
    }
    let response: peer.Response;
    let event: peer.ChaincodeEvent | undefined;
    let rwset: ledger.rwset.TxReadWriteSet | undefined;
    try {
      ({ response, event } = await this.deps.chaincodeSupport.execute({
        channelId,
        txId: up.channelHeader.getTxId(),
        signedProposal: up.signedProposal,
        chaincodeName: up.chaincodeName,
        input: up.input,
        simulator,
      }));
      // An Evaluate answered below 400 needs no read-write set (building and encoding it was 3 % of the gateway
      // peer's busy time per read), unless private data is involved: its results come with the set.
      if (!evaluateOnly || response.getStatus() >= ERRORTHRESHOLD || touchedCollections(simulator))
        rwset = simulator.getResults();
    } catch (err) {
      throw new Error(`error in simulation: ${(err as Error).message}`);
    } finally {
      await simulator.done();
    }
    const status = response.getStatus();
    // Fabric's simulateProposal: the private write set goes to member peers and the transient store, never into the response.
    const pvt = status < ERRORTHRESHOLD ? pvtData?.pvtResults(simulator) : undefined;
    if (pvt && pvtData) await pvtData.distribute(up.channelHeader.getTxId(), pvt);
    if (evaluateOnly && status < ERRORTHRESHOLD) return evaluated(response);
    if (rwset === undefined) throw new Error('simulation results missing'); // unreachable: built above
    const results = rwset.serializeBinary();
    // Fabric (callChaincode): an error response carries no event.
    const eventBytes = status >= ERRORTHRESHOLD || !event ? undefined : event.serializeBinary();
    const prpBytes = getBytesProposalResponsePayload(up.proposalHash, {
      response,
      results,
      events: eventBytes,
      chaincodeId: chaincodeId(def),
    });
    const pr = await this.respond(response, prpBytes);
    // Fabric's buildChaincodeInterest: key-level policies and collections, for the gateway's endorsement plan.
    if (pr.hasEndorsement())
      // From the simulation's own read-write set: decoding the bytes just encoded was 1 % of an Evaluate.
      pr.setInterest(await buildChaincodeInterest(rwset, channel.state));
    return pr;
  }

  private async respond(response: peer.Response, prpBytes: Uint8Array): Promise<peer.ProposalResponse> {
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
    // On the thread pool where the signer can: ECDSA was a tenth of the gateway peer's busy time per Evaluate.
    const signed = Buffer.concat([prpBytes, endorser]);
    const signer = this.deps.signer;
    endorsement.setSignature(signer.signAsync ? await signer.signAsync(signed) : signer.sign(signed));
    pr.setVersion(1);
    pr.setPayload(prpBytes);
    pr.setEndorsement(endorsement);
    return pr;
  }
}

/** Whether a simulation read or wrote private data (only a private data simulator can). */
function touchedCollections(simulator: TxSimulator): boolean {
  return simulator instanceof PvtTxSimulator && simulator.touchedCollections;
}

/** A response the endorser would have endorsed: the chaincode answered below 400. */
function isEndorsable(pr: peer.ProposalResponse): boolean {
  return (pr.getResponse()?.getStatus() ?? ERROR) < ERRORTHRESHOLD;
}

/** What Evaluate reads of a successful simulation: the chaincode's Response, nothing to sign. */
function evaluated(response: peer.Response): peer.ProposalResponse {
  const pr = new peer.ProposalResponse();
  pr.setVersion(1);
  pr.setResponse(response);
  return pr;
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
