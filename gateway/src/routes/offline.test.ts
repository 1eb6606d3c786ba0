import { readFileSync, rmSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { OfflineTransactions } from '../fabric/offline';
import { RecordsService } from '../records/service';
import { generateTestCrypto, type TestCrypto } from '../testing/testcrypto';

let crypto: TestCrypto;
// Never dialled: the answers below come before any call to a peer.
const client = new grpc.Client('127.0.0.1:1', grpc.credentials.createInsecure());
const offline = new OfflineTransactions(client, {
  mspId: 'EducationMSP',
  channel: 'egov',
  chaincode: 'egov',
  transientEndorsers: [],
});
const app = createApp({ records: {} as RecordsService, offline, logger: pino({ level: 'silent' }) });

beforeAll(async () => {
  crypto = await generateTestCrypto('peer0.test.local');
});
afterAll(() => {
  client.close();
  rmSync(crypto.dir, { recursive: true, force: true });
});

describe('/api/v1/offline', () => {
  it('answers a proposal to sign: its transaction id, bytes and digest in base64', async () => {
    const res = await request(app)
      .post('/api/v1/offline/proposals')
      .send({ certificate: readFileSync(crypto.certPath, 'utf8'), transaction: 'authorities:WhoAmI' })
      .expect(200);
    expect(res.body.transactionId).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(res.body.digest, 'base64')).toHaveLength(32);
    expect(Buffer.from(res.body.proposal, 'base64').length).toBeGreaterThan(100);
  });

  it.each([
    ['/proposals', { certificate: 'x', transaction: 'WhoAmI' }, 'a qualified transaction name'],
    ['/proposals', { certificate: 'x', transaction: 'a:B', extra: 1 }, 'extra'],
    ['/evaluations', { proposal: 'not base64!', signature: 'AA==' }, 'standard base64'],
    ['/submissions', { transaction: 'AAAA' }, 'signature'],
    ['/commits', { commit: 'AAAA', signature: 'AA==' }, 'commit'],
  ])('refuses POST %s %j with 400 naming what is wrong', async (route, body, named) => {
    const res = await request(app).post(`/api/v1/offline${route}`).send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).toContain(named);
  });
});
