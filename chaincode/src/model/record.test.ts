import { InvalidArgumentError } from '../lib/errors';
import {
  checkStatusReason,
  checkTransition,
  MAX_PAYLOAD_BYTES,
  newRecord,
  parseAmendmentInput,
  parseRecordInput,
  withStatus,
} from './record';

const valid = {
  id: 'EDU-2025-000123',
  category: 'G2C',
  recordType: 'education.credential',
  subjectRef: 'psn:9f86d081884c7d659a2feaa0c55ad015',
  payload: { degree: 'BSc', grade: 1.0 },
};

/** recordJson with some fields replaced (undefined removes a field). */
function withFields(changes: Record<string, unknown>): string {
  return JSON.stringify({ ...valid, ...changes });
}

describe('parseRecordInput', () => {
  it('accepts a valid record', () => {
    expect(parseRecordInput(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ['bad JSON', '{"id": ', 'recordJson is not valid JSON'],
    ['an array', '[1]', 'recordJson must be a JSON object'],
    ['null', 'null', 'recordJson must be a JSON object'],
    ['missing id', withFields({ id: undefined }), 'recordJson: field "id" is missing'],
    ['numeric id', withFields({ id: 7 }), 'recordJson: field "id" must be a string'],
    ['id with a space', withFields({ id: 'a b' }), 'recordJson: field "id" must be 1-128 characters'],
    ['id with U+0000', withFields({ id: 'a\u0000b' }), 'recordJson: field "id" must be 1-128'],
    [
      'bad category',
      withFields({ category: 'C2G' }),
      'recordJson: field "category" must be one of G2C, G2B, G2G, G2E',
    ],
    ['lower-case category', withFields({ category: 'g2c' }), 'field "category" must be one of'],
    [
      'recordType without a dot',
      withFields({ recordType: 'credential' }),
      'field "recordType" must be a dotted',
    ],
    [
      'upper-case recordType',
      withFields({ recordType: 'Education.Credential' }),
      'field "recordType" must be a dotted',
    ],
    ['missing subjectRef', withFields({ subjectRef: undefined }), 'field "subjectRef" is missing'],
    [
      'short subjectRef',
      withFields({ subjectRef: 'abc123' }),
      'field "subjectRef" must be a pseudonymous reference',
    ],
    [
      'e-mail subjectRef',
      withFields({ subjectRef: 'maria.rossi@example.org' }),
      'field "subjectRef" must be a pseudonymous',
    ],
    [
      'name subjectRef',
      withFields({ subjectRef: 'Maria Rossi Bianchi' }),
      'field "subjectRef" must be a pseudonymous',
    ],
    [
      'national id number',
      withFields({ subjectRef: '19850312-4567-8901' }),
      'field "subjectRef" looks like a raw identifier',
    ],
    ['missing payload', withFields({ payload: undefined }), 'field "payload" is missing'],
    ['array payload', withFields({ payload: [1, 2] }), 'field "payload" must be a JSON object'],
    ['string payload', withFields({ payload: 'x' }), 'field "payload" must be a JSON object'],
    ['unknown field', withFields({ owner: 'x' }), 'recordJson: unknown field(s) "owner"'],
  ])('rejects %s with an error naming the field', (_name, json, message) => {
    expect(() => parseRecordInput(json)).toThrow(InvalidArgumentError);
    expect(() => parseRecordInput(json)).toThrow(message);
  });

  it('rejects a payload holding a number that overflows to Infinity', () => {
    const json = JSON.stringify(valid).replace('"grade":1', '"grade":1e400');
    expect(() => parseRecordInput(json)).toThrow('recordJson: field "payload" cannot be canonicalized');
  });

  it(`rejects a payload over ${MAX_PAYLOAD_BYTES} bytes of canonical JSON`, () => {
    const json = withFields({ payload: { blob: 'x'.repeat(MAX_PAYLOAD_BYTES) } });
    expect(() => parseRecordInput(json)).toThrow(
      /field "payload" is \d+ bytes of canonical JSON; at most 65536/,
    );
  });

  it('never echoes the rejected subjectRef in the message', () => {
    expect(() => parseRecordInput(withFields({ subjectRef: '19850312-4567-8901' }))).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('19850312') }),
    );
  });
});

describe('parseRecordInput schemaVersion', () => {
  it('accepts an optional schemaVersion and refuses a non-positive one', () => {
    expect(parseRecordInput(withFields({ schemaVersion: 2 })).schemaVersion).toBe(2);
    expect(parseRecordInput(JSON.stringify(valid))).not.toHaveProperty('schemaVersion');
    expect(() => parseRecordInput(withFields({ schemaVersion: 0 }))).toThrow(
      'field "schemaVersion" must be an integer from 1 to 1000000',
    );
  });
});

const tx = {
  txId: 'ab'.repeat(32),
  timestamp: '2025-03-01T09:00:01.000Z',
  mspId: 'EducationMSP',
  clientId: 'x509::a::b',
};
const facts = { schemaVersion: 3, hash: 'cd'.repeat(32), hashScheme: 2, legalBasis: [] };

