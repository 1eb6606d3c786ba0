import { createHash } from 'node:crypto';

/**
 * The government digital currency (`token` contract): the typed state objects, the transaction
 * names with their arguments and results, the account id forms, the currency code rule and the
 * name of the private data collection of a ministry's citizens' accounts. The gateway and the
 * network generator code against this file; the names below stay stable.
 *
 * Amounts are integer minor units (cents) written as decimal strings without sign or leading
 * zeros (`"0"`, `"1250"`), up to 30 digits, so no amount is ever limited by IEEE doubles; the
 * chaincode computes with bigint.
 */

/** The contract's name: transactions are addressed `token:<Function>`. */
export const TOKEN_CONTRACT = 'token';

/** MSP ID of the central bank, the only issuer of the currency. */
export const CENTRAL_BANK_MSP = 'CentralBankMSP';

/** An ISO 4217-style currency code: exactly three upper-case letters, e.g. `KHR`, `USD`. */
export const CURRENCY_CODE_PATTERN = /^[A-Z]{3}$/;
/** Describes {@link CURRENCY_CODE_PATTERN} in error messages. */
export const CURRENCY_CODE_RULE = 'an ISO 4217-style code of 3 upper-case letters such as KHR';

/** An amount in minor units: a decimal string of 1-30 digits, no sign, no leading zero. */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,29})$/;
/** Describes {@link AMOUNT_PATTERN} in error messages. */
export const AMOUNT_RULE = 'an integer number of minor units as a decimal string, e.g. "1250"';

/** A decimal exchange rate: up to 18 integer and 12 fractional digits, e.g. `"0.000245"`. */
export const RATE_PATTERN = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,12})?$/;

/** A movement's memo: 1-200 characters, none of them a control character (on chain: never personal data). */
export const MEMO_PATTERN = /^[^\p{Cc}]{1,200}$/u;
/** Describes {@link MEMO_PATTERN} in error messages. */
export const MEMO_RULE = '1-200 printable characters (on chain: no personal data)';

/** A movement id: `<txId>.<7-digit sequence>`. */
export const MOVEMENT_ID_PATTERN = /^[0-9a-f]{64}\.[0-9]{7}$/;

/**
 * The central bank's reference of a conversion (RecordConversion): 1-128 characters of
 * A-Z a-z 0-9 . _ : / -, starting with a letter or digit (no spaces, so no names or free text).
 */
export const CONVERSION_REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
/** Describes {@link CONVERSION_REFERENCE_PATTERN} in error messages. */
export const CONVERSION_REFERENCE_RULE =
  '1-128 characters of A-Z a-z 0-9 . _ : / -, starting with a letter or digit';

/**
 * Name of the private data collection holding the citizens' accounts of ministry `mspId`
 * (members the central bank and that ministry), e.g. `accountsEducationMSP`.
 */
export function accountsCollection(mspId: string): string {
  return `accounts${mspId}`;
}

