import { InvalidArgumentError } from './errors';
import { AMOUNT_PATTERN, AMOUNT_RULE } from '../model/token';

/**
 * Amounts of the currency: integer minor units, carried as decimal strings (JSON numbers lose
 * precision past 2^53) and computed as bigint.
 */

/**
 * Parses an amount argument or field.
 * @param what - names it in the error, e.g. `amount` or `rateJson: field "amount"`.
 * @param min - smallest accepted value (1 for a movement, 0 for an allowance).
 * @throws InvalidArgumentError naming `what`.
 */
export function parseAmount(what: string, value: unknown, min = 1n): bigint {
  if (typeof value !== 'string' || !AMOUNT_PATTERN.test(value)) {
    throw new InvalidArgumentError(`${what} must be ${AMOUNT_RULE}`);
  }
  const amount = BigInt(value);
  if (amount < min) {
    throw new InvalidArgumentError(`${what} must be at least ${min} minor unit(s)`);
  }
  return amount;
}

/** An amount as stored and returned. */
export function formatAmount(amount: bigint): string {
  return amount.toString(10);
}

/** Sum of stored amounts. */
export function sumAmounts(amounts: string[]): bigint {
  return amounts.reduce((total, a) => total + BigInt(a), 0n);
}
