import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import type { ChaincodeClient, SubmitResult } from '../chaincode/client';
import type { RecordsService } from '../records/service';
import type { TransactionStatus } from '../fabric/transactions';
import { isPublicRoute } from '../auth/authenticate';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PAGE_DIR } from './page';

const catalogue = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(PAGE_DIR, 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;
const en = catalogue('en');
const km = catalogue('km');
const HASH = 'ab'.repeat(32);
const REGISTERED = '1'.repeat(64);
const REVOKED = '2'.repeat(64);
const LOGGED = '3'.repeat(64);

const unused = async (): Promise<never> => {
  throw new Error('not called');
};
const records: RecordsService = { registerRecord: unused, getRecord: unused, verifyHash: unused };

/** A chaincode that answers verification:Verify like the chaincode would, and records the calls. */
function fakeChaincode(result: object) {
  const calls: { submit: [string, readonly string[]][]; evaluate: [string, readonly string[]][] } = {
    submit: [],
    evaluate: [],
  };
  const client: ChaincodeClient = {
    submit: async (tx, args = []): Promise<SubmitResult> => {
      calls.submit.push([tx, args]);
      return { result, transactionId: LOGGED, blockNumber: 12 };
    },
    evaluate: async (tx, args = []) => {
      calls.evaluate.push([tx, args]);
      return {
        items: [{ recordId: 'EDU-1', verifier: 'public', verifiedAt: '2025-03-01T09:00:00.000Z' }],
        bookmark: '',
      };
    },
  };
  return { client, calls };
}

/** qscc as the gateway reads it: the blocks of two known transactions. */
const lookup = async (transactionId: string): Promise<TransactionStatus | undefined> =>
  ({ [REGISTERED]: 4, [REVOKED]: 9 })[transactionId] === undefined
    ? undefined
    : {
        transactionId,
        valid: true,
        validationCode: 'VALID',
        blockNumber: ({ [REGISTERED]: 4, [REVOKED]: 9 } as Record<string, number>)[transactionId],
      };

const verification = { txId: LOGGED, verifier: 'public', verifiedAt: '2025-03-01T09:00:05.000Z' };
const revoked = {
  found: true,
  outcome: 'REVOKED',
  matched: true,
  id: 'EDU-1',
  status: 'REVOKED',
  issuerMsp: 'EducationMSP',
  recordType: 'education.credential',
  registeredTxId: REGISTERED,
  txId: REVOKED,
  hashScheme: 2,
  verification,
};

function appWith(result: object, verifyRateLimitPerMinute?: number) {
  const { client, calls } = fakeChaincode(result);
  const app = createApp({
    records,
    chaincode: { user: client, admin: client },
    transactions: { lookup },
    logger: pino({ level: 'silent' }),
    ...(verifyRateLimitPerMinute ? { verifyRateLimitPerMinute } : {}),
  });
  return { app, calls };
}

describe('POST /api/v1/verifications', () => {
  it('verifies and logs as public, and proves the registration and the last change with their blocks', async () => {
    const { app, calls } = appWith(revoked);
    const res = await request(app)
      .post('/api/v1/verifications')
      .send({ recordId: 'EDU-1', hash: HASH.toUpperCase() });
    expect(res.status).toBe(200);
    expect(calls.submit).toEqual([['verification:Verify', ['EDU-1', HASH, 'true']]]);
    expect(res.body).toMatchObject({
      found: true,
      outcome: 'REVOKED',
      issuerMsp: 'EducationMSP',
      proof: {
        registration: { transactionId: REGISTERED, blockNumber: 4, validationCode: 'VALID' },
        lastChange: { transactionId: REVOKED, blockNumber: 9, validationCode: 'VALID' },
      },
      logged: {
        transactionId: LOGGED,
        blockNumber: 12,
        verifier: 'public',
        verifiedAt: verification.verifiedAt,
      },
    });
    expect(res.body).not.toHaveProperty('verification');
  });

  it('answers 200 {found: false, outcome: NOT_FOUND} for an unknown document: the verification is logged too', async () => {
    const { app, calls } = appWith({ found: false, outcome: 'NOT_FOUND', verification });
    const res = await request(app).post('/api/v1/verifications').send({ hash: HASH });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      found: false,
      outcome: 'NOT_FOUND',
      logged: {
        transactionId: LOGGED,
        blockNumber: 12,
        verifier: 'public',
        verifiedAt: verification.verifiedAt,
      },
    });
    expect(calls.submit).toEqual([['verification:Verify', ['', HASH, 'true']]]);
  });

  it.each([
    [{}, /send recordId, hash or both/],
    [{ hash: 'xyz' }, /hash: a SHA-256 hash/],
    [{ recordId: 'EDU 1' }, /recordId: 1-128 characters/],
    [{ recordId: 'EDU-1', name: 'Ana' }, /name/],
  ])('refuses %j with 400 naming what is wrong, and submits nothing', async (body, message) => {
    const { app, calls } = appWith(revoked);
    const res = await request(app).post('/api/v1/verifications').send(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(message);
    expect(calls.submit).toEqual([]);
  });

  it('limits verifications per client address', async () => {
    const { app, calls } = appWith(revoked, 2);
    for (let i = 0; i < 2; i++) {
      expect((await request(app).post('/api/v1/verifications').send({ recordId: 'EDU-1' })).status).toBe(200);
    }
    const res = await request(app).post('/api/v1/verifications').send({ recordId: 'EDU-1' });
    expect(res.status).toBe(429);
    expect(res.body.detail).toMatch(/more than 2 requests in 60 s/);
    expect(calls.submit).toHaveLength(2);
  });

  it('is public without credentials, and the caller organization with them', () => {
    const req = (headers: Record<string, string>) =>
      ({ method: 'POST', path: '/api/v1/verifications', get: (h: string) => headers[h] }) as never;
    expect(isPublicRoute(req({}))).toBe(true);
    expect(isPublicRoute(req({ authorization: 'Bearer x' }))).toBe(false);
    expect(isPublicRoute(req({ 'x-api-key': 'k' }))).toBe(false);
  });
});

