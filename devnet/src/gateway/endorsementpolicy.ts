import { peer } from '@hyperledger/fabric-protos';
import type { Collection } from '../privdata/collections';
import { collectionOf } from '../privdata/interest';
import type { GatewayChannel, GatewayDeps, GatewayIdentity, GatewayPolicy } from './deps';

/** One policy the collected endorsements must satisfy, with a name for messages. */
export interface EndorsementRequirement {
  name: string;
  policy: GatewayPolicy;
}

/**
 * The policies a transaction's endorsements must satisfy, from the ChaincodeInterest of the first endorsement
 * (what Fabric hands to discovery's PeersForEndorsement): each called chaincode's endorsement policy (unless the
 * call says disregard_namespace_policy) and every key-level (state-based) policy the simulation touched.
 * Without an interest, the invoked chaincode's policy alone. Throws naming what could not be resolved.
 */
export function endorsementRequirements(
  deps: Pick<GatewayDeps, 'getChaincodeDefinition' | 'newSignaturePolicy'>,
  channel: GatewayChannel,
  chaincodeName: string,
  interest: peer.ChaincodeInterest | undefined,
): EndorsementRequirement[] {
  const calls = interest?.getChaincodesList() ?? [];
  const effective = calls.length > 0 ? calls : [defaultCall(chaincodeName)];
  return effective.flatMap((call) => callRequirements(deps, channel, call));
}

/** Undefined when every requirement is satisfied by the endorsers' identities, else why the first one is not. */
export function unsatisfiedReason(
  requirements: EndorsementRequirement[],
  endorsers: GatewayIdentity[],
): string | undefined {
  for (const requirement of requirements) {
    try {
      requirement.policy.evaluateIdentities(endorsers);
    } catch (err) {
      return `${requirement.name}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return undefined;
}

/**
 * Whether the endorsers' identities satisfy every requirement: {@link unsatisfiedReason} without building its
 * error and message where the policy can answer yes or no.
 */
export function isSatisfiedByAll(
  requirements: EndorsementRequirement[],
  endorsers: GatewayIdentity[],
): boolean {
  for (const { policy } of requirements) {
    if (policy.isSatisfiedBy !== undefined) {
      if (!policy.isSatisfiedBy(endorsers)) return false;
    } else if (unsatisfiedReason([{ name: '', policy }], endorsers) !== undefined) {
      return false;
    }
  }
  return true;
}

function defaultCall(chaincodeName: string): peer.ChaincodeCall {
  const call = new peer.ChaincodeCall();
  call.setName(chaincodeName);
  return call;
}

function callRequirements(
  deps: Pick<GatewayDeps, 'getChaincodeDefinition' | 'newSignaturePolicy'>,
  channel: GatewayChannel,
  call: peer.ChaincodeCall,
): EndorsementRequirement[] {
  const channelId = channel.bundle.channelId;
  const requirements: EndorsementRequirement[] = [];
  if (!call.getDisregardNamespacePolicy()) {
    const definition = deps.getChaincodeDefinition(channelId, call.getName());
    if (!definition) throw new Error(`chaincode ${call.getName()} is not defined on channel ${channelId}`);
    // A call for a collection with its own endorsement policy needs that policy instead (as at validation).
    const collectionName = call.getCollectionNamesList()[0];
    const collectionEp =
      collectionName === undefined
        ? undefined
        : collectionOf(definition.collections, collectionName)?.endorsementPolicy;
    if (collectionEp) {
      requirements.push({
        name: `collection ${collectionName} endorsement policy`,
        policy: collectionPolicy(deps, channel, collectionName as string, collectionEp),
      });
      return requirements.concat(keyPolicyRequirements(deps, channelId, call));
    }
    const path = definition.endorsementPolicy.channelConfigPolicy;
    const signaturePolicy = definition.endorsementPolicy.signaturePolicy;
    const policy =
      signaturePolicy && deps.newSignaturePolicy
        ? deps.newSignaturePolicy(channelId, signaturePolicy)
        : channel.bundle.policies.getPolicy(path);
    if (!policy)
      throw new Error(
        `endorsement policy ${path} of chaincode ${call.getName()} not found on channel ${channelId}`,
      );
    requirements.push({ name: `chaincode ${call.getName()} endorsement policy ${path}`, policy });
  }
  return requirements.concat(keyPolicyRequirements(deps, channelId, call));
}

function collectionPolicy(
  deps: Pick<GatewayDeps, 'newSignaturePolicy'>,
  channel: GatewayChannel,
  name: string,
  ep: NonNullable<Collection['endorsementPolicy']>,
): GatewayPolicy {
  const policy =
    ep.signaturePolicy && deps.newSignaturePolicy
      ? deps.newSignaturePolicy(channel.bundle.channelId, ep.signaturePolicy)
      : channel.bundle.policies.getPolicy(ep.channelConfigPolicy ?? '');
  if (!policy)
    throw new Error(
      `endorsement policy of collection ${name} not found on channel ${channel.bundle.channelId}`,
    );
  return policy;
}

function keyPolicyRequirements(
  deps: Pick<GatewayDeps, 'newSignaturePolicy'>,
  channelId: string,
  call: peer.ChaincodeCall,
): EndorsementRequirement[] {
  const requirements: EndorsementRequirement[] = [];
  call.getKeyPoliciesList().forEach((envelope, i) => {
    if (!deps.newSignaturePolicy) {
      throw new Error(
        `chaincode ${call.getName()} has key-level endorsement policies, which this gateway cannot evaluate`,
      );
    }
    requirements.push({
      name: `key-level policy ${i} of chaincode ${call.getName()}`,
      policy: deps.newSignaturePolicy(channelId, envelope),
    });
  });
  return requirements;
}
