import type { Context } from 'fabric-contract-api';
import { officerAccountId, treasuryAccountId, type Movement, type RewardRule } from '../model/token';
import { AlreadyExistsError } from './errors';
import { exists, writeObject } from './state';
import { PUBLIC_BOOK } from './token-book';
import { move } from './token-ledger';
import { requireCurrency } from './token-policy';
import { TokenObjectType, tokenKey } from './token-keys';
import { txFacts } from './tx';

/**
 * Auditor rewards: when a case under a policy with a `reward` is CONFIRMED, each auditor whose
 * approval formed the quorum is paid the reward into its officer account, from the treasury of
 * the ministry whose record was audited, in the transaction that closes the case. A marker key per
 * case makes a second payment impossible even if a case were closed twice.
 */

/** An approving auditor. */
export interface Approver {
  mspId: string;
  auditorId: string;
}

/**
 * Pays the rewards of a confirmed case.
 * @throws AlreadyExistsError when this case's rewards were paid; InsufficientFundsError when the
 *   issuer's treasury holds too little (the case then stays open: fund the treasury and decide again).
 */
export async function payAuditRewards(
  ctx: Context,
  caseId: string,
  issuerMsp: string,
  reward: RewardRule,
  approvers: Approver[],
): Promise<Movement[]> {
  const marker = tokenKey(ctx, TokenObjectType.reward, [caseId]);
  if (await exists(ctx, marker)) {
    throw new AlreadyExistsError(`the rewards of audit case ${caseId} were already paid`);
  }
  const policy = await requireCurrency(ctx, reward.currency);
  await writeObject(ctx, marker, { docType: 'rewardPaid', caseId, txId: txFacts(ctx).txId });
  const amount = BigInt(reward.amount);
  return move(ctx, {
    kind: 'REWARD',
    book: PUBLIC_BOOK,
    currency: policy.code,
    from: treasuryAccountId(issuerMsp),
    credits: approvers.map((a) => ({ to: officerAccountId(a.mspId, a.auditorId), amount })),
    ref: caseId,
    purpose: `the rewards of audit case ${caseId} (${approvers.length} auditor(s) x ${reward.amount})`,
  });
}
