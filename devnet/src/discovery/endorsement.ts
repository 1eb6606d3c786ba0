import { common, discovery, msp as mspProto, peer } from '@hyperledger/fabric-protos';
import {
  comparableSet,
  mergePrincipalSets,
  satisfiedBy,
  type ComparableSet,
  type PrincipalSet,
} from '../policies/inquire';
import { collectionFilter, principalsFromCollectionConfig, type PrincipalEvaluator } from './collection';
import type { ChaincodeMetadata } from '../lifecycle/metadataprovider';
import type { NetworkMember } from './member';

/** What the endorsement analyzer reads (fabric discovery/endorsement's gossip, policy and metadata support). */
export interface EndorsementSupport {
  channelId: string;
  /** The alive peers of the channel, with their state info. */
  members: NetworkMember[];
  metadata(chaincode: string, collections: string[]): ChaincodeMetadata | undefined;
  satisfiesPrincipal: PrincipalEvaluator;
}

const principalKey = (p: mspProto.MSPPrincipal): string =>
  `${p.getPrincipalClassification()}/${p.getPrincipal_asB64()}`;

/** The policies of a chaincode call: the chaincode's, or its collections' own (fabric PoliciesByChaincode). */
export function policiesByChaincode(
  md: ChaincodeMetadata,
  collections: string[],
): common.SignaturePolicyEnvelope[] {
  if (md.collectionPolicies.size === 0 || collections.length === 0) return [md.policy];
  const seen = new Set<string>();
  const out: common.SignaturePolicyEnvelope[] = [];
  for (const name of collections) {
    const policy = md.collectionPolicies.get(name) ?? md.policy;
    const key = Buffer.from(policy.serializeBinary()).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(policy);
  }
  return out;
}

function comparableSets(policy: common.SignaturePolicyEnvelope, what: string): ComparableSet[] {
  const sets = satisfiedBy(policy).map((s) => {
    const c = comparableSet(s);
    if (!c) throw new Error(`failed creating a comparable principal set${what}`);
    return c;
  });
  if (sets.length === 0)
    throw new Error(`${what ? 'state based ' : ''}endorsement policy cannot be satisfied`);
  return sets;
}

function merged(all: ComparableSet[][]): ComparableSet[] {
  if (all.length === 0) throw new Error('no principal sets remained after filtering');
  return all.slice(1).reduce((acc, next) => mergePrincipalSets(acc, next), all[0]);
}

/**
 * The principal sets that satisfy every policy of the interest (fabric computePrincipalSets): each
 * call's chaincode policy (unless disregarded) or its collections' policies, and its key-level
 * policies, merged so that one set satisfies them all.
 */
export function computePrincipalSets(
  interest: peer.ChaincodeInterest,
  metadata: (cc: string, collections: string[]) => ChaincodeMetadata | undefined,
): PrincipalSet[] {
  const policies: common.SignaturePolicyEnvelope[] = [];
  for (const call of interest.getChaincodesList()) {
    const md = metadata(call.getName(), call.getCollectionNamesList());
    let own = md ? policiesByChaincode(md, call.getCollectionNamesList()) : [];
    if (own.length === 0) throw new Error('policy not found');
    if (call.getDisregardNamespacePolicy()) {
      if (call.getKeyPoliciesList().length === 0 && own.length === 1)
        throw new Error(
          `requested to disregard chaincode ${call.getName()}'s policy but key and collection policies are missing, either disable DisregardNamespacePolicy or specify at least one key policy or at least one collection policy`,
        );
      own = own.length === 1 ? [] : own.slice(1);
    }
    policies.push(...own);
  }
  const all = policies.map((p) => comparableSets(p, ''));
  const keyPolicies = interest.getChaincodesList().flatMap((c) => c.getKeyPoliciesList());
  if (keyPolicies.length > 0)
    all.push(merged(keyPolicies.map((p) => comparableSets(p, ' for state based endorsement'))));
  return merged(all).map((set) => set.map((cp) => cp.principal));
}

