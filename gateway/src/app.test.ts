import * as grpc from '@grpc/grpc-js';
import { CommitStatusError, EndorseError, GatewayError, Proposal, Status } from '@hyperledger/fabric-gateway';
// fabric-gateway exports SubmitError as a type only; its class is where the client throws it from.
import { SubmitError } from '@hyperledger/fabric-gateway/dist/submiterror';
import pino from 'pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from './app';
import { FabricChaincodeClient, GatewayContract } from './fabric/chaincodeclient';
import { ChaincodeRecordsService } from './records/chaincoderecords';
import { HealthOptions } from './routes/health';

const silent = pino({ level: 'silent' });
const enc = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const HASH = 'ab'.repeat(32);

/** A ServiceError as grpc-js produces it (fabric-gateway keeps it as `cause`). */
function serviceError(code: grpc.status, message: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${message}`), {
    code,
    details: message,
    metadata: new grpc.Metadata(),
  });
}

/** The error fabric-gateway throws when Fabric's Endorse reports a chaincode error (endorse.go). */
function chaincodeEndorseError(chaincodeMessage: string): EndorseError {
  const cause = serviceError(
    grpc.status.ABORTED,
    'failed to endorse transaction, see attached details for more info',
  );
  return new EndorseError({
    code: cause.code,
    cause,
    message: cause.message,
    transactionId: 'tx-1',
    details: [
      {
        address: 'peer0.immigration.egov.local:7051',
        mspId: 'ImmigrationMSP',
        message: `chaincode response 500, ${chaincodeMessage}`,
      },
    ],
  });
}

/** The error fabric-gateway throws when Fabric's Evaluate reports a chaincode error (evaluate.go). */
function chaincodeEvaluateError(chaincodeMessage: string): GatewayError {
  const text = `evaluate call to endorser returned error: chaincode response 500, ${chaincodeMessage}`;
  const cause = serviceError(grpc.status.UNKNOWN, text);
  return new GatewayError({
    code: cause.code,
    cause,
    message: cause.message,
    details: [
      {
        address: 'peer0.immigration.egov.local:7051',
        mspId: 'ImmigrationMSP',
        message: `chaincode response 500, ${chaincodeMessage}`,
      },
    ],
  });
}

interface FakeBehaviour {
  endorse?: () => Promise<Uint8Array>;
  submit?: () => Promise<void>;
  status?: () => Promise<Status>;
  evaluate?: (name: string, args: string[]) => Promise<Uint8Array>;
}

/** A fake fabric-gateway Contract recording what it was asked to do. */
function fakeContract(behaviour: FakeBehaviour = {}) {
  const calls = {
    proposals: [] as { name: string; args: string[] }[],
    submitted: 0,
    evaluated: [] as { name: string; args: string[] }[],
  };
  const contract: GatewayContract = {
    newProposal: (name, options) => {
      const args = (options?.arguments ?? []).map(String);
      calls.proposals.push({ name, args });
      const proposal = {
        getTransactionId: () => 'tx-1',
        endorse: async () => {
          const result = await (
            behaviour.endorse ??
            (async () => enc({ id: 'rec-1', hash: HASH, txId: 'tx-1', status: 'ACTIVE' }))
          )();
          return {
            getResult: () => result,
            getTransactionId: () => 'tx-1',
            submit: async () => {
              calls.submitted += 1;
              await behaviour.submit?.();
              return {
                getResult: () => result,
                getTransactionId: () => 'tx-1',
                getStatus:
                  behaviour.status ??
                  (async () => ({ blockNumber: 7n, code: 0, successful: true, transactionId: 'tx-1' })),
              };
            },
          };
        },
      };
      return proposal as unknown as Proposal;
    },
    evaluate: async (name, options) => {
      const args = (options?.arguments ?? []).map(String);
      calls.evaluated.push({ name, args });
      if (!behaviour.evaluate) throw new Error('evaluate not expected');
      return behaviour.evaluate(name, args);
    },
  };
  return { contract, calls };
}

function appWith(
  behaviour: FakeBehaviour = {},
  extra: { health?: HealthOptions; bodyLimitBytes?: number } = {},
) {
  const fake = fakeContract(behaviour);
  const app = createApp({
    records: new ChaincodeRecordsService(new FabricChaincodeClient(fake.contract, silent)),
    logger: silent,
    ...extra,
  });
  return { app, calls: fake.calls };
}

const validRecord = {
  id: 'rec-1',
  category: 'G2C',
  recordType: 'education.credential',
  subjectRef: 'subj:7f3a9c0d1e2f3a4b',
  payload: { degree: 'BSc', year: 2024 },
};

describe('POST /api/v1/records', () => {
  it('endorses, submits and answers 201 with the committed transaction', async () => {
    const { app, calls } = appWith();
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(201);
    expect(res.body).toEqual({
      id: 'rec-1',
      hash: HASH,
      transactionId: 'tx-1',
      blockNumber: 7,
      status: 'ACTIVE',
      salt: expect.stringMatching(/^[0-9a-f]{64}$/),
      // this fake ledger answers no record: the registration stands, without a document
      documentError: expect.stringMatching(
        /^the record is registered, but its holder's document could not be built/,
      ),
    });
    expect(res.headers.location).toBe('/api/v1/records/rec-1');
    expect(calls.proposals).toEqual([{ name: 'ledger:RegisterRecord', args: [JSON.stringify(validRecord)] }]);
    expect(calls.submitted).toBe(1);
  });

  it("passes the fee payer (a public account or a citizen's voucher) to RegisterRecord", async () => {
    const { app, calls } = appWith();
    const feeAccount = 'treasury:ImmigrationMSP';
    await request(app)
      .post('/api/v1/records')
      .send({ ...validRecord, feeAccount })
      .expect(201);
    expect(calls.proposals[0].args).toEqual([JSON.stringify({ ...validRecord, feeAccount })]);
    const bad = await request(app)
      .post('/api/v1/records')
      .send({ ...validRecord, feeAccount: 'my wallet' })
      .expect(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['feeAccount']);
    expect(calls.proposals).toHaveLength(1);
  });

  it('refuses a body missing fields with 400 naming each path, without calling Fabric', async () => {
    const { app, calls } = appWith();
    const res = await request(app).post('/api/v1/records').send({ id: 'rec-1' }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = (res.body.error.details as { path: string; location: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['category', 'payload', 'recordType', 'subjectRef']);
    expect(res.body.error.details[0].location).toBe('body');
    expect(calls.proposals).toHaveLength(0);
  });

  it.each([
    ['a bad category', { ...validRecord, category: 'G2X' }, 'category'],
    ['a payload that is not an object', { ...validRecord, payload: [1, 2] }, 'payload'],
    ['an id with a slash', { ...validRecord, id: 'a/b' }, 'id'],
    ['a subjectRef with spaces', { ...validRecord, subjectRef: 'John Smith of Springfield' }, 'subjectRef'],
    [
      'a subjectRef of only digits (a raw national id)',
      { ...validRecord, subjectRef: '1234567890123456' },
      'subjectRef',
    ],
    ['a one-part recordType', { ...validRecord, recordType: 'credential' }, 'recordType'],
    ['an unknown field', { ...validRecord, extra: true }, ''],
  ])('refuses %s with 400 and the issue path', async (_what, body, path) => {
    const { app, calls } = appWith();
    const res = await request(app).post('/api/v1/records').send(body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(calls.proposals).toHaveLength(0);
  });

  it('answers 400 MALFORMED_JSON for a body that does not parse', async () => {
    const { app } = appWith();
    const res = await request(app)
      .post('/api/v1/records')
      .set('Content-Type', 'application/json')
      .send('{"id": ')
      .expect(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const { app } = appWith();
    const res = await request(app)
      .post('/api/v1/records')
      .set('Content-Type', 'text/plain')
      .send('id=1')
      .expect(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for a body over the 1 MiB default limit, and accepts one just under it', async () => {
    const { app, calls } = appWith();
    const big = { ...validRecord, payload: { blob: 'x'.repeat(1024 * 1024) } };
    const res = await request(app).post('/api/v1/records').send(big).expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(calls.proposals).toHaveLength(0);
    const under = { ...validRecord, payload: { blob: 'x'.repeat(1024 * 1024 - 300) } };
    await request(app).post('/api/v1/records').send(under).expect(201);
  });

  it('honours a configured body limit', async () => {
    const { app } = appWith({}, { bodyLimitBytes: 2048 });
    const res = await request(app)
      .post('/api/v1/records')
      .send({ ...validRecord, payload: { blob: 'x'.repeat(4096) } })
      .expect(413);
    expect(res.body.error.message).toContain('2048');
  });

  it('maps a chaincode "already exists" to 409 with the chaincode message', async () => {
    const { app, calls } = appWith({
      endorse: () => Promise.reject(chaincodeEndorseError('record rec-1 already exists')),
    });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(409);
    expect(res.body.error).toEqual({
      code: 'ALREADY_EXISTS',
      message: 'record rec-1 already exists',
      details: { chaincodeStatus: 500 },
    });
    expect(calls.submitted).toBe(0);
  });

  it('answers application/problem+json with the transaction id and the endorsers, not their addresses', async () => {
    const { app } = appWith({
      endorse: () => Promise.reject(chaincodeEndorseError('record rec-1 already exists')),
    });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(409);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({
      type: 'urn:govfabric:problem:already-exists',
      title: 'Already exists',
      status: 409,
      detail: 'record rec-1 already exists',
      code: 'ALREADY_EXISTS',
      chaincodeStatus: 500,
      transactionId: 'tx-1',
      endorsers: [
        { mspId: 'ImmigrationMSP', message: 'chaincode response 500, record rec-1 already exists' },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('7051');
  });

  it('maps any other chaincode refusal to 400 CHAINCODE_REJECTED', async () => {
    const { app } = appWith({
      endorse: () => Promise.reject(chaincodeEndorseError('subjectRef must be pseudonymous')),
    });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(400);
    expect(res.body.error.code).toBe('CHAINCODE_REJECTED');
    expect(res.body.error.message).toBe('subjectRef must be pseudonymous');
  });

  it('maps an invalidated transaction (CommitError) to 409 with the validation code name', async () => {
    const { app } = appWith({
      status: async () => ({ blockNumber: 9n, code: 11, successful: false, transactionId: 'tx-1' }),
    });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(409);
    expect(res.body.error.code).toBe('TRANSACTION_INVALID');
    expect(res.body.error.details).toEqual({ transactionId: 'tx-1', validationCode: 'MVCC_READ_CONFLICT' });
    expect(res.body.error.message).toContain('MVCC_READ_CONFLICT');
  });

  it('answers UNAVAILABLE at submit as an unknown outcome: 202 with the transaction id to poll, never 503', async () => {
    const cause = serviceError(grpc.status.UNAVAILABLE, 'No connection established');
    const err = new SubmitError({
      code: cause.code,
      cause,
      details: [],
      transactionId: 'tx-1',
      message: cause.message,
    });
    const { app } = appWith({ submit: () => Promise.reject(err) });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(202);
    expect(res.body).toEqual({
      transactionId: 'tx-1',
      status: 'UNKNOWN',
      statusUrl: '/api/v1/transactions/tx-1',
      detail: 'the outcome of transaction tx-1 is not known yet; poll its status',
    });
    expect(res.headers.location).toBe('/api/v1/transactions/tx-1');
  });

  it('maps DEADLINE_EXCEEDED at endorse to 504', async () => {
    const cause = serviceError(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded');
    const err = new EndorseError({
      code: cause.code,
      cause,
      details: [],
      transactionId: 'tx-1',
      message: cause.message,
    });
    const { app } = appWith({ endorse: () => Promise.reject(err) });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(504);
    expect(res.body.error.code).toBe('PEER_TIMEOUT');
  });

  it('answers a commit status it cannot read (CommitStatusError) as unknown, without peer internals', async () => {
    const cause = serviceError(
      grpc.status.PERMISSION_DENIED,
      'access denied for peer0.immigration.egov.local',
    );
    const err = new CommitStatusError({
      code: cause.code,
      cause,
      details: [],
      transactionId: 'tx-1',
      message: cause.message,
    });
    const { app } = appWith({ status: () => Promise.reject(err) });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(202);
    expect(res.body).toMatchObject({ transactionId: 'tx-1', status: 'UNKNOWN' });
    expect(JSON.stringify(res.body)).not.toContain('peer0');
  });

  it('answers 202 SUBMITTED without waiting for the commit when asked (Prefer: respond-async)', async () => {
    let statusAsked = false;
    const { app, calls } = appWith({
      status: async () => {
        statusAsked = true;
        return { blockNumber: 7n, code: 0, successful: true, transactionId: 'tx-1' };
      },
    });
    const res = await request(app)
      .post('/api/v1/records')
      .set('Prefer', 'respond-async, wait=5')
      .send(validRecord)
      .expect(202);
    expect(res.body).toMatchObject({
      transactionId: 'tx-1',
      status: 'SUBMITTED',
      statusUrl: '/api/v1/transactions/tx-1',
    });
    expect([calls.submitted, statusAsked]).toEqual([1, false]);
  });

  it('retries a read conflict as a new transaction and says how many attempts it took', async () => {
    let commits = 0;
    const { app, calls } = appWith({
      status: async () => {
        commits += 1;
        return commits === 1
          ? { blockNumber: 7n, code: 11, successful: false, transactionId: 'tx-1' }
          : { blockNumber: 8n, code: 0, successful: true, transactionId: 'tx-1' };
      },
    });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(201);
    expect([res.body.blockNumber, res.headers['transaction-attempts'], calls.proposals.length]).toEqual([
      8,
      '2',
      2,
    ]);
  });

  it('still answers a refused endorsement as a definite failure under Prefer: respond-async', async () => {
    const { app, calls } = appWith({
      endorse: () => Promise.reject(chaincodeEndorseError('record rec-1 already exists')),
    });
    const res = await request(app).post('/api/v1/records').set('Prefer', 'respond-async').send(validRecord);
    expect([res.status, res.body.code, calls.submitted]).toEqual([409, 'ALREADY_EXISTS', 0]);
  });

  it('does not submit when the endorsed result is not what RegisterRecord returns (502)', async () => {
    const { app, calls } = appWith({ endorse: async () => Buffer.from('not json') });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(502);
    expect(res.body.error.code).toBe('BAD_CHAINCODE_RESPONSE');
    expect(calls.submitted).toBe(0);
  });

  it('answers 500 INTERNAL for an unexpected error without leaking it', async () => {
    const { app } = appWith({ endorse: () => Promise.reject(new TypeError('secret internal detail')) });
    const res = await request(app).post('/api/v1/records').send(validRecord).expect(500);
    expect(res.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });
});

describe('GET /api/v1/records/:id', () => {
  it('evaluates ledger GetRecord and returns the record', async () => {
    const record = { id: 'rec-1', status: 'ACTIVE', hash: HASH };
    const { app, calls } = appWith({ evaluate: async () => enc(record) });
    const res = await request(app).get('/api/v1/records/rec-1').expect(200);
    expect(res.body).toEqual(record);
    expect(calls.evaluated).toEqual([{ name: 'ledger:GetRecord', args: ['rec-1'] }]);
  });

  it('maps "does not exist" from the chaincode to 404', async () => {
    const { app } = appWith({
      evaluate: () => Promise.reject(chaincodeEvaluateError('record rec-9 does not exist')),
    });
    const res = await request(app).get('/api/v1/records/rec-9').expect(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'record rec-9 does not exist' });
  });

  it('refuses a malformed id with 400 before calling Fabric', async () => {
    const { app, calls } = appWith({ evaluate: async () => enc({}) });
    const res = await request(app).get('/api/v1/records/%20bad').expect(400);
    expect(res.body.error.details[0]).toMatchObject({ location: 'params', path: 'id' });
    expect(calls.evaluated).toHaveLength(0);
  });
});

describe('GET /api/v1/records/verify/:hash', () => {
  it('answers 200 with the chaincode verification when found, lower-casing the hash', async () => {
    const found = { found: true, id: 'rec-1', status: 'ACTIVE', issuerMsp: 'ImmigrationMSP' };
    const { app, calls } = appWith({ evaluate: async () => enc(found) });
    const res = await request(app).get(`/api/v1/records/verify/${HASH.toUpperCase()}`).expect(200);
    expect(res.body).toEqual(found);
    expect(calls.evaluated).toEqual([{ name: 'ledger:VerifyHash', args: [HASH] }]);
  });

  it('answers 404 {found: false} for an unknown hash', async () => {
    const { app } = appWith({ evaluate: async () => enc({ found: false }) });
    const res = await request(app).get(`/api/v1/records/verify/${HASH}`).expect(404);
    expect(res.body).toEqual({ found: false, hash: HASH });
  });

  it.each(['abc', 'zz'.repeat(32), 'ab'.repeat(33)])(
    'refuses malformed hash %s with 400 before calling Fabric',
    async (hash) => {
      const { app, calls } = appWith({ evaluate: async () => enc({ found: false }) });
      const res = await request(app).get(`/api/v1/records/verify/${hash}`).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details[0].path).toBe('hash');
      expect(calls.evaluated).toHaveLength(0);
    },
  );
});

describe('health and plumbing', () => {
  const ok = { component: 'peer', check: async () => undefined };
  const down = {
    component: 'chaincode egov',
    check: async () => Promise.reject(new Error('connection refused')),
  };

  it('/healthz answers 200 when liveness checks pass and ignores readiness checks', async () => {
    const { app } = appWith({}, { health: { liveness: [ok], readiness: [down] } });
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body.status).toBe('OK');
  });

  it('/readyz answers 200 with the facts its checks found (the channel height)', async () => {
    const height = { component: 'channel egov', check: async () => ({ height: '42' }) };
    const { app } = appWith({}, { health: { liveness: [ok], readiness: [height] } });
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toMatchObject({ status: 'OK', checks: { 'channel egov': { height: '42' } } });
    expect((await request(app).get('/healthz').expect(200)).body.checks).toBeUndefined();
  });

  it('/readyz answers 503 listing the failed checks', async () => {
    const { app } = appWith({}, { health: { liveness: [ok], readiness: [down] } });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.failed_checks).toEqual([{ component: 'chaincode egov', reason: 'connection refused' }]);
  });

  it('/readyz answers 503 while shutting down, and a hung check times out', async () => {
    const hung = { component: 'peer', check: () => new Promise<void>(() => undefined) };
    const { app } = appWith(
      {},
      { health: { liveness: [hung], readiness: [], isShuttingDown: () => true, checkTimeoutMs: 50 } },
    );
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.failed_checks).toEqual([
      { component: 'gateway', reason: 'shutting down' },
      { component: 'peer', reason: 'health check timed out after 50 ms' },
    ]);
  });

  it('echoes an acceptable X-Request-Id and generates one otherwise', async () => {
    const { app } = appWith();
    const given = await request(app).get('/healthz').set('X-Request-Id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const generated = await request(app)
      .get('/healthz')
      .set('X-Request-Id', 'bad id with spaces')
      .expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 ROUTE_NOT_FOUND as JSON for unknown routes', async () => {
    const { app } = appWith();
    const res = await request(app).get('/api/v2/nothing').expect(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('logs request ids and error codes but never payload values', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const fake = fakeContract({
      endorse: () => Promise.reject(chaincodeEndorseError('record rec-1 already exists')),
    });
    const logger = pino({ level: 'debug' }, sink);
    const app = createApp({
      records: new ChaincodeRecordsService(new FabricChaincodeClient(fake.contract, logger)),
      logger,
    });
    const secret = { ...validRecord, payload: { passportNumber: 'P-SECRET-4711' } };
    await request(app).post('/api/v1/records').set('X-Request-Id', 'req-42').send(secret).expect(409);
    const log = lines.join('');
    const completion = lines.map((line) => JSON.parse(line)).find((entry) => entry.req?.id === 'req-42');
    expect(completion).toMatchObject({
      res: { statusCode: 409 },
      errorCode: 'ALREADY_EXISTS',
      cause: { type: 'EndorseError' },
      transactionId: 'tx-1',
    });
    expect(log).not.toContain('P-SECRET-4711');
    expect(log).not.toContain('passportNumber');
  });
});
