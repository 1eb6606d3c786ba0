import { z } from 'zod';

/**
 * The success bodies of the API's routes. Objects are open (`looseObject`): the chaincode may add
 * fields, clients must ignore what they do not know; what is listed is always there.
 */

const txId = z.string().regex(/^[0-9a-f]{64}$/);
const time = z.string().min(1);
const json = z.record(z.string(), z.unknown());

/** A committed transaction's answer: the chaincode's result fields plus where it committed. */
export function committed<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.looseObject({ ...shape, transactionId: txId, blockNumber: z.number().int().min(0) });
}

/** One page of a listing (`bookmark` is empty on the last page). */
export function page<T extends z.ZodType>(item: T) {
  return z.looseObject({ items: z.array(item), bookmark: z.string() });
}

/** A record's public fields as the ledger keeps them. */
export const recordSchema = z.looseObject({
  id: z.string(),
  category: z.string(),
  recordType: z.string(),
  subjectRef: z.string(),
  issuerMsp: z.string(),
  hash: z.string(),
  status: z.string(),
  version: z.number().int(),
  createdAt: time,
  updatedAt: time,
  txId,
  payload: json,
});

/** A found verification (an unknown hash or id is the 404 `{found: false}`). */
export const verificationSchema = z.looseObject({
  found: z.literal(true),
  id: z.string(),
  status: z.string(),
  issuerMsp: z.string(),
  recordType: z.string(),
});

export const registeredSchema = committed({ id: z.string(), hash: z.string(), status: z.string() });
/**
 * A registration: the committed record, its salt, and the holder's document with its verification
 * link (its QR code with `include=qr`), or `documentError` saying why the document could not be built.
 */
export const registrationSchema = registeredSchema.extend({
  salt: z.string().regex(/^[0-9a-f]+$/),
  fees: z
    .array(z.looseObject({}))
    .optional()
    .describe('the fee movements the registration paid, when a rule prices its record type'),
  document: z
    .looseObject({
      '@context': z.array(z.string()),
      id: z.string(),
      type: z.array(z.string()),
      credentialSubject: z.looseObject({ id: z.string(), document: json }),
      evidence: z.array(z.looseObject({ documentHash: z.string(), recordId: z.string() })),
    })
    .optional()
    .describe("the holder's document (W3C VC 2.0 shaped, unsigned; its RFC 8785 form is the file)"),
  verifyUrl: z
    .string()
    .optional()
    .describe('the verification page for this record and hash (what the QR code opens)'),
  qr: z
    .object({ svg: z.string(), png: z.string() })
    .optional()
    .describe('with include=qr: the QR code of verifyUrl, an SVG document and a PNG data URL'),
  documentError: z
    .string()
    .optional()
    .describe('why the document could not be built (the record is registered)'),
});
export const statusChangeSchema = committed({ id: z.string(), status: z.string() });
export const historySchema = z.array(
  z.looseObject({
    recordId: z.string(),
    txId,
    timestamp: time,
    isDelete: z.boolean(),
    record: recordSchema.optional(),
  }),
);
export const personalSchema = z.looseObject({
  id: z.string(),
  collection: z.string(),
  hash: z.string(),
  personal: json,
  hashScheme: z.number().int(),
});
export const personalCheckSchema = z.looseObject({
  id: z.string(),
  hasPersonalData: z.boolean(),
  matches: z.boolean(),
});

export const schemaVersionSchema = z.looseObject({
  id: z.string(),
  version: z.number().int(),
  schema: json,
  personalFields: z.array(z.string()),
  schemaHash: z.string(),
  ownerMsp: z.string(),
});
export const schemaVersionsSchema = z.array(
  z.looseObject({ version: z.number().int(), schemaHash: z.string(), personalFields: z.array(z.string()) }),
);
export const schemaRegisteredSchema = committed({
  id: z.string(),
  version: z.number().int(),
  schemaHash: z.string(),
  ownerMsp: z.string(),
});

export const proposalSchema = z.looseObject({ id: z.string(), kind: z.string(), status: z.string() });
export const ministriesSchema = z.looseObject({
  ministries: z.array(z.looseObject({ mspId: z.string() })),
  required: z.number().int(),
});

export const grantSchema = z.looseObject({
  id: z.string(),
  mspId: z.string(),
  holder: z.string(),
  role: z.string(),
  scope: z.string(),
  status: z.enum(['ACTIVE', 'REVOKED']),
});
export const callerSchema = z.looseObject({ mspId: z.string(), id: z.string(), ministryAdmin: z.boolean() });

export const auditCaseSchema = z.looseObject({
  id: z.string(),
  recordId: z.string(),
  status: z.string(),
  issuerMsp: z.string(),
  deadline: time,
});
export const caseViewSchema = z.looseObject({
  case: auditCaseSchema,
  decisions: z.array(z.looseObject({ caseId: z.string(), mspId: z.string(), decision: z.string() })),
  tally: z.looseObject({ approvals: z.number().int(), rejections: z.number().int() }),
  overdue: z.boolean(),
});
export const decisionSchema = committed({
  caseId: z.string(),
  status: z.string(),
  approvals: z.number().int(),
  rejections: z.number().int(),
});
export const trailEntrySchema = z.looseObject({
  targetType: z.string(),
  targetId: z.string(),
  seq: z.number().int().min(1),
  action: z.string(),
  actorMsp: z.string(),
  txId,
  at: time,
  hash: z.string(),
});
/** An entry of the by-ministry and by-actor trail listings (no details or hashes). */
export const trailIndexEntrySchema = z.looseObject({
  targetType: z.string(),
  targetId: z.string(),
  seq: z.number().int().min(1),
  action: z.string(),
  actorMsp: z.string(),
  txId,
  at: time,
});
export const trailVerificationSchema = z.looseObject({
  targetType: z.string(),
  targetId: z.string(),
  entries: z.number().int(),
  valid: z.boolean(),
});