/** The peers of the channel that may endorse the interest: collection members (fabric peersByCriteria). */
export function peersByCriteria(
  support: EndorsementSupport,
  interest: peer.ChaincodeInterest | undefined,
  excludePeersWithoutChaincode: boolean,
): { members: NetworkMember[]; withChaincode: Set<string> } {
  const all = support.members;
  const calls = interest?.getChaincodesList() ?? [];
  if (calls.length === 0) return { members: all, withChaincode: new Set(all.map(idOf)) };
  const metadata: ChaincodeMetadata[] = [];
  const filters: ((identity: Uint8Array) => boolean)[] = [];
  for (const call of calls) {
    const md = support.metadata(call.getName(), call.getCollectionNamesList());
    if (!md)
      throw new Error(
        `No metadata was found for chaincode ${call.getName()} in channel ${support.channelId}`,
      );
    metadata.push(md);
    if (call.getCollectionNamesList().length === 0 || call.getNoPrivateReads()) continue;
    const byCollection = principalsFromCollectionConfig(md.collectionsConfig);
    filters.push(collectionFilter(byCollection, call, support.satisfiesPrincipal));
  }
  const hasChaincodes = (m: NetworkMember): boolean =>
    metadata.every((md) => m.chaincodes.some((c) => c.name === md.name && c.version === md.version));
  const withChaincode = all.filter(hasChaincodes);
  const pool = excludePeersWithoutChaincode ? withChaincode : all;
  return {
    members: pool.filter((m) => filters.every((f) => f(m.identity))),
    withChaincode: new Set(withChaincode.map(idOf)),
  };
}

const idOf = (m: NetworkMember): string => m.pkiId.toString('hex');

function discoveryPeer(m: NetworkMember): discovery.Peer {
  const p = new discovery.Peer();
  p.setIdentity(m.identity);
  p.setMembershipInfo(m.alive);
  if (m.stateInfo) p.setStateInfo(m.stateInfo);
  return p;
}

/**
 * The endorsement descriptor of a chaincode interest (fabric endorsementAnalyzer.PeersForEndorsement):
 * principal groups G0, G1, ... with the peers satisfying each (collection members with the chaincodes
 * installed), and the layouts (how many endorsements of each group) that the policies accept and the
 * alive peers can fill. Throws with Fabric's reasons when no layout remains.
 */
export function peersForEndorsement(
  support: EndorsementSupport,
  interest: peer.ChaincodeInterest,
): discovery.EndorsementDescriptor {
  const { members, withChaincode } = peersByCriteria(support, interest, false);
  const principalSets = computePrincipalSets(interest, (cc, colls) => support.metadata(cc, colls));
  const groups = new Map<string, { name: string; principal: mspProto.MSPPrincipal }>();
  for (const set of principalSets)
    for (const p of set)
      if (!groups.has(principalKey(p)))
        groups.set(principalKey(p), { name: `G${groups.size}`, principal: p });
  const satisfying = new Map<string, NetworkMember[]>();
  for (const { name, principal } of groups.values())
    satisfying.set(
      name,
      members.filter((m) => support.satisfiesPrincipal(m.identity, principal)),
    );
  let layouts = principalSets
    .map((set) => {
      const quantities = new Map<string, number>();
      for (const p of set) {
        const g = groups.get(principalKey(p))!.name;
        quantities.set(g, (quantities.get(g) ?? 0) + 1);
      }
      return quantities;
    })
    .filter((q) => [...q].every(([g, n]) => satisfying.get(g)!.length >= n));
  if (layouts.length === 0) throw new Error('no peer combination can satisfy the endorsement policy');
  const used = new Set(layouts.flatMap((q) => [...q.keys()]));
  const endorsers = new Map<string, NetworkMember[]>();
  for (const [g, list] of satisfying) {
    if (!used.has(g)) continue;
    const installed = list.filter((m) => withChaincode.has(idOf(m)));
    if (installed.length > 0) endorsers.set(g, installed);
  }
  layouts = layouts.filter((q) => [...q].every(([g, n]) => (endorsers.get(g)?.length ?? 0) >= n));
  if (layouts.length === 0) throw new Error('required chaincodes are not installed on sufficient peers');
  const descriptor = new discovery.EndorsementDescriptor();
  descriptor.setChaincode(interest.getChaincodesList()[0].getName());
  for (const q of layouts) {
    const layout = new discovery.Layout();
    for (const [g, n] of q) layout.getQuantitiesByGroupMap().set(g, n);
    descriptor.addLayouts(layout);
  }
  for (const [g, list] of endorsers) {
    const peers = new discovery.Peers();
    peers.setPeersList(list.map(discoveryPeer));
    descriptor.getEndorsersByGroupsMap().set(g, peers);
  }
  return descriptor;
}

export { discoveryPeer };
