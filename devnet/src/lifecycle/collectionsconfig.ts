import { common, msp as mspProto, peer } from '@hyperledger/fabric-protos';
import { fromString } from '../policies/policydsl';
import type { CollectionConfigJson } from '../privdata/collections';

const ROLE_NAMES: Record<number, string> = { 0: 'member', 1: 'admin', 2: 'client', 3: 'peer', 4: 'orderer' };

/**
 * A collections config JSON (the peer CLI's `--collections-config` format) as the CollectionConfigPackage
 * the peer CLI puts into approve/commit arguments (internal/peer/chaincode GetCollectionConfigFromBytes).
 */
export function collectionsToProto(
  entries: CollectionConfigJson[] | undefined,
): peer.CollectionConfigPackage {
  const pkg = new peer.CollectionConfigPackage();
  pkg.setConfigList(
    (entries ?? []).map((e) => {
      const s = new peer.StaticCollectionConfig();
      s.setName(e.name);
      const member = new peer.CollectionPolicyConfig();
      member.setSignaturePolicy(fromString(e.policy));
      s.setMemberOrgsPolicy(member);
      s.setRequiredPeerCount(e.requiredPeerCount ?? 0);
      s.setMaximumPeerCount(e.maxPeerCount ?? 0);
      s.setBlockToLive(e.blockToLive ?? 0);
      s.setMemberOnlyRead(e.memberOnlyRead ?? false);
      s.setMemberOnlyWrite(e.memberOnlyWrite ?? false);
      const ep = e.endorsementPolicy;
      if (ep?.signaturePolicy || ep?.channelConfigPolicy) {
        const ap = new peer.ApplicationPolicy();
        if (ep.signaturePolicy) ap.setSignaturePolicy(fromString(ep.signaturePolicy));
        else ap.setChannelConfigPolicyReference(ep.channelConfigPolicy!);
        s.setEndorsementPolicy(ap);
      }
      const c = new peer.CollectionConfig();
      c.setStaticCollectionConfig(s);
      return c;
    }),
  );
  return pkg;
}

/** A committed CollectionConfigPackage back in the JSON form the private data modules read. */
export function collectionsFromProto(pkg: peer.CollectionConfigPackage): CollectionConfigJson[] {
  const out: CollectionConfigJson[] = [];
  for (const c of pkg.getConfigList()) {
    const s = c.getStaticCollectionConfig();
    if (!s) continue;
    const sp = s.getMemberOrgsPolicy()?.getSignaturePolicy();
    const e: CollectionConfigJson = {
      name: s.getName(),
      policy: sp ? policyToString(sp) : '',
      requiredPeerCount: s.getRequiredPeerCount(),
      maxPeerCount: s.getMaximumPeerCount(),
      blockToLive: s.getBlockToLive(),
      memberOnlyRead: s.getMemberOnlyRead(),
      memberOnlyWrite: s.getMemberOnlyWrite(),
    };
    const ap = s.getEndorsementPolicy();
    if (ap?.getSignaturePolicy())
      e.endorsementPolicy = { signaturePolicy: policyToString(ap.getSignaturePolicy()!) };
    else if (ap?.getChannelConfigPolicyReference())
      e.endorsementPolicy = { channelConfigPolicy: ap.getChannelConfigPolicyReference() };
    out.push(e);
  }
  return out;
}

/** A signature policy in Fabric's policy DSL (OR/AND/OutOf of 'MSP.role' principals). */
export function policyToString(env: common.SignaturePolicyEnvelope): string {
  const principals = env.getIdentitiesList().map((p) => {
    if (p.getPrincipalClassification() !== mspProto.MSPPrincipal.Classification.ROLE)
      throw new Error('only ROLE principals can be written in the policy DSL');
    const role = mspProto.MSPRole.deserializeBinary(p.getPrincipal_asU8());
    return `'${role.getMspIdentifier()}.${ROLE_NAMES[role.getRole()] ?? 'member'}'`;
  });
  const rule = env.getRule();
  if (!rule) throw new Error('signature policy has no rule');
  return ruleToString(rule, principals);
}

function ruleToString(rule: common.SignaturePolicy, principals: string[]): string {
  if (rule.getTypeCase() === common.SignaturePolicy.TypeCase.SIGNED_BY) return principals[rule.getSignedBy()];
  const n = rule.getNOutOf()!;
  const subs = n.getRulesList().map((r) => ruleToString(r, principals));
  if (n.getN() === 1 && subs.length > 1) return `OR(${subs.join(', ')})`;
  if (n.getN() === subs.length) return `AND(${subs.join(', ')})`;
  return `OutOf(${n.getN()}, ${subs.join(', ')})`;
}
