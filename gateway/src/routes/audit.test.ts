import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import type { ChaincodeClient } from '../chaincode/client';
import type { RecordsService } from '../records/service';

const TX = 'b'.repeat(64);
const FROM = '2025-03-01T00:00:00Z';
const TO = '2025-03-02T00:00:00Z';
const REPORT = {
  mspId: 'EducationMSP',
  from: '2025-03-01T00:00:00.000Z',
  to: '2025-03-02T00:00:00.000Z',
  actions: { total: 3, byAction: { RECORD_REGISTERED: { count: 3, outcomes: { PENDING_AUDIT: 3 } } } },
  cases: {
    opened: 2,
    byStatus: { OPEN: 0, CONFIRMED: 1, REJECTED: 0, EXPIRED: 1 },
    medianSecondsToConfirmation: 4.5,
  },
};

/** The app over a fake user client that records calls and answers the report for GetReport. */
function app() {
  const calls: { kind: string; transaction: string; args: readonly string[] }[] = [];
  const user: ChaincodeClient = {
    evaluate: async (transaction, args = []) => {
      calls.push({ kind: 'evaluate', transaction, args });
      return transaction === 'audit:GetReport' ? REPORT : { ok: true };
    },
    submit: async (transaction, args = []) => {
      calls.push({ kind: 'submit', transaction, args });
      return { result: { status: 'OPEN' }, transactionId: TX, blockNumber: 3 };
    },
  };
  const records = {} as RecordsService;
  return { app: createApp({ records, chaincode: { user }, logger: pino({ level: 'silent' }) }), calls };
}

describe('audit routes', () => {
  it.each([
    [
      '/api/v1/audit/policies?category=G2C&recordType=education.credential',
      'audit:GetPolicies',
      ['G2C', 'education.credential', ''],
    ],
    [
      `/api/v1/audit/cases?issuerMsp=EducationMSP&from=${FROM}&to=${TO}`,
      'audit:ListCases',
      ['EducationMSP', FROM, TO, '20', ''],
    ],
    [`/api/v1/audit/cases/${TX}/auditors`, 'audit:GetEligibleAuditors', [TX]],
    ['/api/v1/audit/records/r-1/trail?pageSize=5', 'audit:GetTrail', ['record', 'r-1', '5', '']],
    ['/api/v1/audit/trail/article/L1%2Fa1', 'audit:GetTrail', ['article', 'L1/a1', '20', '']],
    [`/api/v1/audit/trail/auditcase/${TX}/verify`, 'audit:VerifyTrail', ['auditcase', TX]],
    [
      `/api/v1/audit/trail?mspId=HealthMSP&from=${FROM}&to=${TO}`,
      'audit:ListTrailByMinistry',
      ['HealthMSP', FROM, TO, '20', ''],
    ],
    [
      `/api/v1/audit/trail?mspId=HealthMSP&actorId=${encodeURIComponent('x509::CN=a::CN=b')}&from=${FROM}&to=${TO}&pageSize=2&bookmark=k`,
      'audit:ListTrailByActor',
      ['HealthMSP', 'x509::CN=a::CN=b', FROM, TO, '2', 'k'],
    ],
  ])('GET %s evaluates %s', async (url, transaction, args) => {
    const { app: a, calls } = app();
    await request(a).get(url).expect(200);
    expect(calls).toEqual([{ kind: 'evaluate', transaction, args }]);
  });

  it('submits decisions with their reason and an expiry without a body', async () => {
    const { app: a, calls } = app();
    const approved = await request(a)
      .post(`/api/v1/audit/cases/${TX}/approve`)
      .send({ reason: 'checked' })
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'OPEN', transactionId: TX, blockNumber: 3 });
    await request(a).post(`/api/v1/audit/cases/${TX}/reject`).send({ reason: 'forged' }).expect(200);
    await request(a).post(`/api/v1/audit/cases/${TX}/expire`).expect(200);
    expect(calls).toEqual([
      { kind: 'submit', transaction: 'audit:Approve', args: [TX, 'checked'] },
      { kind: 'submit', transaction: 'audit:Reject', args: [TX, 'forged'] },
      { kind: 'submit', transaction: 'audit:ExpireCase', args: [TX] },
    ]);
  });

  it.each([
    ['post', `/api/v1/audit/cases/${TX}/approve`, {}],
    ['post', '/api/v1/audit/cases/nope/approve', { reason: 'x' }],
    ['get', '/api/v1/audit/trail/person/x', undefined],
    ['get', `/api/v1/audit/trail?mspId=HealthMSP&from=yesterday&to=${TO}`, undefined],
    ['get', `/api/v1/audit/reports/EducationMSP?from=${FROM}`, undefined],
    ['get', `/api/v1/audit/reports/EducationMSP?from=${FROM}&to=${TO}&format=xml`, undefined],
  ] as const)('%s %s is a 400 without calling Fabric', async (method, url, body) => {
    const { app: a, calls } = app();
    const res = await (method === 'post' ? request(a).post(url).send(body) : request(a).get(url)).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(calls).toEqual([]);
  });

  it('serves a report as JSON, and as CSV by ?format=csv or Accept: text/csv', async () => {
    const { app: a, calls } = app();
    const json = await request(a).get(`/api/v1/audit/reports/EducationMSP?from=${FROM}&to=${TO}`).expect(200);
    expect(json.body).toEqual(REPORT);
    expect(calls[0]).toEqual({
      kind: 'evaluate',
      transaction: 'audit:GetReport',
      args: ['EducationMSP', FROM, TO],
    });
    const csv = await request(a)
      .get(`/api/v1/audit/reports/EducationMSP?from=${FROM}&to=${TO}&format=csv`)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('mspId,from,to,section,name,outcome,count');
    expect(lines).toContain(
      'EducationMSP,2025-03-01T00:00:00.000Z,2025-03-02T00:00:00.000Z,action,RECORD_REGISTERED,PENDING_AUDIT,3',
    );
    expect(lines).toContain(
      'EducationMSP,2025-03-01T00:00:00.000Z,2025-03-02T00:00:00.000Z,cases,status,EXPIRED,1',
    );
    expect(lines).toContain(
      'EducationMSP,2025-03-01T00:00:00.000Z,2025-03-02T00:00:00.000Z,cases,medianSecondsToConfirmation,,4.5',
    );
    const accepted = await request(a)
      .get(`/api/v1/audit/reports/EducationMSP?from=${FROM}&to=${TO}`)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(accepted.text).toBe(csv.text);
  });
});
