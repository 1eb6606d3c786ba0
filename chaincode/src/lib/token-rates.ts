import type { Context } from 'fabric-contract-api';
import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  AMOUNT_PATTERN,
  AMOUNT_RULE,
  CONVERSION_REFERENCE_PATTERN,
  CONVERSION_REFERENCE_RULE,
  CURRENCY_CODE_PATTERN,
  CURRENCY_CODE_RULE,
  parseAccountId,
  RATE_PATTERN,
  type ConversionInput,
  type ExchangeRate,
} from '../model/token';
import { InvalidArgumentError, LimitExceededError, NotFoundError } from './errors';
import { InputObject } from './input';
import { readPartialCompositeKey } from './query';
import { readObject } from './state';
import { TokenObjectType, tokenKey } from './token-keys';
import { unmarshal } from './canonical';

/**
 * Exchange rates the central bank publishes and the arithmetic of recorded conversions. Rates are
 * decimal strings with up to {@link RATE_DECIMALS} fractional digits, computed as scaled bigints;
 * converted amounts are rounded down to the target's minor unit.
 */

/** Fractional digits of a rate. */
export const RATE_DECIMALS = 12;
/** Most rate versions GetRate searches for a past time. */
const MAX_RATE_VERSIONS = 1000;

/**
 * A rate as a bigint scaled by 10^{@link RATE_DECIMALS}.
 * @throws InvalidArgumentError when it is malformed or zero.
 */
export function parseRate(rate: string): bigint {
  if (typeof rate !== 'string' || !RATE_PATTERN.test(rate)) {
    throw new InvalidArgumentError(
      `rate must be a decimal such as "0.000245" (up to 18 integer and ${RATE_DECIMALS} fractional digits)`,
    );
  }
  const [whole, fraction = ''] = rate.split('.');
  const scaled = BigInt(whole + fraction.padEnd(RATE_DECIMALS, '0'));
  if (scaled === 0n) throw new InvalidArgumentError('rate must be greater than zero');
  return scaled;
}

/**
 * Converts `amount` minor units at `rate`: OUT from the issued currency (minor unit 10^-`baseMinorUnits`)
 * into the quote, IN from the quote into the issued currency; rounded down.
 */
export function convert(
  direction: 'IN' | 'OUT',
  amount: bigint,
  rate: Pick<ExchangeRate, 'rate' | 'quoteMinorUnits'>,
  baseMinorUnits: number,
): bigint {
  const scaled = parseRate(rate.rate);
  const one = 10n ** BigInt(RATE_DECIMALS);
  const base = 10n ** BigInt(baseMinorUnits);
  const quote = 10n ** BigInt(rate.quoteMinorUnits);
  return direction === 'OUT'
    ? (amount * scaled * quote) / (one * base)
    : (amount * one * base) / (scaled * quote);
}

/** The latest rate of `quote`, or undefined when none was published. */
export async function readRateHead(ctx: Context, quote: string): Promise<ExchangeRate | undefined> {
  const value = await readObject(ctx, tokenKey(ctx, TokenObjectType.rateHead, [quote]), `rate of ${quote}`);
  return value as unknown as ExchangeRate | undefined;
}

/**
 * The rate of `quote` in force at `at` ('' = the latest): the last one published at or before it.
 * @throws NotFoundError when none was; InvalidArgumentError for a malformed time.
 */
export async function readRateAt(ctx: Context, quote: string, at: string): Promise<ExchangeRate> {
  if (at === '') {
    const head = await readRateHead(ctx, quote);
    if (!head) throw new NotFoundError(`no rate of ${quote} was ever published`);
    return head;
  }
  const time = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(at) || Number.isNaN(time.getTime())) {
    throw new InvalidArgumentError("at must be an ISO 8601 UTC date-time or ''");
  }
  const iso = time.toISOString();
  const { entries, truncated } = await readPartialCompositeKey(
    ctx,
    TokenObjectType.rate,
    [quote],
    MAX_RATE_VERSIONS,
  );
  if (truncated)
    throw new LimitExceededError(`more than ${MAX_RATE_VERSIONS} rates of ${quote}: ask for '' (the latest)`);
  let found: ExchangeRate | undefined;
  for (const e of entries) {
    const rate = unmarshal(e.value, `rate of ${quote}`) as unknown as ExchangeRate;
    if (rate.at <= iso) found = rate;
  }
  if (!found) throw new NotFoundError(`no rate of ${quote} was published at or before ${iso}`);
  return found;
}

/**
 * Parses RecordConversion's argument.
 * @throws InvalidArgumentError naming the bad field.
 */
export function parseConversionInput(conversionJson: string): ConversionInput {
  const input = InputObject.parse('conversionJson', conversionJson);
  input.rejectUnknownFields(['direction', 'quote', 'amount', 'accountId', 'reference']);
  const amount = input.string('amount', AMOUNT_PATTERN, AMOUNT_RULE);
  if (amount === '0') throw input.fieldError('amount', 'must be at least 1 minor unit');
  const conversion: ConversionInput = {
    direction: input.oneOf('direction', ['IN', 'OUT'] as const),
    quote: input.string('quote', CURRENCY_CODE_PATTERN, CURRENCY_CODE_RULE),
    amount,
    reference: input.string('reference', CONVERSION_REFERENCE_PATTERN, CONVERSION_REFERENCE_RULE),
  };
  if (input.has('accountId')) {
    const account = parseAccountId(input.string('accountId', ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE))!;
    // the record is public: a citizen's account would be linked to the exchange for everyone
    if (account.private)
      throw input.fieldError('accountId', 'must be a public account (the conversion record is public)');
    conversion.accountId = account.id;
  }
  return conversion;
}
