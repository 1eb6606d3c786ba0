import { peer } from '@hyperledger/fabric-protos';
import type { GatewayChannel, GatewayDeps, GatewayPolicy, GatewaySignedData } from './deps';

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

/** Undefined when every requirement is satisfied by the signed data, else why the first one is not. */
export function unsatisfiedReason(
  requirements: EndorsementRequirement[],
  signedData: GatewaySignedData[],
): string | undefined {
  for (const requirement of requirements) {
    try {
      requirement.policy.evaluate(signedData);
    } catch (err) {
      return `${requirement.name}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return undefined;
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
    const path = definition.endorsementPolicy.channelConfigPolicy;
    const policy = channel.bundle.policies.getPolicy(path);
    if (!policy)
      throw new Error(
        `endorsement policy ${path} of chaincode ${call.getName()} not found on channel ${channelId}`,
      );
    requirements.push({ name: `chaincode ${call.getName()} endorsement policy ${path}`, policy });
  }
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
