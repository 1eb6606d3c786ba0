import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RequestHandler } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { runAs } from '../auth/caller';
import { ApiError } from '../errors';
import { noteTransaction } from '../ops/context';
import type { RecordsService, RegisteredRecord } from '../records/service';
import type { RegisterRecordRequest } from '../records/schema';
import { LevelIdempotencyStore } from './store';

const silent = pino({ level: 'silent' });
const record = {
  id: 'rec-1',
  category: 'G2C',
  recordType: 'education.credential',
  subjectRef: 'subj:7f3a9c0d1e2f3a4b',
  payload: { degree: 'BSc' },
};

/** Runs each request as the officer named by `x-who`. */
const asHeader: RequestHandler = (req, _res, next) =>
  runAs({ principal: { kind: 'officer', enrollmentId: req.get('x-who') ?? 'ana' } }, next);

/** A records service counting registrations; `outcome` decides each one's answer. */
function recordsWith(outcome: (n: number) => Promise<RegisteredRecord>) {
  let calls = 0;
  const records: RecordsService = {
    registerRecord: async (_request: RegisterRecordRequest) => {
      calls += 1;
      noteTransaction(`${calls}`.padStart(64, '0'));
      return outcome(calls);
    },
    getRecord: async () => ({}),
    verifyHash: async () => ({ found: false }),
  };
  return { records, calls: () => calls };
}

const registered = (n: number): RegisteredRecord => ({
  id: 'rec-1',
  hash: 'ab'.repeat(32),
  transactionId: `${n}`.padStart(64, '0'),
  blockNumber: n,
  status: 'ACTIVE',
  salt: 'cd'.repeat(32),
});

describe('Idempotency-Key', () => {
  let dir: string;
  let store: LevelIdempotencyStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'idempotency-mw-'));
    store = await LevelIdempotencyStore.open(dir, { maxAgeMs: 60_000, maxEntries: 100 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const appWith = (records: RecordsService) =>
    createApp({ records, idempotency: store, authenticate: asHeader, logger: silent });

  it('answers a retry with the first outcome, marked as replayed, without a new transaction', async () => {
    const fake = recordsWith(async (n) => registered(n));
    const app = appWith(fake.records);
    const first = await request(app).post('/api/v1/records').set('Idempotency-Key', 'k-1').send(record);
    const again = await request(app).post('/api/v1/records').set('Idempotency-Key', 'k-1').send(record);
    expect([first.status, again.status, fake.calls()]).toEqual([201, 201, 1]);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
  });

  it('makes concurrent identical requests wait for the first and answers them all with its outcome', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = recordsWith(async (n) => {
      await gate;
      return registered(n);
    });
    const app = appWith(fake.records);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const agent = request(server);
      const pending = Array.from({ length: 10 }, () =>
        agent
          .post('/api/v1/records')
          .set('Idempotency-Key', 'same')
          .send(record)
          .then((r) => r),
      );
      // Released once the first request reached the service: the others are waiting on it.
      while (fake.calls() === 0) await new Promise((r) => setImmediate(r));
      release();
      const answers = await Promise.all(pending);
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(new Set(answers.map((r) => r.body.transactionId)).size).toBe(1);
      expect(fake.calls()).toBe(1);
    } finally {
      server.close();
    }
  });

  it('refuses the same key with a different body with 422 IDEMPOTENCY_CONFLICT', async () => {
    const fake = recordsWith(async (n) => registered(n));
    const app = appWith(fake.records);
    await request(app).post('/api/v1/records').set('Idempotency-Key', 'k-2').send(record).expect(201);
    const res = await request(app)
      .post('/api/v1/records')
      .set('Idempotency-Key', 'k-2')
      .send({ ...record, id: 'rec-2' })
      .expect(422);
    expect(res.body.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(res.body.detail).toContain('different request');
    expect(fake.calls()).toBe(1);
  });

  it('keeps keys per caller: another caller’s same key is another request', async () => {
    const fake = recordsWith(async (n) => registered(n));
    const app = appWith(fake.records);
    const ana = await request(app)
      .post('/api/v1/records')
      .set({ 'Idempotency-Key': 'k', 'x-who': 'ana' })
      .send(record);
    const ben = await request(app)
      .post('/api/v1/records')
      .set({ 'Idempotency-Key': 'k', 'x-who': 'ben' })
      .send(record);
    expect([ana.status, ben.status, fake.calls()]).toEqual([201, 201, 2]);
    expect(ben.body.transactionId).not.toBe(ana.body.transactionId);
  });

  it('keeps a definite refusal, but not a 5xx: a retry after PEER_UNAVAILABLE runs again', async () => {
    const refused = recordsWith(async () => {
      throw new ApiError('ALREADY_EXISTS', 'record rec-1 already exists');
    });
    let app = appWith(refused.records);
    await request(app).post('/api/v1/records').set('Idempotency-Key', 'r').send(record).expect(409);
    const again = await request(app)
      .post('/api/v1/records')
      .set('Idempotency-Key', 'r')
      .send(record)
      .expect(409);
    expect([again.body.code, again.headers['content-type'], refused.calls()]).toEqual([
      'ALREADY_EXISTS',
      'application/problem+json; charset=utf-8',
      1,
    ]);

    const flaky = recordsWith(async (n) => {
      if (n === 1) throw new ApiError('PEER_UNAVAILABLE', 'peer down');
      return registered(n);
    });
    app = appWith(flaky.records);
    await request(app).post('/api/v1/records').set('Idempotency-Key', 'f').send(record).expect(503);
    await request(app).post('/api/v1/records').set('Idempotency-Key', 'f').send(record).expect(201);
    expect(flaky.calls()).toBe(2);
  });

  it('refuses a malformed key with 400, and leaves requests without a key alone', async () => {
    const fake = recordsWith(async (n) => registered(n));
    const app = appWith(fake.records);
    const res = await request(app)
      .post('/api/v1/records')
      .set('Idempotency-Key', 'x'.repeat(256))
      .send(record);
    expect([res.status, res.body.code, res.body.detail]).toEqual([
      400,
      'VALIDATION_FAILED',
      'the Idempotency-Key header must be 1-255 visible ASCII characters (a UUID, say)',
    ]);
    await request(app).post('/api/v1/records').send(record).expect(201);
    await request(app).post('/api/v1/records').send(record).expect(201);
    expect(fake.calls()).toBe(2);
  });
});
