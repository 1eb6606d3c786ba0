import { InvalidArgumentError } from '../lib/errors';
import { MAX_PAYLOAD_BYTES, newRecord, parseRecordInput } from './record';

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

describe('newRecord', () => {
  it('hashes the payload canonically and starts ACTIVE at version 1', () => {
    const tx = {
      txId: 'ab'.repeat(32),
      timestamp: '2025-03-01T09:00:01.000Z',
      mspId: 'EducationMSP',
      clientId: 'x509::a::b',
    };
    const record = newRecord(parseRecordInput(JSON.stringify(valid)), tx);
    const reordered = newRecord(parseRecordInput(withFields({ payload: { grade: 1, degree: 'BSc' } })), tx);
    expect(record).toMatchObject({
      docType: 'record',
      status: 'ACTIVE',
      version: 1,
      issuerMsp: 'EducationMSP',
      issuerId: 'x509::a::b',
      createdAt: tx.timestamp,
      updatedAt: tx.timestamp,
      txId: tx.txId,
    });
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered.hash).toBe(record.hash);
  });
});
