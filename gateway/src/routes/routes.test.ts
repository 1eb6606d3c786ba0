import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { ChaincodeClient, SubmitResult, TransientFields } from '../chaincode/client';
import { RecordsService } from '../records/service';

const silent = pino({ level: 'silent' });
const TOKEN = 'admin-token-0123456789';
const TX = 'a'.repeat(64);

interface Call {
  as: 'user' | 'admin';
  kind: 'submit' | 'evaluate';
  transaction: string;
  args: readonly string[];
  transient?: TransientFields;
}

/** Fake clients recording every call; `answer` gives each call's result. */
function fakeClients(answer: (call: Call) => unknown = () => ({ ok: true })) {
  const calls: Call[] = [];
  const client = (as: Call['as']): ChaincodeClient => ({
    evaluate: async (transaction, args = []) => {
      const call: Call = { as, kind: 'evaluate', transaction, args };
      calls.push(call);
      return answer(call);
    },
    submit: async (transaction, args = [], transient): Promise<SubmitResult> => {
      const call: Call = { as, kind: 'submit', transaction, args, transient };
      calls.push(call);
      return { result: answer(call), transactionId: TX, blockNumber: 9 };
    },
  });
  return { calls, user: client('user'), admin: client('admin') };
}

const records: RecordsService = {
  registerRecord: async () => {
    throw new Error('not expected');
  },
  getRecord: async () => ({}),
  verifyHash: async () => ({ found: false }),
};

function appWith(
  options: { adminToken?: string; withAdmin?: boolean; answer?: (call: Call) => unknown } = {},
) {
  const fake = fakeClients(options.answer);
  const app = createApp({
    records,
    chaincode: { user: fake.user, admin: options.withAdmin === false ? undefined : fake.admin },
    adminToken: options.adminToken,
    logger: silent,
  });
  return { app, calls: fake.calls };
}