/** Whether a string is a currency code ({@link CURRENCY_CODE_PATTERN}). */
export function isCurrencyCode(value: string): boolean {
  return CURRENCY_CODE_PATTERN.test(value);
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

/**
 * Account ids. Three forms, all `<kind>:<MSP ID>[:<suffix>]`:
 * - `treasury:<MSP>`: a ministry's treasury (public). `treasury:CentralBankMSP` is the central
 *   bank's own account: Mint credits it by default, Burn debits it.
 * - `officer:<MSP>:<sha256 hex of the identity's x509 id>`: one identity's own account (public);
 *   auditors are paid their rewards here.
 * - `citizen:<MSP>:<pseudonym>`: a citizen's pseudonymous account kept by ministry MSP (private:
 *   in {@link accountsCollection}(MSP)); the pseudonym is 16-64 characters of `A-Z a-z 0-9 _ -`
 *   chosen by the ministry (never a name or national number).
 */
export const ACCOUNT_KINDS = ['treasury', 'officer', 'citizen'] as const;
/** One of {@link ACCOUNT_KINDS}. */
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Any account id, as a syntax check (see {@link parseAccountId} for the meaning). */
export const ACCOUNT_ID_PATTERN =
  /^(treasury:[A-Za-z0-9][A-Za-z0-9._-]{0,63}|officer:[A-Za-z0-9][A-Za-z0-9._-]{0,63}:[0-9a-f]{64}|citizen:[A-Za-z0-9][A-Za-z0-9._-]{0,63}:[A-Za-z0-9_-]{16,64})$/;
/** Describes {@link ACCOUNT_ID_PATTERN} in error messages. */
export const ACCOUNT_ID_RULE =
  'treasury:<MSP ID>, officer:<MSP ID>:<sha256 hex of the x509 id> or citizen:<MSP ID>:<16-64 characters of A-Z a-z 0-9 _ ->';

/** An account id taken apart. */
export interface AccountRef {
  id: string;
  kind: AccountKind;
  /** The ministry that keeps the account. */
  mspId: string;
  /** The identity hash (officer) or pseudonym (citizen). */
  suffix?: string;
  /** Whether balances and movements live in the ministry's private collection (citizens). */
  private: boolean;
}

/** Parses an account id, or returns undefined when it has none of the three forms. */
export function parseAccountId(id: string): AccountRef | undefined {
  if (typeof id !== 'string' || !ACCOUNT_ID_PATTERN.test(id)) return undefined;
  const [kind, mspId, suffix] = id.split(':') as [AccountKind, string, string | undefined];
  return { id, kind, mspId, ...(suffix === undefined ? {} : { suffix }), private: kind === 'citizen' };
}

/** The treasury account of a ministry. */
export function treasuryAccountId(mspId: string): string {
  return `treasury:${mspId}`;
}

/** The own account of an identity (`x509::<subject>::<issuer>` as ClientIdentity.getID gives it). */
export function officerAccountId(mspId: string, clientId: string): string {
  return `officer:${mspId}:${createHash('sha256').update(clientId, 'utf8').digest('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// Governed policy (governance setting `currency`) and rule parts
// ---------------------------------------------------------------------------------------------

/**
 * The supply policy: the value of the governed setting `currency` (governance:Propose with
 * `{kind: "setting", content: {name: "currency", value: CurrencyPolicy}}`, then Approve and
 * Tally). Mint is refused until one is enacted; the code never changes once enacted.
 */
export interface CurrencyPolicy {
  /** The currency the central bank issues, e.g. `KHR`. */
  code: string;
  /** Decimal digits of the minor unit (ISO 4217 exponent), 0-4. */
  minorUnits: number;
  /** Most minor units that may be outstanding (minted minus burned). */
  maxSupply: string;
}

/** A rule's `fee` part: registering a record of a type the rule applies to costs this. */
export interface FeeRule {
  amount: string;
  currency: string;
  /** Public account the fee is paid to; default `treasury:CentralBankMSP`. */
  payTo?: string;
}

/** An audit policy's `reward` part: paid to each approving auditor when a case is CONFIRMED. */
export interface RewardRule {
  amount: string;
  currency: string;
}

// ---------------------------------------------------------------------------------------------
// State objects
// ---------------------------------------------------------------------------------------------

/** What a movement did. */
export const MOVEMENT_KINDS = [
  'MINT',
  'BURN',
  'TRANSFER',
  'TRANSFER_FROM',
  'CONSOLIDATE',
  'FEE',
  'REWARD',
  'DEPOSIT',
  'CLAIM',
  'PRIVATE_TRANSFER',
  'WITHDRAW',
  'REDEEM',
] as const;
/** One of {@link MOVEMENT_KINDS}. */
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/**
 * One movement, under `token.mv` [txId, seq] (public movements in world state, private ones in
 * the ministry's collection). A transaction may make several (a fee and a reward payment...).
 */
export interface Movement {
  docType: 'movement';
  /** `<txId>.<seq>`. */
  id: string;
  kind: MovementKind;
  currency: string;
  amount: string;
  /** Debited account (absent for MINT, CLAIM). */
  from?: string;
  /** Credited account (absent for BURN, DEPOSIT, WITHDRAW). */
  to?: string;
  /** Free text on chain: never personal data (1-200 characters). */
  memo?: string;
  /** What caused it: a record id (FEE), an audit case id (REWARD), a deposit or voucher id. */
  ref?: string;
  /** The caller and its ministry. */
  by: string;
  byMsp: string;
  at: string;
  txId: string;
}

/** An unspent output, under `token.utxo` [currency, accountId, txId, seq]: a part of a balance. */
export interface Output {
  docType: 'output';
  accountId: string;
  currency: string;
  amount: string;
  txId: string;
}

/** An allowance, under `token.allowance` [currency, owner, spender]. */
export interface Allowance {
  docType: 'allowance';
  currency: string;
  owner: string;
  spender: string;
  /** What the spender may still move. */
  amount: string;
  at: string;
  txId: string;
}

/** The issued totals, under `token.supply` [currency]: only Mint and Burn write it. */
export interface Supply {
  docType: 'supply';
  currency: string;
  minted: string;
  burned: string;
}

/**
 * A deposit into a ministry's private accounts (public, under `token.deposit` [txId]): the
 * public side of moving money from a public account to a citizen's. The beneficiary is hidden
 * behind `commitment` = sha256 hex of canonical JSON `{accountId, salt}`.
 */
export interface Deposit {
  docType: 'deposit';
  id: string;
  mspId: string;
  currency: string;
  amount: string;
  from: string;
  commitment: string;
  at: string;
  txId: string;
}

/**
 * A voucher (private, in the ministry's collection under `token.voucher` [id]): value taken out
 * of a citizen's account by Withdraw, redeemable once into the public account `payTo` by
 * Redeem or by a fee. Its stored bytes are the canonical JSON of this object, so its hash on the
 * channel proves it to every peer.
 */
export interface Voucher {
  docType: 'voucher';
  id: string;
  mspId: string;
  currency: string;
  amount: string;
  payTo: string;
  /** 32-64 hex characters chosen by the ministry. */
  salt: string;
}

/** A published exchange rate, under `token.rate` [quote, seq] and its head `token.rate~head` [quote]. */
export interface ExchangeRate {
  docType: 'rate';
  /** The issued currency. */
  base: string;
  /** The other currency. */
  quote: string;
  /** Major units of `quote` per one major unit of `base`, decimal string ({@link RATE_PATTERN}). */
  rate: string;
  quoteMinorUnits: number;
  seq: number;
  at: string;
  txId: string;
}

/** A recorded conversion (a record of an exchange, not a payment), under `token.conversion` [txId]. */
export interface Conversion {
  docType: 'conversion';
  id: string;
  /** IN: from `quote` into the issued currency; OUT: from the issued currency into `quote`. */
  direction: 'IN' | 'OUT';
  base: string;
  quote: string;
  /** The rate version applied. */
  rateSeq: number;
  rate: string;
  /** Minor units given, in the source currency. */
  amountIn: string;
  /** Minor units received, in the target currency (rounded down). */
  amountOut: string;
  /** The account concerned, when any. */
  accountId?: string;
  /** The central bank's reference of the exchange (no personal data). */
  reference: string;
  by: string;
  at: string;
  txId: string;
}

// ---------------------------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------------------------

/**
 * The transactions of `token`, with their arguments in order. `submit` ones change state,
 * `evaluate` ones only read. Private ones read their instruction from the transient map under
 * {@link TRANSIENT_TOKEN_KEY} (arguments are public in blocks) and write only into
 * {@link accountsCollection}(M), so M's or the central bank's peer alone endorses them.
 */
export const TokenTx = {
  /** evaluate () → {@link CurrencyInfo} */
  GetCurrency: 'GetCurrency',
  /** submit (amount, to ('' = treasury:CentralBankMSP), memo) → {@link MovementResult}; CentralBankMSP currency-issuer */
  Mint: 'Mint',
  /** submit (amount, memo) → {@link MovementResult}; from treasury:CentralBankMSP; currency-issuer */
  Burn: 'Burn',
  /** submit (from, to, amount, memo) → {@link MovementResult}; public accounts, caller controls `from` */
  Transfer: 'Transfer',
  /** submit (owner, spender, amount) → {@link Allowance}; caller controls `owner`; sets (not adds) */
  Approve: 'Approve',
  /** submit (spender, owner, to, amount, memo) → {@link MovementResult}; caller controls `spender` */
  TransferFrom: 'TransferFrom',
  /** evaluate (owner, spender) → {@link Allowance} (amount "0" when none) */
  GetAllowance: 'GetAllowance',
  /** submit (accountId) → {@link MovementResult}: merges up to 100 outputs into one; caller controls it */
  Consolidate: 'Consolidate',
  /** evaluate (accountId) → {@link BalanceResult}; public accounts */
  GetBalance: 'GetBalance',
  /** evaluate (accountId, pageSize, bookmark) → {items: Movement[], bookmark}; public accounts */
  ListMovements: 'ListMovements',
  /** evaluate (movementId) → {@link Movement} */
  GetMovement: 'GetMovement',
  /** submit (from, mspId, amount, commitment, memo) → {@link MovementResult} + depositId (= txId) */
  Deposit: 'Deposit',
  /** submit, transient `token` = {@link ClaimInstruction} → {@link MovementResult} (private) */
  Claim: 'Claim',
  /** submit, transient `token` = {@link PrivateTransferInstruction} → {@link MovementResult} (private) */
  PrivateTransfer: 'PrivateTransfer',
  /** submit, transient `token` = {@link WithdrawInstruction} → {voucherId, ...} (private) */
  Withdraw: 'Withdraw',
  /** submit (voucherJson: {@link VoucherProof}) → {@link MovementResult} (public) */
  Redeem: 'Redeem',
  /** evaluate on a peer of M or the central bank (accountId) → {@link BalanceResult} */
  GetPrivateBalance: 'GetPrivateBalance',
  /** evaluate on a peer of M or the central bank (accountId, pageSize, bookmark) → {items, bookmark} */
  ListPrivateMovements: 'ListPrivateMovements',
  /** submit (quote, rate, quoteMinorUnits) → {@link ExchangeRate}; CentralBankMSP currency-issuer */
  PublishRate: 'PublishRate',
  /** evaluate (quote, at ('' = now)) → {@link ExchangeRate} in force */
  GetRate: 'GetRate',
  /** submit (conversionJson: {@link ConversionInput}) → {@link Conversion}; currency-issuer */
  RecordConversion: 'RecordConversion',
  /** evaluate (conversionId) → {@link Conversion} */
  GetConversion: 'GetConversion',
} as const;
/** One of {@link TokenTx}'s values. */
export type TokenTxName = (typeof TokenTx)[keyof typeof TokenTx];

/** Transient map key of the private transactions' instruction (a JSON object). */
export const TRANSIENT_TOKEN_KEY = 'token';

/** Claim's instruction: credit the citizen account committed to by a deposit. */
export interface ClaimInstruction {
  depositId: string;
  accountId: string;
  /** The salt of the deposit's commitment. */
  salt: string;
}

/** PrivateTransfer's instruction: between two citizen accounts of the same ministry. */
export interface PrivateTransferInstruction {
  from: string;
  to: string;
  amount: string;
  memo?: string;
}

/** Withdraw's instruction: take `amount` out of a citizen account as a voucher payable to `payTo`. */
export interface WithdrawInstruction {
  from: string;
  amount: string;
  payTo: string;
  /** 32-64 hex characters. */
  salt: string;
}

/** What proves a voucher publicly (Redeem's argument, a record's `feeVoucher`): the voucher's fields. */
export type VoucherProof = Omit<Voucher, 'docType' | 'currency'>;

/** RecordConversion's argument. */
export interface ConversionInput {
  direction: 'IN' | 'OUT';
  quote: string;
  /** Minor units of the source currency. */
  amount: string;
  accountId?: string;
  reference: string;
}

/** Result of the moving transactions. */
export interface MovementResult {
  txId: string;
  movements: Movement[];
}

/** Result of GetBalance / GetPrivateBalance. */
export interface BalanceResult {
  accountId: string;
  currency: string;
  balance: string;
  /** Unspent outputs summed. */
  outputs: number;
  /** False only when the account has more outputs than a balance query reads (1,000 pages of 100). */
  complete: boolean;
}

/** Result of GetCurrency. */
export interface CurrencyInfo {
  policy: CurrencyPolicy | null;
  minted: string;
  burned: string;
  outstanding: string;
}

/**
 * `recordJson` fields of ledger:RegisterRecord that pay a fee: `feeAccount` (a public account the
 * caller controls; default the issuer's treasury) or `feeVoucher` (a citizen's voucher payable to
 * the fee's payee, for exactly the fee).
 */
export interface RecordFeeFields {
  feeAccount?: string;
  feeVoucher?: VoucherProof;
}
