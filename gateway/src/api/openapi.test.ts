import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { ChaincodeClient } from '../chaincode/client';
import { TransactionPending } from '../errors';
import { RecordsService } from '../records/service';
import { openApiPath, pendingSchema, problemSchema } from './openapi';
import { API_ROUTES } from './routes';
import { OfflineTransactions } from '../fabric/offline';

// Generating the document takes seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

const client: ChaincodeClient = {
  evaluate: async () => ({ items: [], bookmark: '' }),
  submit: async () => {
    throw new TransactionPending('d'.repeat(64), 'unknown');
  },
};
const records: RecordsService = {
  registerRecord: async () => {
    throw new Error('not called');
  },
  getRecord: async (id) => ({ id }),
  verifyHash: async () => ({ found: false }),
};
const app = createApp({
  records,
  chaincode: { user: client, admin: client },
  transactions: { lookup: async () => undefined },
  offline: new OfflineTransactions({} as never, {
    mspId: 'M',
    channel: 'c',
    chaincode: 'cc',
    transientEndorsers: [],
  }),
  adminToken: 'openapi-test-token-0123456789',
  logger: pino({ level: 'silent' }),
});

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document describing every route with its parameters and body', async () => {
    const doc = (await request(app).get('/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const route of API_ROUTES) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method];
      expect([route.method, route.path, op === undefined]).toEqual([route.method, route.path, false]);
      const inPath = (op.parameters ?? [])
        .filter((p: { in: string }) => p.in === 'path')
        .map((p: { name: string }) => p.name);
      expect(inPath.sort()).toEqual(Object.keys(route.params?.shape ?? {}).sort());
      expect(op.requestBody !== undefined).toBe(route.body !== undefined);
      expect(Object.keys(op.responses)).toContain(String(route.success));
      const content = op.responses[String(route.success)].content;
      const media = route.stream ? 'text/event-stream' : 'application/json';
      expect([route.path, Object.keys(content)]).toEqual([route.path, [media]]);
      expect([route.path, content[media].schema.type ?? content[media].schema.$ref]).not.toEqual([
        route.path,
        undefined,
      ]);
    }
  });

  it('describes a query schema field by field (e.g. the records listing)', async () => {
    const doc = (await request(app).get('/openapi.json').expect(200)).body;
    const names = doc.paths['/api/v1/records'].get.parameters.map((p: { name: string }) => p.name).sort();
    expect(names).toEqual(['bookmark', 'by', 'pageSize', 'value']);
  });

  it('describes the Idempotency-Key header and its 422 on every submitting route', async () => {
    const doc = (await request(app).get('/openapi.json').expect(200)).body;
    const op = doc.paths['/api/v1/records'].post;
    expect(op.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'idempotency-key', required: false }),
    );
    expect(Object.keys(op.responses)).toContain('422');
  });

  it("describes a claim's or a redemption's 409 ALREADY_USED, and lists every problem code", async () => {
    const doc = (await request(app).get('/openapi.json').expect(200)).body;
    for (const path of ['/api/v1/currency/deposits/{depositId}/claim', '/api/v1/currency/redemptions']) {
      const conflict = doc.paths[path].post.responses['409'];
      expect([path, conflict.description]).toEqual([path, expect.stringContaining('ALREADY_USED')]);
      const schema = conflict.content['application/problem+json'].schema;
      const problem = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema;
      expect(problem.properties.code.enum).toEqual(
        expect.arrayContaining(['ALREADY_USED', 'ALREADY_EXISTS']),
      );
    }
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await request(app).get('/docs/').expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});

describe('answers match their described schemas', () => {
  it.each([
    ['a validation error', () => request(app).get('/api/v1/records/a%20b'), 400],
    ['a malformed URL', () => request(app).get('/api/v1/records/%zz'), 400],
    ['an unknown route', () => request(app).get('/api/v1/nothing'), 404],
    [
      'a transaction not in the ledger',
      () => request(app).get(`/api/v1/transactions/${'e'.repeat(64)}`),
      404,
    ],
    ['a missing admin token', () => request(app).post('/api/v1/governance/ministries'), 401],
  ])('%s is a problem', async (_what, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(problemSchema.safeParse(res.body).error).toBeUndefined();
  });

  it('an unknown outcome is the described 202', async () => {
    const res = await request(app).post('/api/v1/governance/proposals/p-1/tally').expect(202);
    expect(pendingSchema.safeParse(res.body).error).toBeUndefined();
  });
});
