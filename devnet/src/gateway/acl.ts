import { peer } from '@hyperledger/fabric-protos';
import type { GatewayBundle, GatewayChannel, GatewaySignedData } from './deps';

/** Fabric's ACL resource for CommitStatus (core/aclmgmt/resources). */
export const GATEWAY_COMMIT_STATUS = 'gateway/CommitStatus';
/** Fabric's ACL resource for ChaincodeEvents. */
export const GATEWAY_CHAINCODE_EVENTS = 'gateway/ChaincodeEvents';
/** The default policy of both resources (core/aclmgmt/defaultaclprovider.go: CHANNELREADERS). */
export const CHANNEL_APPLICATION_READERS = '/Channel/Application/Readers';

/**
 * The policy guarding a resource: the channel config's Application `ACLs` entry if there is one (a relative
 * reference is under /Channel/Application, as Fabric's APIPolicyMapper reads it), else the default.
 */
export function aclPolicyName(bundle: GatewayBundle, resource: string): string {
  const aclsValue = bundle.config
    ?.getChannelGroup()
    ?.getGroupsMap()
    .get('Application')
    ?.getValuesMap()
    .get('ACLs');
  if (aclsValue) {
    const policyRef = peer.ACLs.deserializeBinary(aclsValue.getValue_asU8())
      .getAclsMap()
      .get(resource)
      ?.getPolicyRef();
    if (policyRef) return policyRef.startsWith('/') ? policyRef : `/Channel/Application/${policyRef}`;
  }
  return CHANNEL_APPLICATION_READERS;
}

/**
 * Checks the signed request against the resource's policy on the channel (fabric aclmgmt CheckACL with
 * SignedData). Throws with Fabric's policy checker texts; the caller answers PermissionDenied.
 */
export function checkACL(
  channel: GatewayChannel | undefined,
  resource: string,
  channelId: string,
  signedData: GatewaySignedData,
): void {
  if (channelId === '') {
    throw new Error(
      'Invalid channel ID name during check policy on signed data. Name must be different from nil.',
    );
  }
  if (!channel) throw new Error(`Failed to get policy manager for channel [${channelId}]`);
  const policyName = aclPolicyName(channel.bundle, resource);
  const policy = channel.bundle.policies.getPolicy(policyName);
  if (!policy) throw new Error(`Failed to get policy ${policyName} for channel [${channelId}]`);
  try {
    policy.evaluate([signedData]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Failed evaluating policy on signed data during check policy on channel [${channelId}] with policy [${policyName}]: [${reason}]`,
    );
  }
}
