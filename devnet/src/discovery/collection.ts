import type { msp as mspProto, peer } from '@hyperledger/fabric-protos';

/** Whether a peer's serialized identity satisfies a principal on the channel. */
export type PrincipalEvaluator = (identity: Uint8Array, principal: mspProto.MSPPrincipal) => boolean;

/**
 * Each static collection's member principals: the identities of its member orgs policy (fabric
 * discovery/endorsement principalsFromCollectionConfig). Throws on a collection without one.
 */
export function principalsFromCollectionConfig(
  pkg: peer.CollectionConfigPackage | undefined,
): Map<string, mspProto.MSPPrincipal[]> {
  const out = new Map<string, mspProto.MSPPrincipal[]>();
  for (const conf of pkg?.getConfigList() ?? []) {
    const stat = conf.getStaticCollectionConfig();
    if (!stat) throw new Error(`expected a static collection but got ${conf.toString()} instead`);
    const policy = stat.getMemberOrgsPolicy();
    if (!policy) throw new Error(`MemberOrgsPolicy of ${stat.getName()} is nil`);
    const sp = policy.getSignaturePolicy();
    if (!sp) throw new Error(`policy of ${stat.getName()} is nil`);
    out.set(stat.getName(), sp.getIdentitiesList());
  }
  return out;
}

/**
 * A filter of peer identities for one chaincode call's collections (fabric toIdentityFilter): a peer
 * passes when, for every collection named, it satisfies one of the collection's member principals.
 * Throws when the call names a collection the chaincode does not have.
 */
export function collectionFilter(
  byCollection: Map<string, mspProto.MSPPrincipal[]>,
  call: peer.ChaincodeCall,
  evaluate: PrincipalEvaluator,
): (identity: Uint8Array) => boolean {
  const sets = call.getCollectionNamesList().map((name) => {
    const set = byCollection.get(name);
    if (!set)
      throw new Error(
        `collection ${name} doesn't exist in collection config for chaincode ${call.getName()}`,
      );
    return set;
  });
  return (identity) => sets.every((set) => set.some((principal) => evaluate(identity, principal)));
}
