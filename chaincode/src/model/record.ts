import { canonicalJson, type JsonObject, type JsonValue } from '../lib/canonical';
import { parseRecordFeeFields } from './token-input';
import type { VoucherProof } from './token';
import { InvalidArgumentError, StateCorruptError } from '../lib/errors';
import { InputObject } from '../lib/input';
import type { TxFacts } from '../lib/tx';
import { ID_PATTERN, ID_RULE, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE } from './patterns';

/** Government service categories of a record: to citizens, businesses, governments, employees. */
export const RECORD_CATEGORIES = ['G2C', 'G2B', 'G2G', 'G2E'] as const;
/** One of {@link RECORD_CATEGORIES}. */
export type RecordCategory = (typeof RECORD_CATEGORIES)[number];

/**
 * Lifecycle of a record: ACTIVE ⇄ SUSPENDED (suspend / reinstate), ACTIVE|SUSPENDED → REVOKED,
 * ACTIVE → SUPERSEDED (amend). REVOKED and SUPERSEDED are final. A record of a type under an audit
 * policy starts PENDING_AUDIT and becomes ACTIVE when its audit case is confirmed, REJECTED (final)
 * when the case is rejected or expires.
 */
export const RECORD_STATUSES = [
  'ACTIVE',
  'SUSPENDED',
  'REVOKED',
  'SUPERSEDED',
  'PENDING_AUDIT',
  'REJECTED',
] as const;
/** One of {@link RECORD_STATUSES}. */
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** Largest payload accepted, in bytes of canonical JSON (public part and personal part each). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * A pseudonymous subject reference: 16-128 characters of `A-Z a-z 0-9 . _ : -`, e.g. a hex
 * HMAC of the person's identifier or `did:key:...`. No spaces or '@' (names, e-mail addresses).
 */
export const SUBJECT_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{15,127}$/;
/** Digits and separators only: looks like a national id, phone or card number, not a pseudonym. */
const RAW_NUMBER_PATTERN = /^[0-9._:-]+$/;

/** The fields of RegisterRecord's recordJson argument. */
export interface RecordInput {
  id: string;
  category: RecordCategory;
  recordType: string;
  subjectRef: string;
  payload: JsonObject;
  /** Schema version to validate against; the latest one when absent. */
  schemaVersion?: number;
  /** Who pays the record type's fee, when a rule sets one (model/token RecordFeeFields). */
  feeAccount?: string;
  feeVoucher?: VoucherProof;
}

/**
 * A record as stored under `record` [id]: public facts only. Personal fields live in the issuing
 * ministry's implicit private data collection; the record holds their hash (`personalHash`) and
 * the hash of the whole document (`hash`). New fields must be optional so that older records
 * still parse.
 */
export interface LedgerRecord {
  docType: 'record';
  id: string;
  category: RecordCategory;
  /** Dotted type name, e.g. `education.credential`; also the id of its schema. */
  recordType: string;
  /** Id of the schema the payload was validated against (= recordType). */
  schemaId?: string;
  /** Version of that schema. */
  schemaVersion?: number;
  /** Pseudonymous reference to the person or body the record is about. */
  subjectRef: string;
  /** MSP ID of the issuing ministry. */
  issuerMsp: string;
  /** `x509::<subject>::<issuer>` of the issuing client certificate. */
  issuerId: string;
  /**
   * Hex SHA-256 of the whole document (public and personal fields): of its salted commitment
   * (lib/commitment) under hash scheme 2, of its RFC 8785 canonical JSON under scheme 1.
   */
  hash: string;
  /** How `hash` and `personalHash` were computed (lib/commitment); absent on scheme 1 records. */
  hashScheme?: number;
  /**
   * Hex SHA-256 of the private data value, equal to what GetPrivateDataHash answers: under scheme
   * 2 the salted personal fields (every record has one, holding at least the salt); under scheme 1
   * the canonical JSON of the personal fields, absent when there were none.
   */
  personalHash?: string;
  /** The private data collection holding the personal fields (`_implicit_org_<issuerMsp>`). */
  personalCollection?: string;
  status: RecordStatus;
  /** Why the status was last changed by suspend, reinstate, revoke or amend. */
  statusReason?: string;
  /** 1 for a first registration, +1 for each amendment. */
  version: number;
  /** Id of the record this one amends (version chain, backwards). */
  supersedes?: string;
  /** Id of the record that amends this one (version chain, forwards). */
  supersededBy?: string;
  /** The rule versions the record was checked against (from the rules engine). */
  legalBasis?: JsonValue[];
  createdAt: string;
  updatedAt: string;
  /** Transaction that registered the record. */
  registeredTxId?: string;
  /** The audit case its registration opened (= that transaction's id), under an audit policy. */
  auditCaseId?: string;
  /**
   * The action and status of the record's trail entry 1, which the record carries instead of a
   * key of its own (lib/record-trail); absent on records an older chaincode registered.
   */
  trailStart?: { action: string; status: RecordStatus };
  /** Transaction that last changed the record. */
  txId: string;
  /** The public (non-personal) fields of the document. */
  payload: JsonObject;
}

