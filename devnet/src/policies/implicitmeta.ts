import { common } from '@hyperledger/fabric-protos';
import type { Identity } from '../msp/identity';
import type { SignedData } from '../protoutil/signeddata';
import { PolicyError, type IdentityPolicy } from './policy';
import { signatureSetToValidIdentities, type IdentityDeserializer } from './signatureset';

const { Rule } = common.ImplicitMetaPolicy;

/** Name of an ImplicitMetaPolicy rule ('ANY', 'ALL', 'MAJORITY'). */
export function implicitMetaRuleName(rule: number): string {
  return Object.entries(Rule).find(([, v]) => v === rule)?.[0] ?? `UNKNOWN(${rule})`;
}

/**
 * ANY / ALL / MAJORITY of the sub-groups' policies with one name (fabric
 * common/policies/implicitmeta.go). A sub-group lacking the policy counts as unsatisfied;
 * with no sub-groups at all the threshold is 0 and the policy always holds, as in Fabric.
 */
export class ImplicitMetaPolicy implements IdentityPolicy {
  readonly threshold: number;

  /**
   * @param rule a common.ImplicitMetaPolicy.Rule value
   * @param subPolicyName e.g. 'Writers'
   * @param subPolicies one per sub-group (a reject policy where the group lacks it)
   */
  constructor(
    readonly rule: number,
    readonly subPolicyName: string,
    private readonly subPolicies: IdentityPolicy[],
    private readonly msps: IdentityDeserializer,
    readonly name = `implicit meta policy ${implicitMetaRuleName(rule)} ${subPolicyName}`,
  ) {
    const n = subPolicies.length;
    if (rule === Rule.ANY) this.threshold = 1;
    else if (rule === Rule.ALL) this.threshold = n;
    else if (rule === Rule.MAJORITY) this.threshold = Math.floor(n / 2) + 1;
    else throw new Error(`unknown ImplicitMetaPolicy rule ${rule}`);
    if (n === 0) this.threshold = 0;
  }

  /** Verifies the signatures once, then evaluates each sub-policy on the valid identities. */
  evaluate(signedData: SignedData[]): void {
    this.evaluateIdentities(signatureSetToValidIdentities(signedData, this.msps));
  }

  evaluateIdentities(identities: Identity[]): void {
    const satisfied = this.satisfiedCount(identities);
    if (satisfied >= this.threshold) return;
    throw new PolicyError(
      this.name,
      `implicit policy evaluation failed - ${satisfied} sub-policies were satisfied, but this policy requires ${this.threshold} of the '${this.subPolicyName}' sub-policies to be satisfied`,
    );
  }

  isSatisfiedBy(identities: Identity[]): boolean {
    return this.satisfiedCount(identities) >= this.threshold;
  }

  /** Sub-policies satisfied, counting stops at the threshold (a failing sub-policy is benign until then). */
  private satisfiedCount(identities: Identity[]): number {
    let satisfied = 0;
    for (const policy of this.subPolicies) {
      if (satisfied >= this.threshold) break;
      if (policy.isSatisfiedBy(identities)) satisfied++;
    }
    return satisfied;
  }
}
