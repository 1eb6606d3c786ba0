import type { Bundle } from '../channelconfig';
import { newSignaturePolicy, type Policy } from '../policies';
import { fromString } from '../policies/policydsl';
import { LIFECYCLE_NAMESPACE } from './serializer';

const PREFIX = '_implicit_org_';

/**
 * The endorsement policy of an org's implicit collection (Fabric's ImplicitCollectionEndorsementPolicyAsBytes):
 * `/Channel/Application/<Org>/Endorsement` when the channel defines it, else any member of the org.
 * An approval writes only to the approving org's implicit collection, so this is the policy it needs.
 * Throws for an org that is not in the channel ("no org found in channel with MSPID ...").
 */
export function implicitCollectionPolicy(bundle: Bundle, collection: string): Policy | undefined {
  if (!collection.startsWith(PREFIX)) return undefined;
  const mspId = collection.slice(PREFIX.length);
  const org = bundle.applicationOrgs.find((o) => o.mspId === mspId);
  if (!org) throw new Error(`no org found in channel with MSPID '${mspId}'`);
  const path = `/Channel/Application/${org.name}/Endorsement`;
  return (
    bundle.policies.getPolicy(path) ?? newSignaturePolicy(fromString(`OR('${mspId}.member')`), bundle.msps)
  );
}

/** The validator's collection policy source for `_lifecycle` (undefined for other chaincodes). */
export function lifecycleCollectionPolicy(
  bundle: Bundle,
  chaincodeName: string,
  collection: string,
): Policy | undefined {
  return chaincodeName === LIFECYCLE_NAMESPACE ? implicitCollectionPolicy(bundle, collection) : undefined;
}
