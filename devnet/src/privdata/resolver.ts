import type { common } from '@hyperledger/fabric-protos';
import { newSignaturePolicy } from '../policies/cauthdsl';
import type { PolicyLike } from '../validator/vscc';
import { Collection, CollectionConfigJson, CollectionSet, parseCollectionsConfig } from './collections';

/** The channel state the resolver reads on every call (config updates and redeploys take effect). */
export interface ResolverSources {
  /** The chaincode's committed collections config (undefined = chaincode not defined). */
  collectionsConfig(chaincodeName: string): { defined: boolean; collections?: CollectionConfigJson[] };
  /** The current channel config bundle's parts the resolver needs. */
  bundle(): {
    applicationOrgs: { mspId: string; name?: string }[];
    msps: Parameters<typeof newSignaturePolicy>[1];
    policies: { getPolicy(path: string): PolicyLike | undefined };
  };
  /** This peer's organization. */
  localMspId: string;
}

/**
 * Resolves a chaincode's collections (explicit from its definition + implicit per org) and what they imply:
 * whether this peer is eligible for a collection's private data, a collection's endorsement policy for
 * validation (Fabric's CollectionValidationInfo: "no such collection"), and its member policy.
 */
export class CollectionResolver {
  private readonly cache = new Map<
    string,
    { collections: unknown; orgs: unknown; key: string; set: CollectionSet }
  >();

  constructor(private readonly src: ResolverSources) {}

  /** The chaincode's collections, or undefined when the chaincode is not defined. */
  collections(chaincodeName: string): CollectionSet | undefined {
    const cfg = this.src.collectionsConfig(chaincodeName);
    if (!cfg.defined) return undefined;
    const orgs = this.src.bundle().applicationOrgs;
    const hit = this.cache.get(chaincodeName);
    // the same definition and config bundle as last time (every call of a transaction): no need
    // to compare their contents
    if (hit && hit.collections === cfg.collections && hit.orgs === orgs) return hit.set;
    const key = JSON.stringify([cfg.collections ?? [], orgs.map((o) => [o.mspId, o.name])]);
    if (hit && hit.key === key) {
      this.cache.set(chaincodeName, { ...hit, collections: cfg.collections, orgs });
      return hit.set;
    }
    const set = new CollectionSet(parseCollectionsConfig(cfg.collections ?? []), orgs, this.src.localMspId);
    this.cache.set(chaincodeName, { collections: cfg.collections, orgs, key, set });
    return set;
  }

  /** One collection, or undefined. */
  collection(chaincodeName: string, coll: string): Collection | undefined {
    return this.collections(chaincodeName)?.get(coll);
  }

  /** True when this peer's org is a member of the collection (it keeps the private data). */
  isEligible(chaincodeName: string, coll: string): boolean {
    return this.collection(chaincodeName, coll)?.memberOrgs.includes(this.src.localMspId) ?? false;
  }

  /** True when `mspId` is a member of the collection. */
  isMemberOrg(chaincodeName: string, coll: string, mspId: string): boolean {
    return this.collection(chaincodeName, coll)?.memberOrgs.includes(mspId) ?? false;
  }

  /** The collection's member policy compiled with the channel's MSPs. */
  memberPolicy(c: Collection): PolicyLike {
    return newSignaturePolicy(c.memberPolicy, this.src.bundle().msps, `collection ${c.name} member policy`);
  }

  /**
   * The collection's own endorsement policy for validation; undefined = the chaincode's. Throws
   * "no such collection" for a collection the chaincode does not define.
   */
  collectionPolicy(chaincodeName: string, coll: string): PolicyLike | undefined {
    const set = this.collections(chaincodeName);
    if (!set) return undefined; // Fabric: an undefined chaincode passes through to its own policy
    const c = set.get(coll);
    if (!c) throw new Error(`no such collection '${coll}'`);
    const ep = c.endorsementPolicy;
    if (!ep) return undefined;
    if (ep.signaturePolicy) return this.compile(ep.signaturePolicy, `collection ${coll} endorsement policy`);
    const path = ep.channelConfigPolicy as string;
    const policy = this.src.bundle().policies.getPolicy(path);
    if (policy) return policy;
    // An implicit collection of an org whose group has no Endorsement policy: any member of the org.
    if (c.implicit) return this.compile(c.memberPolicy, `collection ${coll} endorsement policy`);
    throw new Error(`policy ${path} of collection ${coll} not found`);
  }

  private compile(envelope: common.SignaturePolicyEnvelope, name: string): PolicyLike {
    return newSignaturePolicy(envelope, this.src.bundle().msps, name);
  }
}
