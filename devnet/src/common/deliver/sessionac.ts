import type { SignedData } from '../../protoutil/signeddata';
import { expiresAt } from './expiresat';

/** Checks one SignedData set against a policy; throws naming why it failed. */
export type PolicyChecker = (signedData: SignedData[]) => void;

/**
 * Access control of one deliver request (fabric common/deliver/acl.go SessionAccessControl): the
 * policy is checked on the first evaluation (and again if the config sequence moves on), the
 * creator's certificate expiry on every block, so a session ends when its certificate expires.
 */
export class SessionAccessControl {
  private readonly sessionEnd: Date | undefined;
  private usedAtLeastOnce = false;
  private lastConfigSequence = 0;

  constructor(
    private readonly signedData: SignedData[],
    private readonly checkPolicy: PolicyChecker,
    private readonly configSequence: () => number = () => 0,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sessionEnd = expiresAt(signedData[0].identity);
  }

  /** Throws if the identity has expired or the policy refuses it. */
  evaluate(): void {
    const now = this.now();
    if (this.sessionEnd && now.getTime() > this.sessionEnd.getTime()) {
      const agoMs = now.getTime() - this.sessionEnd.getTime();
      throw new Error(`deliver client identity expired ${formatDuration(agoMs)} before`);
    }
    let policyCheckNeeded = !this.usedAtLeastOnce;
    const sequence = this.configSequence();
    if (sequence > this.lastConfigSequence) {
      this.lastConfigSequence = sequence;
      policyCheckNeeded = true;
    }
    if (!policyCheckNeeded) return;
    this.usedAtLeastOnce = true;
    this.checkPolicy(this.signedData);
  }
}

/** A duration like Go's time.Duration String for whole seconds and above (e.g. `1h2m3s`). */
function formatDuration(ms: number): string {
  let s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