/** Fields accepted in recordJson. */
const RECORD_INPUT_FIELDS = [
  'id',
  'category',
  'recordType',
  'subjectRef',
  'payload',
  'schemaVersion',
  'feeAccount',
  'feeVoucher',
] as const;

/** Largest schema version number accepted. */
export const MAX_SCHEMA_VERSION = 1_000_000;

/**
 * Parses and checks RegisterRecord's argument.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseRecordInput(recordJson: string): RecordInput {
  const input = InputObject.parse('recordJson', recordJson);
  input.rejectUnknownFields(RECORD_INPUT_FIELDS);
  const id = input.string('id', ID_PATTERN, ID_RULE);
  const category = input.oneOf('category', RECORD_CATEGORIES);
  const recordType = input.string('recordType', RECORD_TYPE_PATTERN, RECORD_TYPE_RULE);
  const subjectRef = parseSubjectRef(input);
  const payload = parsePayload(input);
  const schemaVersion = parseOptionalSchemaVersion(input);
  return {
    id,
    category,
    recordType,
    subjectRef,
    payload,
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    ...parseRecordFeeFields(input),
  };
}

/** Reads the optional schemaVersion field. */
function parseOptionalSchemaVersion(input: InputObject): number | undefined {
  return input.has('schemaVersion') ? input.integer('schemaVersion', 1, MAX_SCHEMA_VERSION) : undefined;
}

/** Checks that subjectRef is a pseudonym, not a raw identifier. */
function parseSubjectRef(input: InputObject): string {
  const subjectRef = input.string(
    'subjectRef',
    SUBJECT_REF_PATTERN,
    'a pseudonymous reference: 16-128 characters of A-Z a-z 0-9 . _ : - (no spaces, no @)',
  );
  if (RAW_NUMBER_PATTERN.test(subjectRef)) {
    throw input.fieldError(
      'subjectRef',
      'looks like a raw identifier (only digits); send a pseudonymous reference',
    );
  }
  return subjectRef;
}

/** Checks that payload is an object with a canonical form of bounded size. */
function parsePayload(input: InputObject): JsonObject {
  const payload = input.object('payload');
  checkCanonicalSize(payload, `${input.argName}: field "payload"`);
  return payload;
}

/**
 * Checks that an object has a canonical form of at most {@link MAX_PAYLOAD_BYTES}.
 * @throws InvalidArgumentError naming `what`.
 */
export function checkCanonicalSize(value: JsonObject, what: string): void {
  const size = Buffer.byteLength(canonicalJson(value, what), 'utf8');
  if (size > MAX_PAYLOAD_BYTES) {
    throw new InvalidArgumentError(
      `${what} is ${size} bytes of canonical JSON; at most ${MAX_PAYLOAD_BYTES} are allowed`,
    );
  }
}

/** What the ledger contract established about a new record's document before storing it. */
export interface RecordFacts {
  schemaVersion: number;
  /** Hash of the whole document. */
  hash: string;
  /** The hash scheme of `hash` and of the private data hash. */
  hashScheme: number;
  /** Private data hash and collection, when the document has personal fields. */
  personal?: { hash: string; collection: string };
  legalBasis: JsonValue[];
}

/** Builds the state of a newly registered record (version 1, or the next version when amending). */
export function newRecord(
  input: RecordInput,
  facts: RecordFacts,
  tx: TxFacts,
  previous?: LedgerRecord,
): LedgerRecord {
  return {
    docType: 'record',
    id: input.id,
    category: input.category,
    recordType: input.recordType,
    schemaId: input.recordType,
    schemaVersion: facts.schemaVersion,
    subjectRef: input.subjectRef,
    issuerMsp: tx.mspId,
    issuerId: tx.clientId,
    hash: facts.hash,
    hashScheme: facts.hashScheme,
    ...(facts.personal
      ? { personalHash: facts.personal.hash, personalCollection: facts.personal.collection }
      : {}),
    status: 'ACTIVE',
    version: previous ? previous.version + 1 : 1,
    ...(previous ? { supersedes: previous.id } : {}),
    legalBasis: facts.legalBasis,
    createdAt: tx.timestamp,
    updatedAt: tx.timestamp,
    registeredTxId: tx.txId,
    txId: tx.txId,
    payload: input.payload,
  };
}

