import type { Context } from 'fabric-contract-api';
import type { AuthorityGrant } from '../model/authority';
import { CENTRAL_BANK_MSP, officerAccountId, type AccountRef } from '../model/token';
import { requireRole } from './authz';
import { AccessDeniedError } from './errors';
import { caller } from './identity';

/**
 * Who may do what with the currency (the token contract and the fee and reward payments ask
 * here). Issuing (mint, burn), rates and conversions belong to the central bank's identities with
 * role `currency-issuer` (its root admin implicitly). An account is operated only by its own
 * ministry: a treasury by holders of `treasurer`, a citizen's account by holders of `teller`, an
 * officer's account by that identity alone. Anyone may pay into any account.
 */

/**
 * Refuses the transaction unless the caller is a currency issuer of the central bank.
 * @param action - what the caller tries, for the message.
 * @throws AccessDeniedError naming the caller's ministry or the missing role.
 */
export async function requireCurrencyIssuer(ctx: Context, action: string): Promise<AuthorityGrant> {
  const { mspId } = caller(ctx);
  if (mspId !== CENTRAL_BANK_MSP) {
    throw new AccessDeniedError(
      `${action} is reserved to the central bank (${CENTRAL_BANK_MSP}); the caller is from ${mspId}`,
    );
  }
  return requireRole(ctx, 'currency-issuer', '*');
}

/**
 * Refuses to debit (or approve spending from) an account the caller does not operate.
 * @param action - e.g. `spend from it`.
 * @throws AccessDeniedError naming the account and why.
 */
export async function requireAccountControl(
  ctx: Context,
  account: AccountRef,
  action: string,
): Promise<void> {
  const who = caller(ctx);
  if (account.mspId !== who.mspId) {
    throw new AccessDeniedError(
      `account ${account.id} is kept by ${account.mspId}; the caller from ${who.mspId} may not ${action}`,
    );
  }
  switch (account.kind) {
    case 'officer':
      if (officerAccountId(who.mspId, who.id) !== account.id) {
        throw new AccessDeniedError(
          `account ${account.id} belongs to another identity of ${account.mspId}; only its holder may ${action}`,
        );
      }
      return;
    case 'treasury':
      await requireRole(ctx, 'treasurer', '*');
      return;
    case 'citizen':
      await requireRole(ctx, 'teller', '*');
      return;
  }
}

/**
 * Refuses to show a citizen's account except to a teller of its ministry or a currency issuer of
 * the central bank (the two members of its collection).
 * @throws AccessDeniedError naming the account.
 */
export async function requirePrivateReader(ctx: Context, account: AccountRef): Promise<void> {
  const { mspId } = caller(ctx);
  if (mspId === CENTRAL_BANK_MSP) {
    await requireRole(ctx, 'currency-issuer', '*');
    return;
  }
  if (mspId !== account.mspId) {
    throw new AccessDeniedError(
      `account ${account.id} is visible to ${account.mspId} and the central bank only, not to ${mspId}`,
    );
  }
  await requireRole(ctx, 'teller', '*');
}

/**
 * Refuses a fee payer the registering caller may not charge: its own ministry's treasury is
 * charged by the registration itself (the issuer role authorizes it); another public account
 * only when the caller operates it.
 * @throws AccessDeniedError naming the account.
 */
export async function requireFeePayer(ctx: Context, account: AccountRef, issuerMsp: string): Promise<void> {
  if (account.kind === 'treasury' && account.mspId === issuerMsp) return;
  await requireAccountControl(ctx, account, 'pay fees from it');
}
