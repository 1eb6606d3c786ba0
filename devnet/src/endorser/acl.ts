import { peer } from '@hyperledger/fabric-protos';
import type { EndorserBundle } from './deps';

/** Fabric's resource name for proposals (core/aclmgmt/resources Peer_Propose). */
export const PEER_PROPOSE = 'peer/Propose';
/** Fabric's default policy for `peer/Propose`. */
export const DEFAULT_PROPOSE_POLICY = '/Channel/Application/Writers';

/** The policy the channel config's Application ACLs give `resource`, else `fallback`. */
export function aclPolicyFor(bundle: EndorserBundle, resource: string, fallback: string): string {
  const app = bundle.config?.getChannelGroup()?.getGroupsMap().get('Application');
  const value = app?.getValuesMap().get('ACLs');
  if (!value) {
    return fallback;
  }
  const ref = peer.ACLs.deserializeBinary(value.getValue_asU8()).getAclsMap().get(resource)?.getPolicyRef();
  if (!ref) {
    return fallback;
  }
  // A relative reference names a policy of the Application group.
  return ref.startsWith('/') ? ref : `/Channel/Application/${ref}`;
}

/**
 * Checks the proposal's creator against the `peer/Propose` ACL (Fabric's aclmgmt CheckACL with a
 * SignedProposal: signed data = proposal bytes, creator, signature). Throws with Fabric's text.
 */
export function checkProposeACL(
  bundle: EndorserBundle,
  signed: peer.SignedProposal,
  creator: Uint8Array,
): void {
  const policyName = aclPolicyFor(bundle, PEER_PROPOSE, DEFAULT_PROPOSE_POLICY);
  const policy = bundle.policies.getPolicy(policyName);
  if (!policy) {
    throw new Error(
      `failed evaluating policy on signed data during check policy [${policyName}]: [policy ${policyName} not found]`,
    );
  }
  try {
    policy.evaluate([
      { data: signed.getProposalBytes_asU8(), identity: creator, signature: signed.getSignature_asU8() },
    ]);
  } catch (err) {
    throw new Error(
      `failed evaluating policy on signed data during check policy [${policyName}]: [${(err as Error).message}]`,
    );
  }
}