/** The record after a status change by the current transaction. */
export function withStatus(
  record: LedgerRecord,
  status: RecordStatus,
  reason: string,
  tx: TxFacts,
  supersededBy?: string,
): LedgerRecord {
  return {
    ...record,
    status,
    statusReason: reason,
    ...(supersededBy === undefined ? {} : { supersededBy }),
    updatedAt: tx.timestamp,
    txId: tx.txId,
  };
}

/**
 * Types a parsed world-state value as a record.
 * @throws StateCorruptError when it is not one.
 */
export function asRecord(value: JsonObject, recordId: string): LedgerRecord {
  if (value.docType !== 'record' || value.id !== recordId || typeof value.hash !== 'string') {
    throw new StateCorruptError(`state under record ${recordId} is not a record`);
  }
  return value as unknown as LedgerRecord;
}

/** The fields of AmendRecord's amendmentJson argument. */
export interface AmendmentInput {
  /** Id of the new version. */
  newId: string;
  /** Public fields of the new version's document. */
  payload: JsonObject;
  /** Why the record is amended (stored on the channel ledger: no personal data). */
  reason: string;
  schemaVersion?: number;
}

/** Fields accepted in amendmentJson. */
const AMENDMENT_FIELDS = ['newId', 'payload', 'reason', 'schemaVersion'] as const;

/**
 * Parses and checks AmendRecord's argument.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseAmendmentInput(amendmentJson: string): AmendmentInput {
  const input = InputObject.parse('amendmentJson', amendmentJson);
  input.rejectUnknownFields(AMENDMENT_FIELDS);
  const newId = input.string('newId', ID_PATTERN, ID_RULE);
  const payload = parsePayload(input);
  const reasonValue = input.required('reason');
  if (typeof reasonValue !== 'string') {
    throw input.fieldError('reason', 'must be a string');
  }
  const reason = checkStatusReason(reasonValue);
  const schemaVersion = parseOptionalSchemaVersion(input);
  return { newId, payload, reason, ...(schemaVersion === undefined ? {} : { schemaVersion }) };
}

/** Longest status reason accepted. */
export const MAX_STATUS_REASON_LENGTH = 500;
/** Printable text without control characters. */
const STATUS_REASON_PATTERN = /^[^\p{Cc}]+$/u;

/**
 * Checks the reason of a status change (stored on the channel ledger, so it must not be personal).
 * @throws InvalidArgumentError when it is empty, too long or holds control characters.
 */
export function checkStatusReason(reason: string): string {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw new InvalidArgumentError('reason is missing');
  }
  if (reason.length > MAX_STATUS_REASON_LENGTH) {
    throw new InvalidArgumentError(
      `reason is ${reason.length} characters; at most ${MAX_STATUS_REASON_LENGTH} are allowed`,
    );
  }
  if (!STATUS_REASON_PATTERN.test(reason)) {
    throw new InvalidArgumentError('reason must not contain control characters (line breaks, tabs)');
  }
  return reason;
}

/** Status changes a record may go through: the transaction, the states it starts from, the state it ends in. */
export const STATUS_CHANGES = {
  SuspendRecord: { from: ['ACTIVE'], to: 'SUSPENDED' },
  ReinstateRecord: { from: ['SUSPENDED'], to: 'ACTIVE' },
  RevokeRecord: { from: ['ACTIVE', 'SUSPENDED'], to: 'REVOKED' },
  AmendRecord: { from: ['ACTIVE'], to: 'SUPERSEDED' },
} as const satisfies Record<string, { from: readonly RecordStatus[]; to: RecordStatus }>;

/** One of the transactions in {@link STATUS_CHANGES}. */
export type StatusChange = keyof typeof STATUS_CHANGES;

/**
 * Checks that `record` may go through `change`.
 * @throws InvalidArgumentError "record X is REVOKED; RevokeRecord applies only to ACTIVE or SUSPENDED records".
 */
export function checkTransition(record: LedgerRecord, change: StatusChange): RecordStatus {
  const { from, to } = STATUS_CHANGES[change];
  if (!(from as readonly RecordStatus[]).includes(record.status)) {
    throw new InvalidArgumentError(
      `record ${record.id} is ${record.status}; ${change} applies only to ${from.join(' or ')} records`,
    );
  }
  return to;
}
