import type { Context } from 'fabric-contract-api';
import type { LegalBasis } from '../model/rule';
import {
  CENTRAL_BANK_MSP,
  parseAccountId,
  treasuryAccountId,
  type FeeRule,
  type Movement,
  type VoucherProof,
} from '../model/token';
import { requireFeePayer } from './authz-token';
import { InvalidArgumentError } from './errors';
import { readRuleVersion } from './rules-engine-store';
import { PUBLIC_BOOK } from './token-book';
import { move, type Credit } from './token-ledger';
import { requireCurrency } from './token-policy';
import { redeemVoucher } from './token-vouchers';

/**
 * Service fees: a rule's `fee` part prices the records of the types it applies to. Registering
 * such a record pays every fee in force in the same transaction, from the issuer's treasury, from
 * a public account the caller names (`feeAccount`), or with a citizen's voucher (`feeVoucher`,
 * for exactly the total, payable to the fees' one payee). A short balance refuses the
 * registration, naming the account, the fee and the shortfall; nothing is written.
 */

/** Who pays, as the record input names it. */
export interface FeePayer {
  feeAccount?: string;
  feeVoucher?: VoucherProof;
}

/** The fees in force for a record: the `fee` parts of the rule versions of its legal basis. */
export async function feesOf(
  ctx: Context,
  legalBasis: LegalBasis[],
): Promise<{ ruleId: string; fee: FeeRule }[]> {
  const fees = [];
  for (const basis of legalBasis) {
    const rule = await readRuleVersion(ctx, basis.ruleId, basis.version);
    if (rule.fee) fees.push({ ruleId: rule.id, fee: rule.fee });
  }
  return fees;
}

/**
 * Charges the fees of a record being registered by the caller's ministry.
 * @returns the fee movements (none when no fee applies).
 * @throws InsufficientFundsError when the payer holds too little; InvalidArgumentError for a
 *   voucher of the wrong amount or payee, or fee fields on a record without fee.
 */
export async function chargeRecordFees(
  ctx: Context,
  legalBasis: LegalBasis[],
  record: { id: string; issuerMsp: string },
  payer: FeePayer,
): Promise<Movement[]> {
  const fees = await feesOf(ctx, legalBasis);
  if (fees.length === 0) {
    if (payer.feeAccount !== undefined || payer.feeVoucher !== undefined) {
      throw new InvalidArgumentError(
        `record ${record.id} costs no fee: recordJson must not name a feeAccount or feeVoucher`,
      );
    }
    return [];
  }
  const policy = await requireCurrency(ctx);
  for (const { ruleId, fee } of fees) {
    if (fee.currency !== policy.code) {
      throw new InvalidArgumentError(
        `rule ${ruleId} sets a fee in ${fee.currency}, which is not the issued currency ${policy.code}`,
      );
    }
  }
  const credits: Credit[] = fees.map(({ fee }) => ({
    to: fee.payTo ?? treasuryAccountId(CENTRAL_BANK_MSP),
    amount: BigInt(fee.amount),
  }));
  const total = credits.reduce((sum, c) => sum + c.amount, 0n);
  const purpose = `the fee of record ${record.id} (${fees.map((f) => `rule ${f.ruleId}: ${f.fee.amount}`).join(', ')})`;
  if (payer.feeVoucher) {
    return payByVoucher(ctx, payer.feeVoucher, credits, total, policy.code, record.id);
  }
  const from = payer.feeAccount ?? treasuryAccountId(record.issuerMsp);
  await requireFeePayer(ctx, parseAccountId(from)!, record.issuerMsp);
  return move(ctx, {
    kind: 'FEE',
    book: PUBLIC_BOOK,
    currency: policy.code,
    from,
    credits,
    ref: record.id,
    purpose,
  });
}

/** Pays the fees with a citizen's voucher: it must be for exactly the total, to the one payee. */
async function payByVoucher(
  ctx: Context,
  proof: VoucherProof,
  credits: Credit[],
  total: bigint,
  currency: string,
  recordId: string,
): Promise<Movement[]> {
  const payees = [...new Set(credits.map((c) => c.to))];
  if (payees.length !== 1 || payees[0] !== proof.payTo) {
    throw new InvalidArgumentError(
      `the fee of record ${recordId} is payable to ${payees.join(', ')}; voucher ${proof.id} pays ${proof.payTo}`,
    );
  }
  if (BigInt(proof.amount) !== total) {
    throw new InvalidArgumentError(
      `the fee of record ${recordId} is ${total} ${currency} minor units; voucher ${proof.id} holds ${proof.amount}`,
    );
  }
  await redeemVoucher(ctx, proof, currency);
  return move(ctx, {
    kind: 'FEE',
    book: PUBLIC_BOOK,
    currency,
    credits: [{ to: proof.payTo, amount: total }],
    ref: recordId,
    memo: `voucher ${proof.id} of ${proof.mspId}`,
  });
}
