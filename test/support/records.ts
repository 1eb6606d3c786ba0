import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { NetworkDescriptor } from '@govfabric/network-config';
import type { Contract } from '@hyperledger/fabric-gateway';
import { submitAgreed, withTransient, type TransientSubmit } from './calls';

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

/**
 * The salt tests send for a record when they call the chaincode themselves (the gateway draws a
 * random one): 32 bytes derived from the record id, so a test can recompute the hash.
 */
export function saltOf(recordId: string): Buffer {
  return createHash('sha256').update(`test-salt:${recordId}`).digest();
}

/** The transient map of a registration: the record's test salt, and personal fields if any. */
export function saltTransient(recordId: string, personal?: object): Record<string, Buffer> {
  return {
    salt: saltOf(recordId),
    ...(personal === undefined ? {} : { personal: Buffer.from(JSON.stringify(personal)) }),
  };
}

/**
 * A registration's (or amendment's) transient map, {@link saltTransient}, with the endorsers a
 * fabric-gateway client of `mspId`'s peer names for it (support/calls withTransient).
 */
export function registration(
  net: NetworkDescriptor,
  mspId: string,
  recordId: string,
  personal?: object,
): TransientSubmit {
  return withTransient(net, mspId, saltTransient(recordId, personal));
}

/**
 * What the chaincode must answer as the record's hash (hash scheme 2), computed here independently:
 * SHA-256 of the RFC 8785 form of `{document, recordId, salt, scheme: 2}`.
 * @param salt - hex, as the gateway answers it, or the bytes sent; default {@link saltOf}.
 */
export function expectedHash(
  recordId: string,
  document: unknown,
  salt: Buffer | string = saltOf(recordId),
): string {
  const hex = typeof salt === 'string' ? salt : salt.toString('hex');
  const canonical = canonicalize({ document, recordId, salt: hex, scheme: 2 });
  if (canonical === undefined) throw new Error('document cannot be canonicalized');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Submits `ledger:RegisterRecord` for `record` as a client of `mspId`'s peer, with its
 * {@link registration} transient map, trying again while the endorsers disagree; answers the
 * submitted transaction (its commit status not yet awaited).
 */
export function submitRegistration(
  net: NetworkDescriptor,
  contract: Contract,
  mspId: string,
  record: { id: string },
): ReturnType<Contract['submitAsync']> {
  return submitAgreed(
    net,
    contract,
    'ledger:RegisterRecord',
    [JSON.stringify(record)],
    registration(net, mspId, record.id),
  );
}
