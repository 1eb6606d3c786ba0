import { common, peer } from '@hyperledger/fabric-protos';
import { signedProposalAsSignedData } from '../protoutil/signeddata';

/**
 * The part of a channel's config Bundle an ACL check reads. Structural, so channelconfig/ Bundle and
 * endorser/ EndorserBundle satisfy it as they are.
 */
export interface AclBundle {
  /** The channel config; an Application `ACLs` value may map a resource to another policy. */
  config?: common.Config;
  policies: {
    getPolicy(
      path: string,
    ):
      | { evaluate(signedData: { data: Uint8Array; identity: Uint8Array; signature: Uint8Array }[]): void }
      | undefined;
  };
}

/** The Application ACLs of each channel config, decoded once (every proposal is checked against them). */
const aclsByConfig = new WeakMap<common.Config, Map<string, string>>();

function configACLs(config: common.Config): Map<string, string> {
  let acls = aclsByConfig.get(config);
  if (acls === undefined) {
    acls = new Map();
    const value = config.getChannelGroup()?.getGroupsMap().get('Application')?.getValuesMap().get('ACLs');
    if (value) {
      for (const [resource, ref] of peer.ACLs.deserializeBinary(value.getValue_asU8())
        .getAclsMap()
        .entries()) {
        acls.set(resource, ref.getPolicyRef());
      }
    }
    aclsByConfig.set(config, acls);
  }
  return acls;
}

/**
 * The policy the channel config's Application ACLs give `resource`, else `fallback` (Fabric's
 * aclmgmt APIPolicyMapper: a relative reference names a policy of the Application group).
 */
export function aclPolicyFor(bundle: AclBundle, resource: string, fallback: string): string {
  const ref = bundle.config ? configACLs(bundle.config).get(resource) : undefined;
  if (!ref) {
    return fallback;
  }
  // A relative reference names a policy of the Application group.
  return ref.startsWith('/') ? ref : `/Channel/Application/${ref}`;
}

/**
 * Fabric's aclmgmt CheckACL for a channel resource with a SignedProposal: evaluates the policy
 * {@link aclPolicyFor} names (signed data = proposal bytes, creator, signature). Throws with
 * Fabric's policy checker text.
 */
export function checkChannelACL(
  bundle: AclBundle,
  resource: string,
  fallback: string,
  signed: peer.SignedProposal,
  creator: Uint8Array,
): void {
  const policyName = aclPolicyFor(bundle, resource, fallback);
  const policy = bundle.policies.getPolicy(policyName);
  if (!policy) {
    throw new Error(
      `failed evaluating policy on signed data during check policy [${policyName}]: [policy ${policyName} not found]`,
    );
  }
  try {
    policy.evaluate([signedProposalAsSignedData(signed, creator)]);
  } catch (err) {
    throw new Error(
      `failed evaluating policy on signed data during check policy [${policyName}]: [${(err as Error).message}]`,
    );
  }
}
