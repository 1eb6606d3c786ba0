import type { Context } from 'fabric-contract-api';

/**
 * World-state keys of the currency (composite keys, see lib/keys.ts). No key is written by every
 * transfer: public balances are unspent outputs, one key each, summed by a bounded partial-key
 * read; a movement is its own key. Citizens' accounts use the same movement keys inside their
 * ministry's collection, and one balance key each (lib/token-ledger explains why).
 */
export const TokenObjectType = {
  /** `token.utxo` [currency, accountId, txId, seq] → Output */
  output: 'token.utxo',
  /** `token.pbal` [currency, accountId] → a citizen's balance, in its ministry's collection */
  privateBalance: 'token.pbal',
  /** `token.mv` [txId, seq] → Movement */
  movement: 'token.mv',
  /** `token.acct~mv` [accountId, at, txId, seq] → 0x00: an account's movements by time */
  accountIndex: 'token.acct~mv',
  /** `token.supply` [currency] → Supply (Mint and Burn only) */
  supply: 'token.supply',
  /** `token.allowance` [currency, owner, spender] → Allowance */
  allowance: 'token.allowance',
  /** `token.deposit` [depositId] → Deposit (public) */
  deposit: 'token.deposit',
  /** `token.claim` [depositId] → 0x00 in the ministry's collection: the deposit was claimed */
  claim: 'token.claim',
  /** `token.voucher` [voucherId] → Voucher in the ministry's collection */
  voucher: 'token.voucher',
  /** `token.redeemed` [mspId, voucherId] → {txId} (public): the voucher was paid out */
  redeemed: 'token.redeemed',
  /** `token.reward` [caseId] → {txId}: the case's rewards were paid */
  reward: 'token.reward',
  /** `token.rate` [quote, 7-digit seq] → ExchangeRate; `token.rate~head` [quote] → the latest */
  rate: 'token.rate',
  rateHead: 'token.rate~head',
  /** `token.conversion` [conversionId] → Conversion */
  conversion: 'token.conversion',
} as const;

/** One of {@link TokenObjectType}'s values. */
export type TokenObjectTypeValue = (typeof TokenObjectType)[keyof typeof TokenObjectType];

/** A composite key of the currency. */
export function tokenKey(ctx: Context, type: TokenObjectTypeValue, attributes: string[]): string {
  return ctx.stub.createCompositeKey(type, attributes);
}
