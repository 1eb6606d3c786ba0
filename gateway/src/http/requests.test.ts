import { AddressInfo } from 'node:net';
import { deflateSync, gzipSync, brotliCompressSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { ChaincodeClient } from '../chaincode/client';
import { RecordsService, RegisteredRecord } from '../records/service';

const silent = pino({ level: 'silent' });
const PROBLEM = /^application\/problem\+json; charset=utf-8$/;

const validRecord = {
  id: 'rec-1',
  category: 'G2C',
  recordType: 'education.credential',
  subjectRef: 'subj:7f3a9c0d1e2f3a4b',
  payload: { degree: 'BSc', year: 2024 },
};

/** An app whose records service and chaincode count what reached them. */
function appWith(options: { jsonMaxDepth?: number } = {}) {
  const reached: string[] = [];
  const records: RecordsService = {
    registerRecord: async (req): Promise<RegisteredRecord> => {
      reached.push('registerRecord');
      return {
        id: req.id,
        hash: 'ab'.repeat(32),
        transactionId: 'tx-1',
        blockNumber: 3,
        status: 'ACTIVE',
        salt: 'cd'.repeat(32),
      };
    },
    getRecord: async (id) => {
      reached.push('getRecord');
      return { id };
    },
    verifyHash: async () => ({ found: false }),
  };
  const user: ChaincodeClient = {
    evaluate: async (transaction) => {
      reached.push(transaction);
      return { items: [], bookmark: '' };
    },
    submit: async (transaction) => {
      reached.push(transaction);
      return { result: {}, transactionId: 'tx-2', blockNumber: 4 };
    },
  };
  const app = createApp({ records, chaincode: { user }, logger: silent, ...options });
  return { app, reached };
}

/** `{"a":{"a":...}}` nested `depth` levels (built as text: JSON.stringify overflows on deep values). */
function nestedText(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** validRecord's JSON with `payload` replaced by `payloadText`. */
function recordText(payloadText: string): string {
  return JSON.stringify({ ...validRecord, payload: 0 }).replace('"payload":0', `"payload":${payloadText}`);
}

/** A POST with exactly these headers and bytes over a real socket (supertest re-encodes some bodies). */
async function rawPost(
  app: ReturnType<typeof appWith>['app'],
  url: string,
  headers: Record<string, string>,
  body: Uint8Array | string,
): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}${url}`, { method: 'POST', headers, body });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as Record<string, unknown>,
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('percent-escapes in the URL', () => {
  it.each(['%zz', '%', '%C0%AF', '%FF', '%ED%A0%80', 'ok%2'])(
    'answers /api/v1/records/%s with 400 MALFORMED_URL as problem+json',
    async (bad) => {
      const { app, reached } = appWith();
      const res = await request(app).get(`/api/v1/records/${bad}`).expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        type: 'urn:govfabric:problem:malformed-url',
        title: 'Malformed URL',
        status: 400,
        code: 'MALFORMED_URL',
        error: { code: 'MALFORMED_URL' },
      });
      expect(res.body.detail).toMatch(/malformed percent-escape/);
      expect(reached).toEqual([]);
    },
  );

  it('gives the same answer on a POST route, an unrouted path and in the query', async () => {
    const { app } = appWith();
    await request(app).post('/api/v1/records/%zz/revoke').send({ reason: 'x' }).expect(400);
    const unrouted = await request(app).get('/no/such/%zz').expect(400);
    expect(unrouted.body.code).toBe('MALFORMED_URL');
    const query = await request(app).get('/api/v1/rules/laws?bookmark=%E0%A4%A').expect(400);
    expect(query.body.code).toBe('MALFORMED_URL');
  });

  it('lets valid escapes through to the route', async () => {
    const { app, reached } = appWith();
    const res = await request(app).get('/api/v1/records/rec%2D1').expect(200);
    expect(res.body).toEqual({ id: 'rec-1' });
    expect(reached).toEqual(['getRecord']);
  });

  it('answers a NUL escape with the route validation (400), an unknown route with 404', async () => {
    const { app } = appWith();
    expect((await request(app).get('/api/v1/records/%00').expect(400)).body.code).toBe('VALIDATION_FAILED');
    const unrouted = await request(app).get('/api/v2/records').expect(404);
    expect(unrouted.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(unrouted.headers['content-type']).toMatch(PROBLEM);
  });
});

describe('Content-Encoding', () => {
  const body = Buffer.from(JSON.stringify(validRecord));
  const post = (app: ReturnType<typeof appWith>['app'], encoding: string, bytes: Buffer) =>
    rawPost(
      app,
      '/api/v1/records',
      { 'content-type': 'application/json', 'content-encoding': encoding },
      bytes,
    );

  it.each([
    ['gzip', gzipSync(body)],
    ['deflate', deflateSync(body)],
    ['br', brotliCompressSync(body)],
  ])('accepts a %s body that matches its encoding', async (encoding, bytes) => {
    const { app, reached } = appWith();
    expect((await post(app, encoding, bytes)).status).toBe(201);
    expect(reached).toEqual(['registerRecord', 'getRecord']); // then the holder's document
  });

  it.each([
    ['gzip', body],
    ['deflate', body],
    ['br', body],
    ['gzip', gzipSync(body).subarray(0, 20)],
    ['deflate', gzipSync(body)],
  ])('answers a %s body that does not match with 400 MALFORMED_BODY', async (encoding, bytes) => {
    const { app, reached } = appWith();
    const res = await post(app, encoding, bytes);
    expect([res.status, res.body.code]).toEqual([400, 'MALFORMED_BODY']);
    expect(res.type).toMatch(PROBLEM);
    expect(res.body.detail).toMatch(/does not match its Content-Encoding|cut short/);
    expect(reached).toEqual([]);
  });

  it('answers an unknown encoding with 415', async () => {
    const { app } = appWith();
    const res = await post(app, 'compress', body);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: expect.stringMatching(/compress/),
    });
  });
});

describe('Content-Type', () => {
  const post = (app: ReturnType<typeof appWith>['app'], type: string) =>
    request(app).post('/api/v1/records').set('Content-Type', type).send(JSON.stringify(validRecord));

  it.each(['application/json; foo', 'application/json;', 'application/json; charset="utf-8', 'json'])(
    'answers the malformed %j with 400 MALFORMED_HEADER',
    async (type) => {
      const { app, reached } = appWith();
      const res = await post(app, type).expect(400);
      expect(res.body).toMatchObject({
        code: 'MALFORMED_HEADER',
        detail: expect.stringMatching(/Content-Type/),
      });
      expect(reached).toEqual([]);
    },
  );

  it.each(['latin1', 'utf-16', 'UTF-16LE', 'iso-8859-1'])(
    'answers JSON in charset=%s with 415',
    async (charset) => {
      const { app } = appWith();
      const res = await post(app, `application/json; charset=${charset}`).expect(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.detail).toBe(`JSON bodies must be UTF-8, not charset=${charset.toLowerCase()}`);
    },
  );

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"'])(
    'accepts %j',
    async (type) => {
      const { app } = appWith();
      await post(app, type).expect(201);
    },
  );
});

describe('JSON nesting depth', () => {
  const json = { 'content-type': 'application/json' };

  it.each([
    ['POST /api/v1/records', '/api/v1/records', recordText],
    [
      'POST /api/v1/rules/evaluate',
      '/api/v1/rules/evaluate',
      (deep: string) => `{"category":"G2C","recordType":"a.b","payload":${deep}}`,
    ],
  ])(
    'answers a 5,000-level body on %s with 400 JSON_TOO_DEEP, reaching nothing',
    async (_what, url, wrap) => {
      const { app, reached } = appWith();
      const res = await rawPost(app, url, json, wrap(nestedText(5000)));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'JSON_TOO_DEEP',
        detail: 'the JSON body is nested deeper than 64 levels of arrays and objects',
      });
      expect(reached).toEqual([]);
    },
  );

  it('refuses 100,000 levels of arrays (the parser never sees them)', async () => {
    const { app } = appWith();
    const res = await rawPost(app, '/api/v1/records', json, '['.repeat(100_000) + ']'.repeat(100_000));
    expect([res.status, res.body.code]).toEqual([400, 'JSON_TOO_DEEP']);
  });

  it('accepts a body exactly at the limit, refuses one level more, and honours a configured limit', async () => {
    const { app } = appWith();
    // the record object is level 1; the payload's 63 nested objects reach 64
    expect((await rawPost(app, '/api/v1/records', json, recordText(nestedText(63)))).status).toBe(201);
    const over = await rawPost(app, '/api/v1/records', json, recordText(nestedText(64)));
    expect([over.status, over.body.code]).toEqual([400, 'JSON_TOO_DEEP']);
    const small = appWith({ jsonMaxDepth: 3 });
    const res = await rawPost(small.app, '/api/v1/records', json, recordText(nestedText(3)));
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/deeper than 3 levels/);
  });
});
