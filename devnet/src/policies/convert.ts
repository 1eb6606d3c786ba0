import { common } from '@hyperledger/fabric-protos';
import { unmarshal } from '../protoutil/unmarshalers';

const { Rule } = common.ImplicitMetaPolicy;

/** A principal's identity for de-duplication: classification and bytes. */
const principalKey = (p: { getPrincipalClassification(): number; getPrincipal_asB64(): string }): string =>
  `${p.getPrincipalClassification()}/${p.getPrincipal_asB64()}`;

/** The rule with SignedBy indices renumbered by `remap`. */
function remapRule(rule: common.SignaturePolicy, remap: number[]): common.SignaturePolicy {
  const out = new common.SignaturePolicy();
  if (rule.hasSignedBy()) {
    out.setSignedBy(remap[rule.getSignedBy()]);
    return out;
  }
  const nOutOf = rule.getNOutOf();
  if (!nOutOf) throw new Error('Unknown SignaturePolicy type (neither signed_by nor n_out_of)');
  const n = new common.SignaturePolicy.NOutOf();
  n.setN(nOutOf.getN());
  n.setRulesList(nOutOf.getRulesList().map((r) => remapRule(r, remap)));
  out.setNOutOf(n);
  return out;
}

/** Appends `that` as one more rule of `into`'s NOutOf root, sharing identical principals (fabric merge). */
function mergeInto(into: common.SignaturePolicyEnvelope, that: common.SignaturePolicyEnvelope): void {
  const identities = into.getIdentitiesList();
  const index = new Map(identities.map((p, i) => [principalKey(p), i]));
  const remap = that.getIdentitiesList().map((p) => {
    const key = principalKey(p);
    const existing = index.get(key);
    if (existing !== undefined) return existing;
    identities.push(p);
    index.set(key, identities.length - 1);
    return identities.length - 1;
  });
  into.setIdentitiesList(identities);
  const rule = that.getRule();
  if (!rule) throw new Error('Empty policy element');
  into.getRule()!.getNOutOf()!.addRules(remapRule(rule, remap));
}

/** The threshold of an ImplicitMeta rule over `n` sub-policies (as policies/implicitmeta.ts counts it). */
function threshold(rule: number, n: number): number {
  if (n === 0) return 0;
  if (rule === Rule.ANY) return 1;
  if (rule === Rule.ALL) return n;
  if (rule === Rule.MAJORITY) return Math.floor(n / 2) + 1;
  throw new Error(`unknown ImplicitMetaPolicy rule ${rule}`);
}

/** The group at `/Channel/...` (without the policy's own name) of a channel config. */
function groupAt(config: common.Config, groups: string[]): common.ConfigGroup | undefined {
  let group = config.getChannelGroup();
  if (groups[0] !== 'Channel') return undefined;
  for (const name of groups.slice(1)) group = group?.getGroupsMap().get(name);
  return group;
}

function convertGroupPolicy(
  group: common.ConfigGroup,
  name: string,
  where: string,
): common.SignaturePolicyEnvelope {
  const policy = group.getPoliciesMap().get(name)?.getPolicy();
  if (!policy) throw new Error(`policy ${where}/${name} does not exist, so it is not convertible`);
  const value = policy.getValue_asU8();
  if (policy.getType() === common.Policy.PolicyType.SIGNATURE)
    return unmarshal('SignaturePolicyEnvelope', common.SignaturePolicyEnvelope.deserializeBinary, value);
  if (policy.getType() !== common.Policy.PolicyType.IMPLICIT_META)
    throw new Error(`policy ${where}/${name} of type ${policy.getType()} is not convertible`);
  const meta = unmarshal('ImplicitMetaPolicy', common.ImplicitMetaPolicy.deserializeBinary, value);
  const subGroups = [...group.getGroupsMap().entries()];
  const root = new common.SignaturePolicy();
  const nOutOf = new common.SignaturePolicy.NOutOf();
  nOutOf.setN(threshold(meta.getRule(), subGroups.length));
  root.setNOutOf(nOutOf);
  const converted = new common.SignaturePolicyEnvelope();
  converted.setVersion(0);
  converted.setRule(root);
  for (const [subName, sub] of subGroups)
    mergeInto(converted, convertGroupPolicy(sub, meta.getSubPolicy(), `${where}/${subName}`));
  return converted;
}

/**
 * The channel config policy at `path` (e.g. `/Channel/Application/Endorsement`) as one signature
 * policy (fabric common/policies Converter): a signature policy as it is; an ImplicitMeta policy as
 * NOutOf(threshold) of its sub-groups' converted policies, identical principals shared. Throws when
 * the path names no policy or a sub-group lacks the sub-policy.
 */
export function convertChannelPolicy(config: common.Config, path: string): common.SignaturePolicyEnvelope {
  const parts = path.replace(/^\//, '').split('/');
  const name = parts.pop() as string;
  const group = groupAt(config, parts);
  if (!group || name === '') throw new Error(`could not retrieve policy for reference '${path}'`);
  return convertGroupPolicy(group, name, `/${parts.join('/')}`);
}
