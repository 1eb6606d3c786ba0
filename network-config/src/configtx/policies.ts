import { common } from '@hyperledger/fabric-protos';
import { signaturePolicyFromString } from './policydsl';

/** A policy as written in configtx.yaml: `Type` and `Rule`. */
export interface PolicySpec {
  type: 'ImplicitMeta' | 'Signature';
  rule: string;
}

/**
 * Fabric's `policies.ImplicitMetaFromString`: `"<ANY|ALL|MAJORITY> <SubPolicy>"`.
 * @throws Error naming the rule when it is not two tokens or the rule type is unknown.
 */
export function implicitMetaFromString(input: string): common.ImplicitMetaPolicy {
  const args = input.split(' ');
  if (args.length !== 2)
    throw new Error(
      `implicit meta policy '${input}': expected two space separated tokens, but got ${args.length}`,
    );
  const rules: Record<string, common.ImplicitMetaPolicy.RuleMap[keyof common.ImplicitMetaPolicy.RuleMap]> = {
    ANY: common.ImplicitMetaPolicy.Rule.ANY,
    ALL: common.ImplicitMetaPolicy.Rule.ALL,
    MAJORITY: common.ImplicitMetaPolicy.Rule.MAJORITY,
  };
  const rule = rules[args[0]];
  if (rule === undefined)
    throw new Error(
      `implicit meta policy '${input}': unknown rule type '${args[0]}', expected ALL, ANY, or MAJORITY`,
    );
  const imp = new common.ImplicitMetaPolicy();
  imp.setSubPolicy(args[1]);
  imp.setRule(rule);
  return imp;
}

/** Encodes a configtx.yaml policy into a `common.Policy`, as configtxgen's `AddPolicies`. */
export function encodePolicy(spec: PolicySpec): common.Policy {
  const policy = new common.Policy();
  if (spec.type === 'ImplicitMeta') {
    policy.setType(common.Policy.PolicyType.IMPLICIT_META);
    policy.setValue(implicitMetaFromString(spec.rule).serializeBinary());
  } else {
    policy.setType(common.Policy.PolicyType.SIGNATURE);
    policy.setValue(signaturePolicyFromString(spec.rule).serializeBinary());
  }
  return policy;
}
