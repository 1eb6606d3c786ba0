import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  AMOUNT_PATTERN,
  AMOUNT_RULE,
  CONVERSION_REFERENCE_PATTERN,
  CONVERSION_REFERENCE_RULE,
  CURRENCY_CODE_PATTERN,
  CURRENCY_CODE_RULE,
  MEMO_PATTERN,
  MEMO_RULE,
  MOVEMENT_ID_PATTERN,
  parseAccountId,
} from 'egov/dist/model/token';
import { TOKEN_SALT_PATTERN } from 'egov/dist/model/token-input';
import { MSP_ID_PATTERN } from 'egov/dist/vocabulary';
import { z } from 'zod';

/**
 * The currency's request fields, with the chaincode's own patterns (egov/dist/model/token): most
 * bad input stops here with a field path; the chaincode checks everything again.
 */

/** An amount in minor units, a decimal string (`"1250"`): never a JSON number, so never rounded. */
export const amountSchema = z.string().regex(AMOUNT_PATTERN, AMOUNT_RULE);

/** `treasury:<MSP>`, `officer:<MSP>:<sha256 hex>` or `citizen:<MSP>:<pseudonym>`. */
export const accountIdSchema = z.string().regex(ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE);

/** An ISO 4217-style currency code such as `KHR`. */
export const currencyCodeSchema = z.string().regex(CURRENCY_CODE_PATTERN, CURRENCY_CODE_RULE);

/** An amount of at least one minor unit (a conversion of nothing is refused). */
export const positiveAmountSchema = amountSchema.refine((v) => v !== '0', 'must be at least 1 minor unit');

/**
 * A public account (treasury or officer): what a public record such as a conversion may name, since
 * a citizen's account on it would link the citizen to the exchange for every channel member.
 */
export const publicAccountIdSchema = accountIdSchema.refine(
  (id) => parseAccountId(id)?.private === false,
  "must be a public account (treasury:<MSP> or officer:<MSP>:<id>), not a citizen's",
);

/** The central bank's reference of a conversion, as the chaincode checks it (no spaces, no free text). */
export const conversionReferenceSchema = z
  .string()
  .regex(CONVERSION_REFERENCE_PATTERN, CONVERSION_REFERENCE_RULE);

/** Free text stored on chain, as the chaincode checks it: no control characters, never personal data. */
export const memoSchema = z.string().regex(MEMO_PATTERN, MEMO_RULE);

/** A movement id: `<transaction id>.<7-digit sequence>`. */
export const movementIdSchema = z
  .string()
  .regex(MOVEMENT_ID_PATTERN, 'a movement id: <transaction id>.<7-digit sequence>');

/** A voucher's or deposit's salt: 32-64 lower-case hex characters (the gateway draws 64). */
export const hexSaltSchema = z.string().regex(TOKEN_SALT_PATTERN, '32-64 lower-case hex characters');

/** A citizen's voucher as `POST /api/v1/currency/withdrawals` answered it (token VoucherProof). */
export const voucherSchema = z.strictObject({
  id: z.string().min(1).max(200),
  mspId: z.string().regex(MSP_ID_PATTERN, 'an MSP ID such as EducationMSP'),
  amount: amountSchema,
  payTo: accountIdSchema,
  salt: hexSaltSchema,
});
