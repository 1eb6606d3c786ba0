import type { JsonValue } from '../lib/canonical';
import { InvalidArgumentError } from '../lib/errors';
import { InputObject, isJsonObject } from '../lib/input';
import { ID_PATTERN, ID_RULE } from './patterns';
import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  AMOUNT_PATTERN,
  AMOUNT_RULE,
  CURRENCY_CODE_PATTERN,
  CURRENCY_CODE_RULE,
  parseAccountId,
  type AccountRef,
  type FeeRule,
  type RewardRule,
  type VoucherProof,
} from './token';

/** Parsers of the currency's parts of other objects (a rule's fee, a policy's reward, a record's fee fields). */

/** A voucher's or deposit's salt: 32-64 lower-case hex characters. */
export const TOKEN_SALT_PATTERN = /^[0-9a-f]{32,64}$/;

/** Reads `{amount, currency}` (amount at least 1). */
function amountAndCurrency(input: InputObject): { amount: string; currency: string } {
  const amount = input.string('amount', AMOUNT_PATTERN, AMOUNT_RULE);
  if (amount === '0') throw input.fieldError('amount', 'must be at least 1 minor unit');
  return { amount, currency: input.string('currency', CURRENCY_CODE_PATTERN, CURRENCY_CODE_RULE) };
}

/** Parses a JSON value as an object argument named `what`. */
function asInput(value: JsonValue, what: string): InputObject {
  if (!isJsonObject(value)) throw new InvalidArgumentError(`${what} must be a JSON object`);
  return InputObject.parse(what, JSON.stringify(value));
}

/**
 * Parses a rule's `fee` part `{amount, currency, payTo?}`.
 * @throws InvalidArgumentError naming the bad field.
 */
export function parseFeeRule(value: JsonValue, what: string): FeeRule {
  const input = asInput(value, what);
  input.rejectUnknownFields(['amount', 'currency', 'payTo']);
  const fee: FeeRule = amountAndCurrency(input);
  if (input.has('payTo')) fee.payTo = parsePublicAccount(input, 'payTo').id;
  return fee;
}

/**
 * Parses an audit policy's `reward` part `{amount, currency}`.
 * @throws InvalidArgumentError naming the bad field.
 */
export function parseRewardRule(value: JsonValue, what: string): RewardRule {
  const input = asInput(value, what);
  input.rejectUnknownFields(['amount', 'currency']);
  return amountAndCurrency(input);
}

/**
 * Parses a voucher proof `{id, mspId, amount, payTo, salt}` (Redeem's argument, a record's `feeVoucher`).
 * @throws InvalidArgumentError naming the bad field.
 */
export function parseVoucherProof(input: InputObject): VoucherProof {
  input.rejectUnknownFields(['id', 'mspId', 'amount', 'payTo', 'salt']);
  return {
    id: input.string('id', ID_PATTERN, ID_RULE),
    mspId: input.string('mspId', /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an MSP ID'),
    amount: input.string('amount', AMOUNT_PATTERN, AMOUNT_RULE),
    payTo: parsePublicAccount(input, 'payTo').id,
    salt: input.string('salt', TOKEN_SALT_PATTERN, '32-64 lower-case hex characters'),
  };
}

/** A field holding any account id. */
export function parseAccountField(input: InputObject, field: string): AccountRef {
  return parseAccountId(input.string(field, ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE))!;
}

/** A field holding a public account id (a treasury or an officer's account). */
export function parsePublicAccount(input: InputObject, field: string): AccountRef {
  const account = parseAccountField(input, field);
  if (account.private)
    throw input.fieldError(field, 'must be a public account (treasury:... or officer:...)');
  return account;
}

/** The optional fee fields of a record input. */
export function parseRecordFeeFields(input: InputObject): { feeAccount?: string; feeVoucher?: VoucherProof } {
  if (input.has('feeAccount') && input.has('feeVoucher')) {
    throw new InvalidArgumentError(`${input.argName}: give "feeAccount" or "feeVoucher", not both`);
  }
  if (input.has('feeAccount')) return { feeAccount: parsePublicAccount(input, 'feeAccount').id };
  if (input.has('feeVoucher')) {
    return {
      feeVoucher: parseVoucherProof(
        InputObject.parse(`${input.argName}.feeVoucher`, JSON.stringify(input.object('feeVoucher'))),
      ),
    };
  }
  return {};
}
