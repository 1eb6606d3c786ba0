import type { Context } from 'fabric-contract-api';
import type { CurrencyPolicy, Supply } from '../model/token';
import { InvalidArgumentError, NotFoundError } from './errors';
import { readSetting } from './rules-engine-enact';
import { readObject } from './state';
import { TokenObjectType, tokenKey } from './token-keys';

/**
 * The supply policy in force (governed setting `currency`) and the issued totals.
 */

/** The enacted supply policy, or undefined before the first one. */
export async function readCurrencyPolicy(ctx: Context): Promise<CurrencyPolicy | undefined> {
  const setting = await readSetting(ctx, 'currency');
  return setting?.versions[setting.versions.length - 1].value as CurrencyPolicy | undefined;
}

/**
 * The supply policy, refusing a currency other than the issued one.
 * @param currency - a code the caller named, checked against the policy's.
 * @throws NotFoundError before a policy is enacted; InvalidArgumentError for another code.
 */
export async function requireCurrency(ctx: Context, currency?: string): Promise<CurrencyPolicy> {
  const policy = await readCurrencyPolicy(ctx);
  if (!policy) {
    throw new NotFoundError(
      'no currency is issued yet: the governed setting "currency" (supply policy) was never enacted',
    );
  }
  if (currency !== undefined && currency !== policy.code) {
    throw new InvalidArgumentError(
      `currency ${currency} is not issued on this ledger; the currency is ${policy.code}`,
    );
  }
  return policy;
}

/** The issued totals of a currency (zero before the first mint). */
export async function readSupply(ctx: Context, currency: string): Promise<Supply> {
  const value = await readObject(ctx, supplyKey(ctx, currency), `supply of ${currency}`);
  return (
    (value as unknown as Supply | undefined) ?? { docType: 'supply', currency, minted: '0', burned: '0' }
  );
}

/** Key of a currency's issued totals. */
export function supplyKey(ctx: Context, currency: string): string {
  return tokenKey(ctx, TokenObjectType.supply, [currency]);
}
