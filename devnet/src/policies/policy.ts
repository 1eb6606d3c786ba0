import type { Identity } from '../msp/identity';
import type { SignedData } from '../protoutil/signeddata';

export type { SignedData } from '../protoutil/signeddata';

/** A policy evaluation failure; the message names the policy and why it was not satisfied. */
export class PolicyError extends Error {
  /** @param policyName the policy's path or description, e.g. '/Channel/Application/Writers' */
  constructor(
    readonly policyName: string,
    readonly reason: string,
  ) {
    super(`policy ${policyName} not satisfied: ${reason}`);
    this.name = 'PolicyError';
  }
}

/** A compiled policy (fabric common/policies.Policy). */
export interface Policy {
  /**
   * Checks the signatures (each valid over its data, by a valid identity) and that the signing
   * identities satisfy the policy; throws PolicyError otherwise (fabric EvaluateSignedData).
   */
  evaluate(signedData: SignedData[]): void;
}

/** A policy that can also judge identities whose signatures were already checked (every policy built here). */
export interface IdentityPolicy extends Policy {
  /** Checks already verified identities against the policy; throws PolicyError (fabric EvaluateIdentities). */
  evaluateIdentities(identities: Identity[]): void;
  /**
   * Whether already verified identities satisfy the policy: {@link evaluateIdentities} without building
   * an error, for policies evaluated as parts of others (ImplicitMeta sub-policies).
   */
  isSatisfiedBy(identities: Identity[]): boolean;
}

/** A policy that rejects everything: what Fabric returns for a policy that does not exist. */
export class RejectPolicy implements IdentityPolicy {
  /** @param name the missing policy's name */
  constructor(private readonly name: string) {}

  evaluate(): void {
    throw new PolicyError(this.name, `no such policy: '${this.name}'`);
  }

  evaluateIdentities(): void {
    throw new PolicyError(this.name, `no such policy: '${this.name}'`);
  }

  isSatisfiedBy(): boolean {
    return false;
  }
}

/** Re-labels a policy's errors with its path (fabric PolicyLogger). */
export class NamedPolicy implements IdentityPolicy {
  /** @param name e.g. '/Channel/Application/Writers' */
  constructor(
    readonly name: string,
    private readonly inner: IdentityPolicy,
  ) {}

  evaluate(signedData: SignedData[]): void {
    this.relabel(() => this.inner.evaluate(signedData));
  }

  evaluateIdentities(identities: Identity[]): void {
    this.relabel(() => this.inner.evaluateIdentities(identities));
  }

  isSatisfiedBy(identities: Identity[]): boolean {
    return this.inner.isSatisfiedBy(identities);
  }

  private relabel(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      const reason = err instanceof PolicyError ? err.reason : (err as Error).message;
      throw new PolicyError(this.name, reason);
    }
  }
}
