import type { common } from '@hyperledger/fabric-protos';
import type { msp as mspProto } from '@hyperledger/fabric-protos';
import type { Identity } from '../msp/identity';
import type { SignedData } from '../protoutil/signeddata';
import { PolicyError, type IdentityPolicy } from './policy';
import { signatureSetToValidIdentities, type IdentityDeserializer } from './signatureset';

/** A compiled rule: true when satisfied, marking in `used` the identities it consumed. */
type Evaluator = (identities: Identity[], used: boolean[]) => boolean;

/**
 * Compiles a SignaturePolicy tree (fabric common/cauthdsl compile). NOutOf tries every sub-rule
 * in order on a copy of `used`, keeping the copy only when the sub-rule holds; SignedBy takes the
 * first unused identity satisfying its principal. So one identity counts for one principal only.
 */
export function compile(
  rule: common.SignaturePolicy | undefined,
  principals: mspProto.MSPPrincipal[],
): Evaluator {
  if (!rule) throw new Error('Empty policy element');
  if (rule.hasNOutOf()) {
    const nOutOf = rule.getNOutOf()!;
    const n = nOutOf.getN();
    const rules = nOutOf.getRulesList().map((r) => compile(r, principals));
    return (identities, used) => {
      let verified = 0;
      const scratch = new Array<boolean>(used.length);
      for (const evaluate of rules) {
        for (let i = 0; i < used.length; i++) scratch[i] = used[i];
        if (evaluate(identities, scratch)) {
          verified++;
          for (let i = 0; i < used.length; i++) used[i] = scratch[i];
        }
      }
      return verified >= n;
    };
  }
  if (rule.hasSignedBy()) {
    const index = rule.getSignedBy();
    if (index < 0 || index >= principals.length) {
      throw new Error(
        `identity index out of range, requested ${index}, but identities length is ${principals.length}`,
      );
    }
    const principal = principals[index];
    return (identities, used) => {
      for (let i = 0; i < identities.length; i++) {
        if (used[i] || identities[i].principalMismatch(principal) !== undefined) continue;
        used[i] = true;
        return true;
      }
      return false;
    };
  }
  throw new Error('Unknown SignaturePolicy type (neither signed_by nor n_out_of)');
}

/** A signature policy over the channel's MSPs (fabric cauthdsl policy). */
export class SignaturePolicy implements IdentityPolicy {
  private readonly evaluator: Evaluator;

  /**
   * @param envelope the policy; only version 0 is understood, as in Fabric
   * @param msps deserializes the signers
   * @param name used in errors
   */
  constructor(
    readonly envelope: common.SignaturePolicyEnvelope,
    private readonly msps: IdentityDeserializer,
    readonly name = 'signature policy',
  ) {
    if (envelope.getVersion() !== 0) {
      throw new Error(
        `This evaluator only understands messages of version 0, but version was ${envelope.getVersion()}`,
      );
    }
    this.evaluator = compile(envelope.getRule(), envelope.getIdentitiesList());
  }

  evaluate(signedData: SignedData[]): void {
    this.evaluateIdentities(signatureSetToValidIdentities(signedData, this.msps));
  }

  evaluateIdentities(identities: Identity[]): void {
    if (!this.isSatisfiedBy(identities))
      throw new PolicyError(this.name, 'signature set did not satisfy policy');
  }

  isSatisfiedBy(identities: Identity[]): boolean {
    return this.evaluator(identities, new Array<boolean>(identities.length).fill(false));
  }
}

/** Compiles a SignaturePolicyEnvelope against the channel's MSPs (throws if malformed). */
export function newSignaturePolicy(
  envelope: common.SignaturePolicyEnvelope,
  msps: IdentityDeserializer,
  name?: string,
): IdentityPolicy {
  return new SignaturePolicy(envelope, msps, name);
}
