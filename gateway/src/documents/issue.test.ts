import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { RecordsService } from '../records/service';
import { saltedDocumentHash } from './commitment';
import { recomputeHash, type HolderDocument } from './holder';

const SALT = '5a'.repeat(32);
const body = {
  id: 'RP-1',
  category: 'G2C',
  recordType: 'immigration.residence-permit',
  subjectRef: 'psn:3f9a1c27b84e5d06',
  payload: { permitNo: 'RP-7Q4K', permitType: 'work' },
  personal: { fullName: 'Amina Okafor', birthDate: '1990-05-17' },
};
const HASH = saltedDocumentHash('RP-1', { ...body.payload, ...body.personal }, SALT);

/** The public facts of the record as the ledger holds them. */
function facts(hash = HASH) {
  return {
    id: 'RP-1',
    recordType: body.recordType,
    category: 'G2C',
    subjectRef: body.subjectRef,
    issuerMsp: 'ImmigrationMSP',
    createdAt: '2025-03-01T09:00:00.000Z',
    schemaVersion: 1,
    hash,
    hashScheme: 2,
    registeredTxId: 'ab'.repeat(32),
    txId: 'ab'.repeat(32),
  };
}

/** A records service whose ledger holds what a real registration would have stored. */
function service(hash = HASH): RecordsService {
  return {
    registerRecord: async () => ({
      id: 'RP-1',
      hash,
      transactionId: 'ab'.repeat(32),
      blockNumber: 5,
      status: 'ACTIVE',
      salt: SALT,
    }),
    getRecord: async () => ({ ...facts(hash), payload: body.payload }),
    verifyHash: async () => ({ found: false }),
  };
}

describe("POST /api/v1/records answers the holder's document (and its QR code when asked)", () => {
  it('with the fields, the salt and the record id; it recomputes to the ledger hash; the QR links to /verify', async () => {
    const app = createApp({
      records: service(),
      logger: pino({ level: 'silent' }),
      publicUrl: 'https://verify.gov.example',
    });
    const res = await request(app).post('/api/v1/records?include=qr').send(body).expect(201);
    const doc = res.body.document as HolderDocument;
    expect(doc.credentialSubject.document).toEqual({ ...body.payload, ...body.personal });
    expect(doc.evidence[0]).toMatchObject({
      recordId: 'RP-1',
      salt: SALT,
      hashScheme: 2,
      documentHash: HASH,
    });
    expect(doc.issuer.id).toBe('urn:govfabric:ministry:ImmigrationMSP');
    expect(recomputeHash(doc)).toBe(HASH);
    expect(res.body.verifyUrl).toBe(`https://verify.gov.example/verify/?record=RP-1&hash=${HASH}`);
    expect(res.body.qr.svg).toMatch(/^<svg /);
    expect(res.body.qr.png).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(res.body.verifyUrl).not.toContain('Amina');
    expect(res.body.verifyUrl).not.toContain(SALT);
  }, 60_000);

  it('builds it from what the transaction returned, without reading the record back, and draws no QR code unless asked', async () => {
    const records: RecordsService = {
      ...service(),
      registerRecord: async (request) => ({
        ...(await service().registerRecord(request)),
        facts: facts(),
        fees: [{ kind: 'FEE', amount: '100' }],
      }),
      getRecord: async () => {
        throw new Error('the record must not be read back');
      },
    };
    const app = createApp({ records, logger: pino({ level: 'silent' }) });
    const res = await request(app).post('/api/v1/records').send(body).expect(201);
    expect(res.body.documentError).toBeUndefined();
    expect(recomputeHash(res.body.document as HolderDocument)).toBe(HASH);
    expect(res.body.document.validFrom).toBe('2025-03-01T09:00:00.000Z');
    expect(res.body.verifyUrl).toMatch(/\/verify\/\?record=RP-1&hash=/);
    expect(res.body.qr).toBeUndefined();
    expect(res.body.facts).toBeUndefined();
    expect(res.body.fees).toEqual([{ kind: 'FEE', amount: '100' }]);
    const refused = await request(app).post('/api/v1/records?include=png').send(body).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(refused.body)).toContain('include');
  });

  it('still answers 201 with the registration, saying why, when the document does not recompute', async () => {
    const app = createApp({ records: service('cd'.repeat(32)), logger: pino({ level: 'silent' }) });
    const res = await request(app).post('/api/v1/records').send(body).expect(201);
    expect(res.body).toMatchObject({ id: 'RP-1', status: 'ACTIVE', transactionId: 'ab'.repeat(32) });
    expect(res.body.document).toBeUndefined();
    expect(res.body.documentError).toMatch(/does not recompute to the hash on the ledger/);
  }, 60_000);
});
