import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** A record as the gateway's POST /api/v1/records and `ledger:RegisterRecord` take it. */
export interface RecordInput {
  id: string;
  category: 'G2C' | 'G2B' | 'G2G' | 'G2E';
  recordType: string;
  subjectRef: string;
  payload: Record<string, unknown>;
}

let counter = 0;

/** A fresh record with a unique id (tests never depend on each other's records). */
export function newRecord(overrides: Partial<RecordInput> = {}): RecordInput {
  counter += 1;
  const id = `it-${process.pid}-${Date.now().toString(36)}-${counter}`;
  return {
    id,
    category: 'G2C',
    recordType: 'education.credential',
    subjectRef: `subj-${createHash('sha256').update(id).digest('hex').slice(0, 16)}`,
    // The certificate number makes every payload, and so every hash, unique across tests.
    payload: { certificateNo: id, degree: 'BSc Computer Science', year: 2024, grade: 3.5, honours: true },
    ...overrides,
  };
}

/** What the chaincode must answer as the record's hash: SHA-256 of the RFC 8785 canonical payload, computed here independently. */
export function expectedHash(payload: unknown): string {
  const canonical = canonicalize(payload);
  if (canonical === undefined) throw new Error('payload cannot be canonicalized');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
