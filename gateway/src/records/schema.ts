import {
  HASH_PATTERN,
  ID_PATTERN,
  ID_RULE,
  RECORD_CATEGORIES,
  RECORD_TYPE_PATTERN,
  RECORD_TYPE_RULE,
  SUBJECT_REF_PATTERN,
} from 'egov/dist/vocabulary';
import { z } from 'zod';
import { accountIdSchema, voucherSchema } from '../currency/schema';

/**
 * Record ids: what a ministry uses as its own reference; URL-safe so `GET /records/:id` works.
 * The patterns here are the chaincode's own (egov/dist/vocabulary), so most bad input stops here
 * with a field path; the chaincode checks everything again.
 */
export const recordIdSchema = z.string().regex(ID_PATTERN, ID_RULE);

/** Hex SHA-256 (64 hex digits) in either case, lower-cased: the chaincode stores lower-case hex. */
export const recordHashSchema = z
  .string()
  .regex(new RegExp(HASH_PATTERN.source, 'i'), 'a SHA-256 hash: exactly 64 hexadecimal characters')
  .transform((hash) => hash.toLowerCase());

/** Who a record concerns (G2C citizen, G2B business, G2G government, G2E employee). */
export const recordCategorySchema = z.enum(RECORD_CATEGORIES);

/** A dotted lower-case record type such as `education.credential`. */
export const recordTypeSchema = z.string().regex(RECORD_TYPE_PATTERN, RECORD_TYPE_RULE);

/** Personal fields: sent to the chaincode only in the transient map (key `personal`). */
export const personalFieldsSchema = z.record(z.string(), z.unknown());

/** A schema version to validate against (absent = the latest). */
export const schemaVersionSchema = z.number().int().min(1);

/**
 * Body of `POST /api/v1/records`: the chaincode's `ledger:RegisterRecord` argument. Unknown fields
 * are refused so a misspelt field is not silently dropped. The chaincode checks everything again.
 */
export const registerRecordSchema = z.strictObject({
  id: recordIdSchema,
  category: recordCategorySchema,
  recordType: recordTypeSchema,
  subjectRef: z
    .string()
    .regex(SUBJECT_REF_PATTERN, 'a pseudonymous reference: 16-128 characters of A-Z a-z 0-9 . _ : -')
    .refine(
      (ref) => !/^[0-9]+$/.test(ref),
      'looks like a raw identifier (only digits); send a pseudonymous reference',
    ),
  payload: z.record(z.string(), z.unknown()),
  schemaVersion: schemaVersionSchema.optional(),
  /** Personal fields the schema lists: they travel in the transient map, never in the arguments. */
  personal: personalFieldsSchema.optional(),
  /**
   * Who pays the record type's fee when a rule sets one: a public account the caller operates
   * (default: the issuer's treasury), or a citizen's voucher for exactly the fee.
   */
  feeAccount: accountIdSchema.optional(),
  feeVoucher: voucherSchema.optional(),
});

/** Body of `POST /api/v1/records/:id/amend`: `ledger:AmendRecord`'s amendment plus personal fields. */
export const amendRecordSchema = z.strictObject({
  newId: recordIdSchema,
  payload: z.record(z.string(), z.unknown()),
  reason: z.string().min(1).max(300),
  schemaVersion: schemaVersionSchema.optional(),
  personal: personalFieldsSchema.optional(),
});

/** A validated amendment body. */
export type AmendRecordRequest = z.infer<typeof amendRecordSchema>;

/** A validated `POST /api/v1/records` body. */
export type RegisterRecordRequest = z.infer<typeof registerRecordSchema>;