describe('GET /api/v1/verifications', () => {
  it("lists a subject's verifications through verification:ListVerifications", async () => {
    const { app, calls } = appWith(revoked);
    const res = await request(app).get('/api/v1/verifications?subjectRef=psn:9f86d081884c7d65&pageSize=5');
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ recordId: 'EDU-1', verifier: 'public' });
    expect(calls.evaluate).toEqual([['verification:ListVerifications', ['psn:9f86d081884c7d65', '5', '']]]);
    expect((await request(app).get('/api/v1/verifications?subjectRef=bob')).status).toBe(400);
  });
});

describe('the verification page', () => {
  const { app } = appWith(revoked);

  it('is served at /verify/ with a strict Content-Security-Policy and no inline script', async () => {
    const res = await request(app).get('/verify/').expect(200);
    expect(res.type).toBe('text/html');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.text).toContain('<script type="module" src="/verify/verify.js"></script>');
    expect(res.text).not.toMatch(/<script>|<script type="module">|\sstyle=|\son[a-z]+=/);
    expect((await request(app).get('/verify')).headers.location).toBe('/verify/');
  });

  it("serves the page's script and the gateway's own RFC 8785 library as an ES module", async () => {
    expect((await request(app).get('/verify/verify.js').expect(200)).type).toBe('text/javascript');
    const lib = await request(app).get('/verify/vendor/canonicalize.js').expect(200);
    expect(lib.type).toBe('text/javascript');
    expect(lib.text).toMatch(/export default module\.exports;\n$/);
    // the same code: evaluated, it canonicalizes as the gateway does
    const body = lib.text.replace(/export default module\.exports;\n$/, 'return module.exports;');
    const canonicalizeInPage = new Function(body)() as (v: unknown) => string;
    expect(canonicalizeInPage({ b: 1, a: [true, 'é'] })).toBe('{"a":[true,"é"],"b":1}');
  });

  it('has an English and a Khmer catalogue with the same messages and placeholders', async () => {
    expect(Object.keys(km).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect([key, placeholders(km[key])]).toEqual([key, placeholders(text)]);
    }
    const res = await request(app).get('/verify/i18n/km.json').expect(200);
    expect(res.body.title).toBe(km.title);
  });
});
