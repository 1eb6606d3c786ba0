import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import type { ChaincodeClient } from '../chaincode/client';
import type { RecordsService } from '../records/service';
import { recordSchema } from './responses';

jest.setTimeout(60_000);

const record = {
  id: 'EDU-1',
  category: 'G2C',
  recordType: 'education.credential',
  subjectRef: 'psn:aaaaaaaaaaaaaaaaaaaa',
  issuerMsp: 'EducationMSP',
  issuerId: 'x509::CN=User1::CN=ca',
  hash: 'a'.repeat(64),
  status: 'ACTIVE',
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  txId: 'b'.repeat(64),
  payload: { degree: 'MSc' },
};

/** Chaincode answers by transaction: right shapes but for WhoAmI, which lacks `ministryAdmin`. */
const answers: Record<string, unknown> = {
  'ledger:ListRecords': { items: [record], bookmark: '' },
  'ledger:VerifyPersonalDataHash': { id: 'EDU-1', hasPersonalData: true, matches: true },
  'authorities:WhoAmI': { mspId: 'EducationMSP', id: 'x509::CN=User1::CN=ca' },
};
const client: ChaincodeClient = {
  evaluate: async (transaction) => answers[transaction],
  submit: async () => ({
    result: { id: 'EDU-1', status: 'SUSPENDED', txId: 'c'.repeat(64) },
    transactionId: 'c'.repeat(64),
    blockNumber: 7,
  }),
};
const records: RecordsService = {
  registerRecord: async () => {
    throw new Error('not called');
  },
  getRecord: async () => ({ ...record, payload: 'not an object' }),
  verifyHash: async () => ({ found: false }),
};
const app = createApp({
  records,
  chaincode: { user: client, admin: client },
  checkResponses: true,
  logger: pino({ level: 'silent' }),
});

describe('checkResponses', () => {
  it.each([
    [
      'GET /api/v1/records?by=issuer&value=EducationMSP',
      () => request(app).get('/api/v1/records?by=issuer&value=EducationMSP'),
    ],
    [
      'GET /api/v1/records/:id/personal/verify',
      () => request(app).get('/api/v1/records/EDU-1/personal/verify'),
    ],
    [
      'POST /api/v1/records/:id/suspend',
      () => request(app).post('/api/v1/records/EDU-1/suspend').send({ reason: 'checked' }),
    ],
  ])('lets an answer of %s that matches its schema through', async (_route, send) => {
    const res = await send();
    expect([res.status, res.body.code]).toEqual([200, undefined]);
  });

  it('answers 500 naming the route and the field when an answer does not match', async () => {
    const res = await request(app).get('/api/v1/authorities/me').expect(500);
    expect(res.body.detail).toBe(
      'the answer of GET /api/v1/authorities/me does not match its described schema: ministryAdmin: Invalid input: expected boolean, received undefined',
    );
    const wrongRecord = await request(app).get('/api/v1/records/EDU-1').expect(500);
    expect(wrongRecord.body.detail).toMatch(/GET \/api\/v1\/records\/:id .*payload/);
  });

  it('leaves error answers alone', async () => {
    const res = await request(app)
      .get('/api/v1/records/verify/' + 'd'.repeat(64))
      .expect(404);
    expect(res.body).toMatchObject({ found: false });
  });

  it('describes a record with the fields the ledger always writes', () => {
    expect(recordSchema.safeParse(record).success).toBe(true);
    expect(recordSchema.safeParse({ ...record, version: '1' }).success).toBe(false);
  });
});