describe('record routes', () => {
  it('amends with personal fields in the transient map only', async () => {
    const { app, calls } = appWith({ answer: () => ({ id: 'r-2', version: 2 }) });
    const res = await request(app)
      .post('/api/v1/records/r-1/amend')
      .send({ newId: 'r-2', payload: { year: 2025 }, reason: 'typo', personal: { fullName: 'Ana Lima' } })
      .expect(201);
    expect(res.body).toEqual({
      id: 'r-2',
      version: 2,
      transactionId: TX,
      blockNumber: 9,
      salt: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.headers.location).toBe('/api/v1/records/r-2');
    expect(calls).toEqual([
      {
        as: 'user',
        kind: 'submit',
        transaction: 'ledger:AmendRecord',
        args: ['r-1', JSON.stringify({ newId: 'r-2', payload: { year: 2025 }, reason: 'typo' })],
        transient: { personal: { fullName: 'Ana Lima' }, salt: expect.any(Buffer) },
      },
    ]);
    expect(JSON.stringify(calls[0].args)).not.toContain('Ana Lima');
    // a fresh 256-bit salt for the new version, drawn by the gateway (hash scheme 2)
    expect((calls[0].transient as { salt: Buffer }).salt).toHaveLength(32);
  });

  it.each(['suspend', 'reinstate', 'revoke'])('%s sends the reason as the user', async (action) => {
    const { app, calls } = appWith();
    await request(app).post(`/api/v1/records/r-1/${action}`).send({ reason: 'checked' }).expect(200);
    expect(calls.map((c) => [c.as, c.transaction, c.args])).toEqual([
      ['user', `ledger:${action[0].toUpperCase()}${action.slice(1)}Record`, ['r-1', 'checked']],
    ]);
  });

  it('refuses a status change without a reason, or with unknown fields, before Fabric', async () => {
    const { app, calls } = appWith();
    await request(app).post('/api/v1/records/r-1/revoke').send({}).expect(400);
    await request(app).post('/api/v1/records/r-1/revoke').send({ reason: 'x', extra: 1 }).expect(400);
    await request(app).post('/api/v1/records/r-1/revoke').send('reason=x').expect(415);
    expect(calls).toEqual([]);
  });

  it('lists with bounded pages and passes the bookmark', async () => {
    const { app, calls } = appWith({ answer: () => ({ items: [], bookmark: '' }) });
    await request(app).get('/api/v1/records?by=issuer&value=EducationMSP&pageSize=5&bookmark=b1').expect(200);
    expect(calls[0]).toMatchObject({
      kind: 'evaluate',
      transaction: 'ledger:ListRecords',
      args: ['issuer', 'EducationMSP', '5', 'b1'],
    });
    await request(app).get('/api/v1/records?by=issuer&value=EducationMSP').expect(200);
    expect(calls[1].args).toEqual(['issuer', 'EducationMSP', '20', '']);
    for (const bad of [
      'by=owner&value=x',
      'by=type&value=x&pageSize=101',
      'by=type&value=x&pageSize=0',
      'by=type',
    ]) {
      const res = await request(app).get(`/api/v1/records?${bad}`).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(calls).toHaveLength(2);
  });

  it('answers verify by id with 200 when found and 404 when not', async () => {
    const found = appWith({ answer: () => ({ found: true, status: 'REVOKED' }) });
    expect((await request(found.app).get('/api/v1/records/r-1/verify').expect(200)).body.status).toBe(
      'REVOKED',
    );
    const missing = appWith({ answer: () => ({ found: false }) });
    expect((await request(missing.app).get('/api/v1/records/r-1/verify').expect(404)).body).toEqual({
      found: false,
      id: 'r-1',
    });
  });

  it.each([
    ['/api/v1/records/r-1/history', 'ledger:GetRecordHistory'],
    ['/api/v1/records/r-1/personal', 'ledger:GetPersonalData'],
    ['/api/v1/records/r-1/personal/verify', 'ledger:VerifyPersonalDataHash'],
  ])('GET %s evaluates %s', async (url, transaction) => {
    const { app, calls } = appWith();
    await request(app).get(url).expect(200);
    expect(calls).toEqual([{ as: 'user', kind: 'evaluate', transaction, args: ['r-1'] }]);
  });
});

describe('admin routes', () => {
  const schemaBody = {
    recordType: 'education.transcript',
    schema: { type: 'object' },
    personalFields: ['fullName'],
  };

  it('answer 403 saying how to enable them when GATEWAY_ADMIN_TOKEN is unset', async () => {
    const { app, calls } = appWith();
    const res = await request(app)
      .post('/api/v1/schemas')
      .set('authorization', `Bearer ${TOKEN}`)
      .send(schemaBody)
      .expect(403);
    expect(res.body.error.message).toContain('GATEWAY_ADMIN_TOKEN');
    expect(calls).toEqual([]);
  });

  it('answer 401 without the bearer token or with a wrong one', async () => {
    const { app, calls } = appWith({ adminToken: TOKEN });
    await request(app).post('/api/v1/schemas').send(schemaBody).expect(401);
    await request(app)
      .post('/api/v1/schemas')
      .set('authorization', `Bearer ${TOKEN}x`)
      .send(schemaBody)
      .expect(401);
    await request(app).post('/api/v1/schemas').set('authorization', TOKEN).send(schemaBody).expect(401);
    expect(calls).toEqual([]);
  });

  it('refuse who-am-i as the admin without the admin token, and answer it with the token', async () => {
    const { app, calls } = appWith({ adminToken: TOKEN, answer: () => ({ mspId: 'EducationMSP' }) });
    await request(app).get('/api/v1/authorities/me?as=admin').expect(401);
    await request(app)
      .get('/api/v1/authorities/me?as=admin')
      .set('authorization', `Bearer ${TOKEN}x`)
      .expect(401);
    expect(calls).toEqual([]);
    await request(app)
      .get('/api/v1/authorities/me?as=admin')
      .set('authorization', `Bearer ${TOKEN}`)
      .expect(200);
    await request(app).get('/api/v1/authorities/me').expect(200);
    expect(calls.map((c) => c.as)).toEqual(['admin', 'user']);
  });

  it('sign schema registration with the admin identity', async () => {
    const { app, calls } = appWith({
      adminToken: TOKEN,
      answer: () => ({ id: 'education.transcript', version: 1 }),
    });
    const res = await request(app)
      .post('/api/v1/schemas')
      .set('authorization', `Bearer ${TOKEN}`)
      .send(schemaBody)
      .expect(201);
    expect(res.body).toMatchObject({ version: 1, transactionId: TX });
    expect(calls).toEqual([
      {
        as: 'admin',
        kind: 'submit',
        transaction: 'schemas:RegisterSchema',
        args: [
          'education.transcript',
          JSON.stringify({ schema: { type: 'object' }, personalFields: ['fullName'] }),
        ],
        transient: undefined,
      },
    ]);
  });

  it('say so when the gateway has no admin identity', async () => {
    const { app } = appWith({ adminToken: TOKEN, withAdmin: false });
    const res = await request(app)
      .post('/api/v1/governance/ministries')
      .set('authorization', `Bearer ${TOKEN}`)
      .expect(403);
    expect(res.body.error.message).toContain('GATEWAY_ADMIN_PROFILE');
  });

  it('propose, approve, reject as the admin; tally as the user', async () => {
    const { app, calls } = appWith({ adminToken: TOKEN });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const proposal = { id: 'p-1', kind: 'law', content: { id: 'L-1' } };
    await request(app).post('/api/v1/governance/proposals').set(auth).send(proposal).expect(201);
    await request(app).post('/api/v1/governance/proposals/p-1/approve').set(auth).expect(200);
    await request(app).post('/api/v1/governance/proposals/p-1/reject').set(auth).expect(200);
    await request(app).post('/api/v1/governance/proposals/p-1/tally').expect(200);
    await request(app)
      .post('/api/v1/governance/proposals')
      .set(auth)
      .send({ ...proposal, kind: 'decree' })
      .expect(400);
    expect(calls.map((c) => [c.as, c.transaction, c.args])).toEqual([
      ['admin', 'governance:Propose', [JSON.stringify(proposal)]],
      ['admin', 'governance:Approve', ['p-1']],
      ['admin', 'governance:Reject', ['p-1']],
      ['user', 'governance:Tally', ['p-1']],
    ]);
  });

  it('grant and revoke roles as the admin, checking the body first', async () => {
    const { app, calls } = appWith({ adminToken: TOKEN });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const grant = { holder: 'x509::CN=User1::CN=ca', role: 'issuer', scope: 'G2C/education' };
    await request(app).post('/api/v1/authorities/grants').set(auth).send(grant).expect(201);
    await request(app)
      .post('/api/v1/authorities/grants')
      .set(auth)
      .send({ ...grant, role: 'king' })
      .expect(400);
    await request(app)
      .post('/api/v1/authorities/grants')
      .set(auth)
      .send({ ...grant, holder: 'User1' })
      .expect(400);
    await request(app)
      .post(`/api/v1/authorities/grants/${TX}/revoke`)
      .set(auth)
      .send({ reason: 'left' })
      .expect(200);
    await request(app)
      .post('/api/v1/authorities/grants/not-a-tx/revoke')
      .set(auth)
      .send({ reason: 'left' })
      .expect(400);
    expect(calls.map((c) => [c.as, c.transaction, c.args])).toEqual([
      ['admin', 'authorities:GrantRole', [JSON.stringify(grant)]],
      ['admin', 'authorities:RevokeRole', [TX, 'left']],
    ]);
  });
});

describe('query routes', () => {
  it.each([
    ['/api/v1/schemas/education.credential', 'schemas:GetSchema', ['education.credential', '']],
    ['/api/v1/schemas/education.credential?version=3', 'schemas:GetSchema', ['education.credential', '3']],
    ['/api/v1/schemas/education.credential/versions', 'schemas:ListSchemaVersions', ['education.credential']],
    ['/api/v1/governance/ministries', 'governance:GetMinistries', []],
    ['/api/v1/governance/proposals?status=OPEN&pageSize=10', 'governance:ListProposals', ['OPEN', '10', '']],
    ['/api/v1/governance/proposals/p-1', 'governance:GetProposal', ['p-1']],
    ['/api/v1/governance/settings/quorum', 'governance:GetSetting', ['quorum']],
    ['/api/v1/rules/laws', 'rules:ListLaws', ['20', '']],
    [
      '/api/v1/rules/laws/L-1/tree?at=2024-01-01T00:00:00Z',
      'rules:GetLawTree',
      ['L-1', '2024-01-01T00:00:00Z'],
    ],
    ['/api/v1/rules/versions?kind=article&id=L-1/a-2', 'rules:GetVersions', ['article', 'L-1/a-2']],
    ['/api/v1/rules/in-force?kind=rule&id=R-1', 'rules:GetInForce', ['rule', 'R-1', '']],
    [
      '/api/v1/rules/for-record-type?category=G2C&recordType=education.credential',
      'rules:GetRulesForRecordType',
      ['G2C', 'education.credential', ''],
    ],
    ['/api/v1/rules/R-1', 'rules:GetRule', ['R-1']],
    ['/api/v1/authorities/me', 'authorities:WhoAmI', []],
    [
      '/api/v1/authorities/grants?mspId=EducationMSP',
      'authorities:ListGrants',
      ['EducationMSP', '', '20', ''],
    ],
    [`/api/v1/authorities/grants/${TX}`, 'authorities:GetGrant', [TX]],
    ['/api/v1/authorities/check?role=issuer&scope=G2C', 'authorities:CheckRole', ['issuer', 'G2C']],
    [
      '/api/v1/authorities/auditors?category=G2C&recordType=health.vaccination&issuerMsp=HealthMSP',
      'authorities:WhoMayAudit',
      ['G2C', 'health.vaccination', 'HealthMSP'],
    ],
    [`/api/v1/audit/cases/${TX}`, 'audit:GetCase', [TX]],
  ])('GET %s evaluates %s as the user', async (url, transaction, args) => {
    const { app, calls } = appWith();
    await request(app).get(url).expect(200);
    expect(calls).toEqual([{ as: 'user', kind: 'evaluate', transaction, args }]);
  });

  it.each([
    '/api/v1/schemas/Education',
    '/api/v1/schemas/education.credential?version=0',
    '/api/v1/governance/proposals?status=DONE',
    '/api/v1/rules/versions?kind=decree&id=x',
    '/api/v1/rules/for-record-type?category=G2X&recordType=a.b',
    '/api/v1/authorities/check?role=king&scope=G2C',
    '/api/v1/authorities/grants?mspId=',
    '/api/v1/audit/cases/nope',
  ])('GET %s is a 400 without calling Fabric', async (url) => {
    const { app, calls } = appWith();
    const res = await request(app).get(url).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(calls).toEqual([]);
  });

  it('POST /rules/evaluate and /audit/cases pass the body through', async () => {
    const { app, calls } = appWith();
    const record = { category: 'G2C', recordType: 'education.credential', payload: { year: 2024 } };
    await request(app).post('/api/v1/rules/evaluate').send(record).expect(200);
    await request(app).post('/api/v1/audit/cases').send({ recordId: 'r-1', reason: 'complaint' }).expect(201);
    expect(calls.map((c) => [c.kind, c.transaction, c.args])).toEqual([
      ['evaluate', 'rules:EvaluateRecord', [JSON.stringify(record)]],
      ['submit', 'audit:OpenCase', ['r-1', 'complaint']],
    ]);
  });
});
