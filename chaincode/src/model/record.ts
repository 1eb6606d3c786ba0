import { canonicalJson, hashOf, type JsonObject } from '../lib/canonical';
import { StateCorruptError } from '../lib/errors';
import { InputObject } from '../lib/input';
import type { TxFacts } from '../lib/tx';
import { ID_PATTERN, ID_RULE, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE } from './patterns';

/** Government service categories of a record: to citizens, businesses, governments, employees. */
export const RECORD_CATEGORIES = ['G2C', 'G2B', 'G2G', 'G2E'] as const;
/** One of {@link RECORD_CATEGORIES}. */
export type RecordCategory = (typeof RECORD_CATEGORIES)[number];

/** Lifecycle of a record. Only ACTIVE is set today; revocation and supersession come later. */
export type RecordStatus = 'ACTIVE' | 'REVOKED' | 'SUPERSEDED';

/** Largest payload accepted, in bytes of canonical JSON (the walking skeleton keeps it on chain). */
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
}

/**
 * A record as stored under `record` [id]. New fields must be optional so that older records
 * still parse.
 */
export interface LedgerRecord {
  docType: 'record';
  id: string;
  category: RecordCategory;
  /** Dotted type name, e.g. `education.credential`; later the key of a registered schema. */
  recordType: string;
  /** Pseudonymous reference to the person or body the record is about. */
  subjectRef: string;
  /** MSP ID of the issuing ministry. */
  issuerMsp: string;
  /** `x509::<subject>::<issuer>` of the issuing client certificate. */
  issuerId: string;
  /** Hex SHA-256 of the payload's RFC 8785 canonical JSON. */
  hash: string;
  status: RecordStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Transaction that last changed the record. */
  txId: string;
  /**
   * The payload itself. The walking skeleton keeps it in public world state so GetRecord can
   * return it; a later issue moves personal fields into private data collections and keeps only
   * `hash` on the channel ledger.
   */
  payload: JsonObject;
}

/** Fields accepted in recordJson. */
const RECORD_INPUT_FIELDS = ['id', 'category', 'recordType', 'subjectRef', 'payload'] as const;

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
  return { id, category, recordType, subjectRef, payload };
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
  const size = Buffer.byteLength(canonicalJson(payload, `${input.argName}: field "payload"`), 'utf8');
  if (size > MAX_PAYLOAD_BYTES) {
    throw input.fieldError(
      'payload',
      `is ${size} bytes of canonical JSON; at most ${MAX_PAYLOAD_BYTES} are allowed`,
    );
  }
  return payload;
}

/** Builds the state of a newly registered record. */
export function newRecord(input: RecordInput, tx: TxFacts): LedgerRecord {
  return {
    docType: 'record',
    id: input.id,
    category: input.category,
    recordType: input.recordType,
    subjectRef: input.subjectRef,
    issuerMsp: tx.mspId,
    issuerId: tx.clientId,
    hash: hashOf(input.payload, 'recordJson: field "payload"'),
    status: 'ACTIVE',
    version: 1,
    createdAt: tx.timestamp,
    updatedAt: tx.timestamp,
    txId: tx.txId,
    payload: input.payload,
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