describe('newRecord', () => {
  it('starts ACTIVE at version 1 with the facts established by the contract', () => {
    const record = newRecord(parseRecordInput(JSON.stringify(valid)), facts, tx);
    expect(record).toEqual({
      docType: 'record',
      id: valid.id,
      category: 'G2C',
      recordType: 'education.credential',
      schemaId: 'education.credential',
      schemaVersion: 3,
      subjectRef: valid.subjectRef,
      status: 'ACTIVE',
      version: 1,
      hash: facts.hash,
      hashScheme: 2,
      legalBasis: [],
      issuerMsp: 'EducationMSP',
      issuerId: 'x509::a::b',
      createdAt: tx.timestamp,
      updatedAt: tx.timestamp,
      registeredTxId: tx.txId,
      txId: tx.txId,
      payload: valid.payload,
    });
  });

  it('continues the version chain of the record it amends and records the personal data hash', () => {
    const first = newRecord(parseRecordInput(JSON.stringify(valid)), facts, tx);
    const second = newRecord(
      { ...parseRecordInput(JSON.stringify(valid)), id: 'EDU-2' },
      { ...facts, personal: { hash: 'ef'.repeat(32), collection: '_implicit_org_EducationMSP' } },
      tx,
      first,
    );
    expect(second).toMatchObject({
      id: 'EDU-2',
      version: 2,
      supersedes: valid.id,
      personalHash: 'ef'.repeat(32),
      personalCollection: '_implicit_org_EducationMSP',
    });
  });
});

describe('status changes', () => {
  const record = newRecord(parseRecordInput(JSON.stringify(valid)), facts, tx);

  it.each([
    ['SuspendRecord', 'ACTIVE', 'SUSPENDED'],
    ['ReinstateRecord', 'SUSPENDED', 'ACTIVE'],
    ['RevokeRecord', 'ACTIVE', 'REVOKED'],
    ['RevokeRecord', 'SUSPENDED', 'REVOKED'],
    ['AmendRecord', 'ACTIVE', 'SUPERSEDED'],
  ] as const)('%s takes a %s record to %s', (change, from, to) => {
    expect(checkTransition({ ...record, status: from }, change)).toBe(to);
  });

  it.each([
    ['SuspendRecord', 'SUSPENDED', 'SuspendRecord applies only to ACTIVE records'],
    ['ReinstateRecord', 'ACTIVE', 'ReinstateRecord applies only to SUSPENDED records'],
    ['RevokeRecord', 'REVOKED', 'RevokeRecord applies only to ACTIVE or SUSPENDED records'],
    ['RevokeRecord', 'SUPERSEDED', 'is SUPERSEDED; RevokeRecord applies'],
    ['AmendRecord', 'SUSPENDED', 'AmendRecord applies only to ACTIVE records'],
  ] as const)('%s refuses a %s record', (change, from, message) => {
    expect(() => checkTransition({ ...record, status: from }, change)).toThrow(message);
  });

  it('withStatus records the reason, the transaction and the successor', () => {
    const later = { ...tx, txId: 'ee'.repeat(32), timestamp: '2025-03-02T00:00:00.000Z' };
    expect(withStatus(record, 'SUPERSEDED', 'corrected grade', later, 'EDU-2')).toMatchObject({
      status: 'SUPERSEDED',
      statusReason: 'corrected grade',
      supersededBy: 'EDU-2',
      updatedAt: later.timestamp,
      txId: later.txId,
      registeredTxId: tx.txId,
      createdAt: tx.timestamp,
    });
  });

  it.each([
    ['an empty reason', '', 'reason is missing'],
    ['a blank reason', '   ', 'reason is missing'],
    ['a line break', 'a\nb', 'reason must not contain control characters'],
    ['501 characters', 'x'.repeat(501), 'reason is 501 characters; at most 500 are allowed'],
  ])('checkStatusReason refuses %s', (_name, reason, message) => {
    expect(() => checkStatusReason(reason)).toThrow(message);
  });
});

describe('parseAmendmentInput', () => {
  it('reads newId, payload, reason and an optional schemaVersion', () => {
    expect(
      parseAmendmentInput(JSON.stringify({ newId: 'EDU-2', payload: { a: 1 }, reason: 'typo' })),
    ).toEqual({
      newId: 'EDU-2',
      payload: { a: 1 },
      reason: 'typo',
    });
  });

  it.each([
    [{ payload: {}, reason: 'r' }, 'amendmentJson: field "newId" is missing'],
    [{ newId: 'N', reason: 'r' }, 'amendmentJson: field "payload" is missing'],
    [{ newId: 'N', payload: {} }, 'amendmentJson: field "reason" is missing'],
    [{ newId: 'N', payload: {}, reason: 5 }, 'amendmentJson: field "reason" must be a string'],
    [{ newId: 'N', payload: {}, reason: 'r', id: 'x' }, 'amendmentJson: unknown field(s) "id"'],
  ])('refuses %j', (input, message) => {
    expect(() => parseAmendmentInput(JSON.stringify(input))).toThrow(message);
  });
});
