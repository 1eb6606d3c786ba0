import { common, type peer } from '@hyperledger/fabric-protos';
import { unmarshal } from '../protoutil/unmarshalers';
import { SignaturePolicy } from './cauthdsl';
import type { PolicyManager } from './manager';
import { RejectPolicy, type IdentityPolicy } from './policy';
import type { IdentityDeserializer } from './signatureset';

/**
 * The policy of a chaincode's endorsement (or a collection's) from a peer.ApplicationPolicy
 * (fabric core/policy ApplicationPolicyEvaluator): either an explicit signature policy or a
 * reference to a channel config policy such as '/Channel/Application/Endorsement'. A reference
 * to a missing policy yields a policy that rejects, naming the path.
 */
export function newPolicyFromApplicationPolicy(
  appPolicy: common.ApplicationPolicy | peer.ApplicationPolicy | Uint8Array,
  msps: IdentityDeserializer,
  channelPolicies: PolicyManager,
): IdentityPolicy {
  const ap =
    appPolicy instanceof Uint8Array
      ? unmarshal('ApplicationPolicy', common.ApplicationPolicy.deserializeBinary, appPolicy)
      : appPolicy;
  if (ap.hasSignaturePolicy())
    return new SignaturePolicy(ap.getSignaturePolicy()!, msps, 'endorsement signature policy');
  if (ap.hasChannelConfigPolicyReference()) {
    const ref = ap.getChannelConfigPolicyReference();
    return channelPolicies.getPolicy(ref) ?? new RejectPolicy(ref);
  }
  throw new Error(
    'unsupported policy type: ApplicationPolicy has neither signature_policy nor channel_config_policy_reference',
  );
}

/** An ApplicationPolicy referring to a channel config policy path. */
export function channelConfigPolicyReference(path: string): common.ApplicationPolicy {
  const ap = new common.ApplicationPolicy();
  ap.setChannelConfigPolicyReference(path);
  return ap;
}