export const transactionStatusSchema = z.object({
  transactionId: txId,
  valid: z.boolean(),
  validationCode: z.string(),
  blockNumber: z.number().int().min(0),
});

/** The `data` of an events stream's `chaincode` event (routes/events.ts). */
export const chaincodeEventSchema = z.object({
  blockNumber: z.number().int().min(0),
  transactionIndex: z.number().int().min(0),
  transactionId: z.string(),
  chaincode: z.string(),
  contract: z.string(),
  transaction: z.string(),
  eventName: z.string(),
  payload: z.unknown(),
});

/** Bytes for an offline-signing client to sign: `field` (base64) and its SHA-256 `digest` (base64). */
export function toSign(field: string) {
  return z.looseObject({ transactionId: txId, [field]: z.base64(), digest: z.base64() });
}

/** An offline-signed transaction's commit. */
export const offlineCommitSchema = z.looseObject({
  transactionId: txId,
  blockNumber: z.number().int().min(0),
  validationCode: z.literal('VALID'),
});

// ---------------------------------------------------------------------------------------------
// Currency (/api/v1/currency: egov's token contract; amounts are minor units in decimal strings)
// ---------------------------------------------------------------------------------------------

const amount = z.string().regex(/^[0-9]+$/);

/** One movement of money. */
export const movementSchema = z.looseObject({
  id: z.string(),
  kind: z.string(),
  currency: z.string(),
  amount,
  from: z.string().optional(),
  to: z.string().optional(),
  memo: z.string().optional(),
  ref: z.string().optional(),
  by: z.string(),
  byMsp: z.string(),
  at: time,
  txId,
});
/** GET /currency: the supply policy (null before one is enacted) and the issued totals. */
export const currencyInfoSchema = z.looseObject({
  policy: z.looseObject({ code: z.string(), minorUnits: z.number().int(), maxSupply: amount }).nullable(),
  minted: amount,
  burned: amount,
  outstanding: amount,
});
/** A committed public move (mint, burn, transfer, consolidation, redemption): its movements. */
export const movedSchema = committed({ txId, movements: z.array(movementSchema) });
/**
 * A committed transfer: public accounts answer their movements; a transfer between citizens'
 * accounts (private) answers its transaction id alone.
 */
export const transferredSchema = committed({ txId, movements: z.array(movementSchema).optional() });
/** A committed private transaction (a claim): nothing private in the answer. */
export const privateTxSchema = committed({ txId });
/** A committed deposit: its movements, its id and the salt that opens its commitment (give it to the claimant). */
export const depositSchema = committed({
  txId,
  depositId: txId,
  movements: z.array(movementSchema),
  salt: z.string().regex(/^[0-9a-f]+$/),
});
/** A committed withdrawal: the voucher's id, and the voucher to redeem with POST /redemptions (its salt included). */
export const withdrawalSchema = committed({
  txId,
  voucherId: txId,
  voucher: z.strictObject({
    id: txId,
    mspId: z.string(),
    amount: z.string(),
    payTo: z.string(),
    salt: z.string().regex(/^[0-9a-f]+$/),
  }),
});
/** An allowance (amount "0", without `at` and `txId`, when none was set). */
export const allowanceSchema = z.looseObject({
  currency: z.string(),
  owner: z.string(),
  spender: z.string(),
  amount,
  at: time.optional(),
  txId: txId.optional(),
});
/** An account's balance (`complete` false when it has more outputs than one read covers). */
export const balanceSchema = z.looseObject({
  accountId: z.string(),
  currency: z.string(),
  balance: amount,
  outputs: z.number().int().min(0),
  complete: z.boolean(),
});
/** A published exchange rate. */
export const exchangeRateSchema = z.looseObject({
  base: z.string(),
  quote: z.string(),
  rate: z.string(),
  quoteMinorUnits: z.number().int(),
  seq: z.number().int(),
  at: time,
  txId,
});
/** A recorded conversion. */
export const conversionSchema = z.looseObject({
  id: z.string(),
  direction: z.enum(['IN', 'OUT']),
  base: z.string(),
  quote: z.string(),
  rateSeq: z.number().int(),
  rate: z.string(),
  amountIn: amount,
  amountOut: amount,
  accountId: z.string().optional(),
  reference: z.string(),
  by: z.string(),
  at: time,
  txId,
});

/** An object whose shape the chaincode owns (a law tree, a report, a setting). */
export const openObject = z.looseObject({});

/** Where a transaction is on the ledger (the verification's proof). */
const ledgerProofSchema = z.looseObject({
  transactionId: z.string(),
  blockNumber: z.number().int().optional(),
  validationCode: z.string().optional(),
});

/** `POST /api/v1/verifications`: the outcome, its proof on the ledger and where it was logged. */
export const documentVerificationSchema = z.looseObject({
  found: z.boolean(),
  outcome: z.string(),
  proof: z
    .looseObject({ registration: ledgerProofSchema, lastChange: ledgerProofSchema.optional() })
    .optional(),
  logged: z.looseObject({
    transactionId: z.string(),
    blockNumber: z.number().int(),
    verifier: z.string(),
    verifiedAt: z.string(),
  }),
});
