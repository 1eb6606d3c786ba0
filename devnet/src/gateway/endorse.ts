import * as grpc from '@grpc/grpc-js';
import { gateway, peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { errorDetail, errorMessage, newRpcError } from './apiutils';
import { boundedDeadline, type CallContext, type GatewayContext } from './context';
import type { GatewayChannel, GatewayIdentity } from './deps';
import { EndorsementCollection } from './endorsement';
import {
  endorsementRequirements,
  isSatisfiedByAll,
  unsatisfiedReason,
  type EndorsementRequirement,
} from './endorsementpolicy';
import { invokeEndorser } from './invoke';
import { unpackProposal, type UnpackedProposal } from './proposal';
import { hasChaincode, type GatewayEndorser } from './registry';
import { collectionMemberOrgs } from '../privdata/interest';
import { shuffle } from './shuffle';
import { newEndorsedAction, prepareTransaction } from './transaction';

const logger = getLogger('gateway.endorse');

/**
 * gateway.Gateway/Endorse (fabric endorse.go). Without endorsing_organizations: endorse on this peer first
 * (its failure ends the call: "failed to endorse transaction, see attached details for more info"), take the
 * policies to satisfy from its ChaincodeInterest, then ask in parallel the fewest other organizations whose peers'
 * identities (known from earlier endorsements) complete them, and the rest one at a time until the collected
 * endorsements satisfy them. With endorsing_organizations: one peer of each listed org, in parallel;
 * the client answers for the policy. Payloads must be byte-identical. Returns the unsigned prepared transaction.
 */
export async function endorse(
  ctx: GatewayContext,
  request: gateway.EndorseRequest,
  call: CallContext,
): Promise<gateway.EndorseResponse> {
  const signedProposal = request.getProposedTransaction();
  if (!signedProposal || signedProposal.getProposalBytes_asU8().length === 0) {
    throw newRpcError(
      grpc.status.INVALID_ARGUMENT,
      'the proposed transaction must contain a signed proposal',
    );
  }
  const proposal = unpackOrThrow(signedProposal);
  const channel = ctx.deps.getChannel(proposal.channelId);
  const run: EndorseRun = { ctx, call, signedProposal, proposal, collection: new EndorsementCollection() };
  const orgs = request.getEndorsingOrganizationsList();
  const complete =
    orgs.length > 0 ? await endorseForOrgs(run, channel, orgs) : await endorseByPolicy(run, channel);
  if (!complete) {
    throw newRpcError(
      grpc.status.ABORTED,
      'failed to collect enough transaction endorsements, see attached details for more info',
      run.collection.errorDetails,
    );
  }
  const action = newEndorsedAction(run.collection.responsePayload!, run.collection.endorsements);
  const response = new gateway.EndorseResponse();
  response.setPreparedTransaction(prepareTransaction(proposal.header, proposal.input, action));
  logger.debug({ txId: proposal.txId, endorsements: action.endorsements.length }, 'endorsement complete');
  return response;
}

/** The state of one Endorse call. */
interface EndorseRun {
  ctx: GatewayContext;
  call: CallContext;
  signedProposal: peer.SignedProposal;
  proposal: UnpackedProposal;
  collection: EndorsementCollection;
}

/** The client chose the orgs (fabric planForOrgs): every listed org must endorse. */
async function endorseForOrgs(
  run: EndorseRun,
  channel: GatewayChannel | undefined,
  orgs: string[],
): Promise<boolean> {
  const byOrg = endorsersOfChaincode(run, channel);
  const missing = orgs.filter((org) => !byOrg.has(org));
  if (missing.length > 0) {
    throw newRpcError(
      grpc.status.UNAVAILABLE,
      `failed to find any endorsing peers for org(s): ${missing.join(', ')}`,
    );
  }
  const results = await Promise.all([...new Set(orgs)].map((org) => endorseInGroup(run, byOrg.get(org)!)));
  return results.every(Boolean);
}

/** The gateway chose the orgs (fabric planFromFirstEndorser + plan): this peer first, then until the policy holds. */
async function endorseByPolicy(run: EndorseRun, channel: GatewayChannel | undefined): Promise<boolean> {
  const byOrg = endorsersOfChaincode(run, channel);
  const localMspId = run.ctx.registry.localMspId;
  const firstOrg = byOrg.has(localMspId) ? localMspId : [...byOrg.keys()][0];
  if (channel === undefined || firstOrg === undefined) {
    // Fabric: no local endorser has the chaincode, and discovery knows no chaincode of that name there.
    throw newRpcError(
      grpc.status.FAILED_PRECONDITION,
      run.proposal.hasTransientData
        ? "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data"
        : `no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode ${run.proposal.chaincodeName} in channel ${run.proposal.channelId}`,
    );
  }
  if (firstOrg !== localMspId && run.proposal.hasTransientData) {
    throw newRpcError(
      grpc.status.FAILED_PRECONDITION,
      "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data",
    );
  }
  const first = await firstEndorsement(run, byOrg.get(firstOrg)!);
  const requirements = requirementsOrThrow(run, channel, first.getInterest());
  if (isSatisfied(run, channel, requirements)) return true;

  // Fabric's collection filter: with private reads (or transient data) only member orgs may endorse.
  const members = collectionMemberOrgs(
    first.getInterest(),
    (cc) => run.ctx.deps.getChaincodeDefinition(run.proposal.channelId, cc)?.collections,
    run.proposal.hasTransientData,
  );
  const order = run.ctx.order ?? shuffle;
  const candidates = order(
    [...byOrg.keys()].filter((mspId) => mspId !== firstOrg && (members === undefined || members.has(mspId))),
  );
  // Fabric asks the orgs of a layout in parallel; when their peers' identities are known, so does this gateway.
  const planned = planOrgs(run, channel, requirements, candidates);
  if (planned.length > 0) {
    checkNotCancelled(run.call);
    await Promise.all(planned.map((org) => endorseInGroup(run, byOrg.get(org)!)));
    if (isSatisfied(run, channel, requirements)) return true;
  }
  // Then one org at a time, until the policy holds (a planned org failed, or identities were not yet known).
  for (const org of candidates.filter((o) => !planned.includes(o))) {
    checkNotCancelled(run.call);
    if (!(await endorseInGroup(run, byOrg.get(org)!))) continue;
    if (isSatisfied(run, channel, requirements)) return true;
  }
  refuseToLeakTransientData(run, first.getInterest(), members, [...byOrg.keys()]);
  return false;
}

/** The channel's endorsing peers by org that run the proposal's chaincode (none on an unknown channel). */
function endorsersOfChaincode(
  run: EndorseRun,
  channel: GatewayChannel | undefined,
): ReadonlyMap<string, GatewayEndorser[]> {
  return channel !== undefined &&
    hasChaincode(run.ctx.deps, run.proposal.channelId, run.proposal.chaincodeName)
    ? run.ctx.registry.endorsersByOrg(channel)
    : new Map();
}

/**
 * Fabric's gateway never sends transient data to organisations outside the distribution policy of the
 * collections a proposal writes (without reading): when the members alone cannot satisfy the policy
 * but others could, it asks the client to name the endorsing organisations (endorse.go planFromFirstEndorser).
 */
function refuseToLeakTransientData(
  run: EndorseRun,
  interest: peer.ChaincodeInterest | undefined,
  members: Set<string> | undefined,
  orgs: string[],
): void {
  if (!run.proposal.hasTransientData || members === undefined) return;
  if (!orgs.some((org) => !members.has(org))) return;
  const protectedCollections = (interest?.getChaincodesList() ?? [])
    .filter((call) => call.getNoPrivateReads())
    .flatMap((call) => call.getCollectionNamesList());
  if (protectedCollections.length === 0) return;
  throw newRpcError(
    grpc.status.FAILED_PRECONDITION,
    `requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [${protectedCollections.join(' ')}]; retry specifying trusted endorsing organizations to protect transient data`,
  );
}

/** Endorses on the first org's peers until one succeeds; if none does, the call fails with their errors. */
async function firstEndorsement(
  run: EndorseRun,
  endorsers: GatewayEndorser[],
): Promise<peer.ProposalResponse> {
  const details: gateway.ErrorDetail[] = [];
  for (const endorser of endorsers) {
    checkNotCancelled(run.call, 'endorsement timeout expired while collecting first endorsement');
    const outcome = await invokeEndorser(endorser, run.signedProposal, deadline(run));
    if (outcome.status.code === grpc.status.OK) {
      run.collection.processEndorsement(endorser, outcome.response!);
      return outcome.response!;
    }
    logger.warn(
      { txId: run.proposal.txId, endorser: endorser.address, error: outcome.status.message },
      'endorse call to endorser failed',
    );
    details.push(errorDetail(endorser.address, endorser.mspId, outcome.status.message));
    if (outcome.status.remove) run.ctx.registry.removeEndorser(endorser);
  }
  throw newRpcError(
    grpc.status.ABORTED,
    'failed to endorse transaction, see attached details for more info',
    details,
  );
}

/** Tries the peers of one org in turn until one's endorsement is accepted (fabric nextPeerInGroup). */
async function endorseInGroup(run: EndorseRun, endorsers: GatewayEndorser[]): Promise<boolean> {
  for (const endorser of endorsers) {
    checkNotCancelled(run.call);
    const outcome = await invokeEndorser(endorser, run.signedProposal, deadline(run));
    if (outcome.status.code === grpc.status.OK) {
      if (run.collection.processEndorsement(endorser, outcome.response!)) return true;
      continue;
    }
    logger.warn(
      { txId: run.proposal.txId, endorser: endorser.address, error: outcome.status.message },
      'endorse call to endorser failed',
    );
    run.collection.addError(endorser, outcome.status.message);
    if (outcome.status.remove) run.ctx.registry.removeEndorser(endorser);
  }
  return false;
}

/**
 * Whether the endorsers heard from satisfy every requirement. Fabric's gateway decides this from discovery's
 * layouts (organizations and counts), without verifying the endorsement signatures; so does this one, judging
 * the endorsers' identities (cached by the channel's MSP manager), each once.
 */
function isSatisfied(
  run: EndorseRun,
  channel: GatewayChannel,
  requirements: EndorsementRequirement[],
): boolean {
  const identities = endorserIdentities(run, channel);
  if (isSatisfiedByAll(requirements, identities)) return true;
  // The reason (an error built per policy) only when it is logged: most transactions are asked after one endorsement.
  if (logger.isLevelEnabled('debug')) {
    const reason = unsatisfiedReason(requirements, identities);
    logger.debug({ txId: run.proposal.txId, reason }, 'endorsement policy not yet satisfied');
  }
  return false;
}

/**
 * The fewest of `candidates` (in their order) whose known endorser identities, with the endorsements collected so
 * far, satisfy every requirement (fabric endorsement layouts); empty when an org's identity is not known yet or no
 * prefix suffices, and the orgs are then asked one at a time.
 */
function planOrgs(
  run: EndorseRun,
  channel: GatewayChannel,
  requirements: EndorsementRequirement[],
  candidates: string[],
): string[] {
  const identities = endorserIdentities(run, channel);
  const planned: string[] = [];
  for (const org of candidates) {
    const known = run.ctx.registry.endorserIdentity(org);
    if (known === undefined) return [];
    identities.push(known);
    planned.push(org);
    if (isSatisfiedByAll(requirements, identities)) return planned;
  }
  return [];
}

function endorserIdentities(run: EndorseRun, channel: GatewayChannel): GatewayIdentity[] {
  const seen = new Set<string>();
  const identities: GatewayIdentity[] = [];
  for (const serialized of run.collection.endorsers()) {
    let identity: GatewayIdentity;
    try {
      identity = channel.bundle.msps.deserializeIdentity(serialized);
    } catch (err) {
      logger.warn({ txId: run.proposal.txId, err: errorMessage(err) }, 'invalid endorser identity');
      continue;
    }
    const key = `${identity.mspId}\n${identity.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    identities.push(identity);
    run.ctx.registry.rememberEndorserIdentity(identity);
  }
  return identities;
}

function requirementsOrThrow(
  run: EndorseRun,
  channel: GatewayChannel,
  interest: peer.ChaincodeInterest | undefined,
): EndorsementRequirement[] {
  try {
    return endorsementRequirements(run.ctx.deps, channel, run.proposal.chaincodeName, interest);
  } catch (err) {
    throw newRpcError(
      grpc.status.FAILED_PRECONDITION,
      `no combination of peers can be derived which satisfy the endorsement policy: ${errorMessage(err)}`,
    );
  }
}

function deadline(run: EndorseRun): Date {
  return boundedDeadline(run.ctx.options.endorsementTimeoutMs, run.call);
}

function checkNotCancelled(
  call: CallContext,
  message = 'endorsement timeout expired while collecting endorsements',
): void {
  if (call.aborted) throw newRpcError(grpc.status.DEADLINE_EXCEEDED, message);
}

function unpackOrThrow(signedProposal: peer.SignedProposal): UnpackedProposal {
  try {
    return unpackProposal(signedProposal);
  } catch (err) {
    throw newRpcError(grpc.status.INVALID_ARGUMENT, errorMessage(err));
  }
}
