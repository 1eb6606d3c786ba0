import { aclPolicyFor } from '../aclmgmt/aclprovider';
import type { GatewayChannel, GatewaySignedData } from './deps';

/** Fabric's ACL resource for CommitStatus (core/aclmgmt/resources). */
export const GATEWAY_COMMIT_STATUS = 'gateway/CommitStatus';
/** Fabric's ACL resource for ChaincodeEvents. */
export const GATEWAY_CHAINCODE_EVENTS = 'gateway/ChaincodeEvents';
/** The default policy of both resources (core/aclmgmt/defaultaclprovider.go: CHANNELREADERS). */
export const CHANNEL_APPLICATION_READERS = '/Channel/Application/Readers';

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
  const policyName = aclPolicyFor(channel.bundle, resource, CHANNEL_APPLICATION_READERS);
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
