import { common, peer } from '@hyperledger/fabric-protos';
import type { Bundle } from '../channelconfig';
import { convertChannelPolicy } from '../policies/convert';
import { signedByNOutOfGivenRole } from '../policies/policydsl';
import type { CachedDefinition, LifecycleCache } from './cache';
import { applicationPolicy, LIFECYCLE_ENDORSEMENT_POLICY_REF } from './chaincodedefinition';
import { LIFECYCLE_NAMESPACE } from './serializer';

const IMPLICIT_PREFIX = '_implicit_org_';

/** A chaincode as service discovery plans for it (fabric common/chaincode.Metadata). */
export interface ChaincodeMetadata {
  name: string;
  /** The definition's sequence, as `_lifecycle` reports it to discovery. */
  version: string;
  /** The endorsement policy as one signature policy (a channel policy reference converted). */
  policy: common.SignaturePolicyEnvelope;
  /** Converted endorsement policies of the asked collections that have their own. */
  collectionPolicies: Map<string, common.SignaturePolicyEnvelope>;
  /** The definition's collections, with the implicit org collections asked for. */
  collectionsConfig?: peer.CollectionConfigPackage;
}

function toSignaturePolicy(bundle: Bundle, ap: peer.ApplicationPolicy): common.SignaturePolicyEnvelope {
  const sp = ap.getSignaturePolicy();
  if (sp) return sp;
  const ref = ap.getChannelConfigPolicyReference();
  if (ref) return convertChannelPolicy(bundle.config, ref);
  throw new Error(`unsupported policy type on channel '${bundle.channelId}'`);
}

function implicitCollection(name: string, mspId: string): peer.CollectionConfig {
  const spe = signedByNOutOfGivenRole(1, 'member', [mspId]);
  const members = new peer.CollectionPolicyConfig();
  members.setSignaturePolicy(spe);
  const ep = new peer.ApplicationPolicy();
  ep.setSignaturePolicy(spe);
  const stat = new peer.StaticCollectionConfig();
  stat.setName(name);
  stat.setMemberOrgsPolicy(members);
  stat.setEndorsementPolicy(ep);
  const conf = new peer.CollectionConfig();
  conf.setStaticCollectionConfig(stat);
  return conf;
}

/**
 * What discovery needs of a committed chaincode (fabric core/chaincode/lifecycle MetadataProvider):
 * its sequence as version, its endorsement policy and the asked collections' policies as signature
 * policies, its collections (an asked `_implicit_org_<MSPID>` added with that org's members as member
 * orgs and endorsement policy). `_lifecycle` is sequence 1 with the LifecycleEndorsement policy.
 * Undefined when the chaincode is not defined or its policy cannot be converted.
 */
export function chaincodeMetadata(
  bundle: Bundle,
  cache: Pick<LifecycleCache, 'get'>,
  name: string,
  collections: string[],
): ChaincodeMetadata | undefined {
  try {
    if (name === LIFECYCLE_NAMESPACE)
      return {
        name,
        version: '1',
        policy: convertChannelPolicy(bundle.config, LIFECYCLE_ENDORSEMENT_POLICY_REF),
        collectionPolicies: new Map(),
      };
    const def: CachedDefinition | undefined = cache.get(name);
    const ld = def?.lifecycle;
    const ap = ld ? applicationPolicy(ld) : undefined;
    if (!ld || !ap) return undefined;
    const pkg = peer.CollectionConfigPackage.deserializeBinary(ld.collections.serializeBinary());
    for (const coll of collections)
      if (coll.startsWith(IMPLICIT_PREFIX))
        pkg.addConfig(implicitCollection(coll, coll.slice(IMPLICIT_PREFIX.length)));
    const collectionPolicies = new Map<string, common.SignaturePolicyEnvelope>();
    for (const conf of pkg.getConfigList()) {
      const stat = conf.getStaticCollectionConfig();
      const ep = stat?.getEndorsementPolicy();
      if (stat && ep && collections.includes(stat.getName()))
        collectionPolicies.set(stat.getName(), toSignaturePolicy(bundle, ep));
    }
    return {
      name,
      version: String(ld.sequence),
      policy: toSignaturePolicy(bundle, ap),
      collectionPolicies,
      collectionsConfig: pkg.getConfigList().length > 0 ? pkg : undefined,
    };
  } catch {
    return undefined;
  }
}

/**
 * The chaincodes this peer advertises on the channel (fabric lifecycle Cache metadata, approved and
 * installed only): each defined chaincode this peer's org approved and whose package is installed
 * here, with its sequence as version, and `_lifecycle` (version 1).
 */
export function advertisedChaincodes(
  cache: Pick<LifecycleCache, 'all'>,
): { name: string; version: string }[] {
  const ccs = cache
    .all()
    .filter((d) => d.packageId !== '' && d.server !== undefined)
    .map((d) => ({ name: d.name, version: String(d.sequence) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [...ccs, { name: LIFECYCLE_NAMESPACE, version: '1' }];
}
