import type { JsonObject } from '../lib/canonical';
import { InvalidArgumentError } from '../lib/errors';
import { InputObject, isJsonObject } from '../lib/input';
import { ID_PATTERN, ID_RULE } from '../model/patterns';
import type { RewardRule } from '../model/token';
import { parseRewardRule } from '../model/token-input';

/**
 * Audit policies. A policy is the `audit` part of a rule in the rules repository (so it is
 * proposed, approved and versioned through governance like any rule): records of the types the
 * rule applies to need confirming by auditors before they take effect.
 */

/** Most approvals or rejections a policy may require. */
export const MAX_QUORUM = 20;
/** Longest deadline a policy may set: one year. */
export const MAX_DEADLINE_SECONDS = 366 * 24 * 3600;
/** Most ministries a policy may name. */
const MAX_MINISTRIES = 64;

/** The `audit` part of a rule. */
export interface AuditPolicy {
  /** Approvals that confirm a record (k of the n eligible auditors). */
  approvals: number;
  /** Rejections that reject it (default 1). */
  rejections: number;
  /** Of the approvals, how many must come from auditors outside the issuing ministry (default 0). */
  outsideIssuer: number;
  /** Only auditors of these ministries decide (absent: any ministry whose auditors cover the record). */
  ministries?: string[];
  /** Seconds from the case's opening after which it can only expire. */
  deadlineSeconds: number;
  /** Paid to each auditor whose approval confirmed a case, from the issuer's treasury. */
  reward?: RewardRule;
}

/** A policy version a case applies, as the case pins it. */
export interface PolicyRef {
  ruleId: string;
  version: number;
}

/** What a case needs: the strictest combination of every policy that applied when it opened. */
export interface AuditRequirement extends AuditPolicy {
  policies: PolicyRef[];
}

/** The requirement of a case opened by hand about a record no policy covers. */
export const DEFAULT_MANUAL_POLICY: AuditPolicy = {
  approvals: 1,
  rejections: 1,
  outsideIssuer: 0,
  deadlineSeconds: 30 * 24 * 3600,
};

const POLICY_FIELDS = [
  'approvals',
  'rejections',
  'outsideIssuer',
  'ministries',
  'deadlineSeconds',
  'reward',
] as const;

/**
 * Parses the `audit` field of a rule proposal's content.
 * @param what - names the field in errors, e.g. `proposalJson: field "content.audit"`.
 * @throws InvalidArgumentError naming the bad field.
 */
export function parseAuditPolicy(value: unknown, what: string): AuditPolicy {
  if (!isJsonObject(value)) {
    throw new InvalidArgumentError(`${what} must be a JSON object`);
  }
  const input = InputObject.parse(what, JSON.stringify(value));
  input.rejectUnknownFields(POLICY_FIELDS);
  const approvals = input.integer('approvals', 1, MAX_QUORUM);
  const rejections = input.has('rejections') ? input.integer('rejections', 1, MAX_QUORUM) : 1;
  const outsideIssuer = input.has('outsideIssuer') ? input.integer('outsideIssuer', 0, approvals) : 0;
  const deadlineSeconds = input.integer('deadlineSeconds', 1, MAX_DEADLINE_SECONDS);
  const policy: AuditPolicy = { approvals, rejections, outsideIssuer, deadlineSeconds };
  if (input.has('ministries')) {
    policy.ministries = input.stringSet('ministries', ID_PATTERN, `an MSP ID (${ID_RULE})`, MAX_MINISTRIES);
  }
  if (input.has('reward')) {
    policy.reward = parseRewardRule(input.required('reward'), `${what}: field "reward"`);
  }
  return policy;
}

/**
 * Combines the policies that apply to one record into one requirement: the most approvals, the
 * fewest rejections, the most outside approvals, the earliest deadline, the largest reward, and
 * only ministries every policy allows.
 */
export function combinePolicies(
  applied: { ref: PolicyRef; policy: AuditPolicy }[],
): AuditRequirement | undefined {
  if (applied.length === 0) return undefined;
  const [first, ...rest] = applied;
  const combined: AuditRequirement = { ...first.policy, policies: [first.ref] };
  for (const { ref, policy } of rest) {
    combined.approvals = Math.max(combined.approvals, policy.approvals);
    combined.rejections = Math.min(combined.rejections, policy.rejections);
    combined.outsideIssuer = Math.max(combined.outsideIssuer, policy.outsideIssuer);
    combined.deadlineSeconds = Math.min(combined.deadlineSeconds, policy.deadlineSeconds);
    const reward = largerReward(combined.reward, policy.reward);
    if (reward) combined.reward = reward;
    if (policy.ministries) {
      const allowed = policy.ministries;
      combined.ministries = combined.ministries
        ? combined.ministries.filter((m) => allowed.includes(m))
        : [...allowed];
    }
    combined.policies.push(ref);
  }
  return combined;
}

/** Of two rewards, the larger (the one currency is issued; a reward in another currency never wins). */
function largerReward(a?: RewardRule, b?: RewardRule): RewardRule | undefined {
  if (!a || !b) return a ?? b;
  if (a.currency !== b.currency) return a;
  return BigInt(b.amount) > BigInt(a.amount) ? b : a;
}

/** A policy as stored in a rule (typed view of the rule's `audit` field). */
export function storedPolicy(value: JsonObject): AuditPolicy {
  return value as unknown as AuditPolicy;
}
