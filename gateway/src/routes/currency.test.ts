import * as grpc from '@grpc/grpc-js';
import { EndorseError } from '@hyperledger/fabric-gateway';
import pino from 'pino';
import request from 'supertest';
import { accountsCollection } from 'egov/dist/model/token';
import { createApp } from '../app';
import type { ChaincodeClient } from '../chaincode/client';
import type { RecordsService } from '../records/service';

const TX = 'c'.repeat(64);
const CITIZEN = 'citizen:EducationMSP:psn-0123456789abcdef';
const CITIZEN2 = 'citizen:EducationMSP:psn-fedcba9876543210';
const HEALTH_CITIZEN = 'citizen:HealthMSP:psn-0123456789abcdef';

interface Call {
  kind: 'evaluate' | 'submit';
  transaction: string;
  args: readonly string[];
  transient?: Record<string, unknown>;
  endorsers?: readonly string[];
}

/**
 * What fabric-gateway throws when every endorser's chaincode refused the proposal with `message`
 * (Fabric's gateway reports it as `chaincode response 500, <message>` in each endorser's detail).
 */
function chaincodeRefusal(message: string): EndorseError {
  const cause = Object.assign(new Error('10 ABORTED: failed to endorse transaction'), {
    code: grpc.status.ABORTED,
    details: 'failed to endorse transaction',
    metadata: new grpc.Metadata(),
  });
  return new EndorseError({
    code: grpc.status.ABORTED,
    cause,
    message: cause.message,
    transactionId: TX,
    details: [
      { address: 'peer0:8051', mspId: 'EducationMSP', message: `chaincode response 500, ${message}` },
    ],
  });
}

/**
 * The app of a gateway of `mspId` over a fake user client that records its calls; `refuse` makes
 * every submit fail as the chaincode's refusal with that message.
 */
function app(mspId = 'EducationMSP', refuse?: string) {
  const calls: Call[] = [];
  const user: ChaincodeClient = {
    evaluate: async (transaction, args = []) => {
      calls.push({ kind: 'evaluate', transaction, args });
      return { ok: true };
    },
    submit: async (transaction, args = [], transient, _shape, endorsers) => {
      calls.push({ kind: 'submit', transaction, args, transient, endorsers });
      if (refuse !== undefined) throw chaincodeRefusal(refuse);
      return { result: { movements: [] }, transactionId: TX, blockNumber: 7 };
    },
  };
  const records = {} as RecordsService;
  return {
    app: createApp({ records, chaincode: { user }, mspId, logger: pino({ level: 'silent' }) }),
    calls,
  };
}

/** A valid `POST /conversions` body with `fields` changed. */
function conversion(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { direction: 'IN', quote: 'USD', amount: '1000', reference: 'fx:2026/12-0042', ...fields };
}

describe('currency routes', () => {
  it('names a ministry collection as network-config does (pinned on both sides)', () => {
    expect(accountsCollection('EducationMSP')).toBe('accountsEducationMSP');
  });

  it.each([
    ['/api/v1/currency', 'token:GetCurrency', []],
    [
      '/api/v1/currency/accounts/treasury:EducationMSP/balance',
      'token:GetBalance',
      ['treasury:EducationMSP'],
    ],
    [
      '/api/v1/currency/accounts/treasury:EducationMSP/movements?pageSize=5&bookmark=k',
      'token:ListMovements',
      ['treasury:EducationMSP', '5', 'k'],
    ],
    [`/api/v1/currency/accounts/${CITIZEN}/balance`, 'token:GetPrivateBalance', [CITIZEN]],
    [`/api/v1/currency/accounts/${CITIZEN}/movements`, 'token:ListPrivateMovements', [CITIZEN, '20', '']],
    [`/api/v1/currency/movements/${TX}.0000001`, 'token:GetMovement', [`${TX}.0000001`]],
    [
      '/api/v1/currency/allowances?owner=treasury:EducationMSP&spender=treasury:HealthMSP',
      'token:GetAllowance',
      ['treasury:EducationMSP', 'treasury:HealthMSP'],
    ],
    ['/api/v1/currency/rates/USD?at=2026-01-01T00:00:00Z', 'token:GetRate', ['USD', '2026-01-01T00:00:00Z']],
    [`/api/v1/currency/conversions/${TX}`, 'token:GetConversion', [TX]],
  ])('GET %s evaluates %s', async (url, transaction, args) => {
    const { app: a, calls } = app();
    const res = await request(a).get(url).set('authorization', 'Bearer t');
    expect(res.status).toBe(200);
    expect(calls).toEqual([{ kind: 'evaluate', transaction, args }]);
  });

  it.each([
    ['/api/v1/currency/mint', { amount: '1000' }, 'token:Mint', ['1000', '', '']],
    [
      '/api/v1/currency/mint',
      { amount: '5', to: 'treasury:EducationMSP', memo: 'budget' },
      'token:Mint',
      ['5', 'treasury:EducationMSP', 'budget'],
    ],
    ['/api/v1/currency/burn', { amount: '7' }, 'token:Burn', ['7', '']],
    [
      '/api/v1/currency/transfers',
      { from: 'treasury:EducationMSP', to: 'treasury:HealthMSP', amount: '12', memo: 'grant' },
      'token:Transfer',
      ['treasury:EducationMSP', 'treasury:HealthMSP', '12', 'grant'],
    ],
    [
      '/api/v1/currency/allowances',
      { owner: 'treasury:EducationMSP', spender: 'treasury:HealthMSP', amount: '30' },
      'token:Approve',
      ['treasury:EducationMSP', 'treasury:HealthMSP', '30'],
    ],
    [
      '/api/v1/currency/transfer-from',
      {
        spender: 'treasury:HealthMSP',
        owner: 'treasury:EducationMSP',
        to: 'treasury:HealthMSP',
        amount: '3',
      },
      'token:TransferFrom',
      ['treasury:HealthMSP', 'treasury:EducationMSP', 'treasury:HealthMSP', '3', ''],
    ],
    [
      '/api/v1/currency/rates',
      { quote: 'USD', rate: '0.000245', quoteMinorUnits: 2 },
      'token:PublishRate',
      ['USD', '0.000245', '2'],
    ],
    [
      '/api/v1/currency/conversions',
      { direction: 'IN', quote: 'USD', amount: '10000', reference: 'swift-123' },
      'token:RecordConversion',
      [JSON.stringify({ direction: 'IN', quote: 'USD', amount: '10000', reference: 'swift-123' })],
    ],
  ])('POST %s submits %s with public arguments', async (url, body, transaction, args) => {
    const { app: a, calls } = app();
    const res = await request(a).post(url).set('authorization', 'Bearer t').send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ transactionId: TX, blockNumber: 7 });
    expect(calls).toEqual([
      { kind: 'submit', transaction, args, transient: undefined, endorsers: undefined },
    ]);
  });

  it('sends a transfer between two citizens of one ministry in the transient map, endorsed by its own peer', async () => {
    const { app: a, calls } = app();
    const body = { from: CITIZEN, to: CITIZEN2, amount: '250' };
    const res = await request(a)
      .post('/api/v1/currency/transfers')
      .set('authorization', 'Bearer t')
      .send(body);
    expect(res.status).toBe(201);
    expect(calls).toEqual([
      {
        kind: 'submit',
        transaction: 'token:PrivateTransfer',
        args: [],
        transient: { token: body, salt: expect.any(Buffer) },
        endorsers: ['EducationMSP'],
      },
    ]);
  });

  it('lets the central bank operate any ministry’s citizens’ accounts, and no other ministry', async () => {
    const body = { from: CITIZEN, amount: '40', payTo: 'treasury:CentralBankMSP' };
    const bank = app('CentralBankMSP');
    const ok = await request(bank.app)
      .post('/api/v1/currency/withdrawals')
      .set('authorization', 'Bearer t')
      .send(body);
    expect(ok.status).toBe(201);
    expect(bank.calls[0]).toMatchObject({
      transaction: 'token:Withdraw',
      args: [],
      endorsers: ['CentralBankMSP'],
    });
    expect(bank.calls[0].transient?.token).toMatchObject({
      ...body,
      salt: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The answer carries the voucher that POST /redemptions takes, opened by the salt that was sent.
    expect(ok.body.voucher).toEqual({
      id: ok.body.transactionId,
      mspId: 'EducationMSP',
      amount: '40',
      payTo: 'treasury:CentralBankMSP',
      salt: (bank.calls[0].transient?.token as { salt: string }).salt,
    });

    const health = app('HealthMSP');
    const refused = await request(health.app)
      .post('/api/v1/currency/withdrawals')
      .set('authorization', 'Bearer t')
      .send(body);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe(
      `account ${CITIZEN} is kept in accountsEducationMSP, held by EducationMSP and CentralBankMSP only; this gateway serves HealthMSP`,
    );
    const read = await request(health.app)
      .get(`/api/v1/currency/accounts/${CITIZEN}/movements`)
      .set('authorization', 'Bearer t');
    expect(read.status).toBe(403);
    expect(health.calls).toEqual([]);
  });

  it('deposits behind a salted commitment and claims with the salt, privately', async () => {
    const { app: a, calls } = app();
    const res = await request(a)
      .post('/api/v1/currency/deposits')
      .set('authorization', 'Bearer t')
      .send({ from: 'treasury:EducationMSP', to: CITIZEN, amount: '90' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ depositId: TX, salt: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [deposit] = calls;
    expect(deposit).toMatchObject({ transaction: 'token:Deposit', transient: undefined });
    expect(deposit.args.slice(0, 3)).toEqual(['treasury:EducationMSP', 'EducationMSP', '90']);
    expect(deposit.args[3]).toMatch(/^[0-9a-f]{64}$/);
    // The account never appears in the public arguments.
    expect(deposit.args.join(' ')).not.toContain('psn-');

    const claim = await request(a)
      .post(`/api/v1/currency/deposits/${TX}/claim`)
      .set('authorization', 'Bearer t')
      .send({ accountId: CITIZEN, salt: res.body.salt });
    expect(claim.status).toBe(201);
    expect(calls[1]).toEqual({
      kind: 'submit',
      transaction: 'token:Claim',
      args: [],
      transient: {
        token: { depositId: TX, accountId: CITIZEN, salt: res.body.salt },
        salt: expect.any(Buffer),
      },
      endorsers: ['EducationMSP'],
    });
  });

  it.each([
    ['/api/v1/currency/mint', { amount: '-5' }, /amount/],
    ['/api/v1/currency/mint', { amount: '01' }, /amount/],
    ['/api/v1/currency/mint', { amount: 5 }, /amount/],
    ['/api/v1/currency/transfers', { from: 'alice', to: 'treasury:HealthMSP', amount: '1' }, /from/],
    [
      '/api/v1/currency/transfers',
      { from: CITIZEN, to: 'treasury:HealthMSP', amount: '1' },
      /mixes collections/,
    ],
    ['/api/v1/currency/transfers', { from: CITIZEN, to: HEALTH_CITIZEN, amount: '1' }, /mixes collections/],
    [
      '/api/v1/currency/deposits',
      { from: 'treasury:HealthMSP', to: 'treasury:EducationMSP', amount: '1' },
      /public account/,
    ],
    ['/api/v1/currency/rates', { quote: 'usd', rate: '1', quoteMinorUnits: 2 }, /quote/],
    ['/api/v1/currency/burn', { amount: '1', extra: true }, /extra/],
    // The memo as the chaincode checks it (MEMO_PATTERN): no control characters.
    ['/api/v1/currency/burn', { amount: '1', memo: 'two\nlines' }, /memo.*printable/],
    ['/api/v1/currency/mint', { amount: '1', memo: 'x'.repeat(201) }, /memo/],
    // The conversion's reference as the chaincode checks it (CONVERSION_REFERENCE_PATTERN).
    ['/api/v1/currency/conversions', conversion({ reference: 'invoice 42' }), /reference.*1-128 characters/],
    ['/api/v1/currency/conversions', conversion({ reference: '-42' }), /reference/],
    ['/api/v1/currency/conversions', conversion({ reference: 'x'.repeat(129) }), /reference/],
    ['/api/v1/currency/conversions', conversion({ reference: '' }), /reference/],
    ['/api/v1/currency/conversions', conversion({ reference: 42 }), /reference/],
    ['/api/v1/currency/conversions', conversion({ amount: '0' }), /amount.*at least 1 minor unit/],
    ['/api/v1/currency/conversions', conversion({ accountId: CITIZEN }), /accountId.*public account/],
  ])('refuses POST %s %j with a 400 naming what is wrong, submitting nothing', async (url, body, detail) => {
    const { app: a, calls } = app();
    const res = await request(a).post(url).set('authorization', 'Bearer t').send(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(detail);
    expect(calls).toEqual([]);
  });
  it('submits a conversion whose reference the chaincode accepts', async () => {
    const { app: a, calls } = app();
    const body = conversion({ accountId: 'treasury:EducationMSP' });
    const res = await request(a)
      .post('/api/v1/currency/conversions')
      .set('authorization', 'Bearer t')
      .send(body);
    expect(res.status).toBe(201);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ kind: 'submit', transaction: 'token:RecordConversion' });
    expect(JSON.parse(calls[0].args[0])).toEqual(body);
  });

  it.each([
    [
      'a deposit claimed again',
      `/api/v1/currency/deposits/${TX}/claim`,
      { accountId: CITIZEN, salt: 'a'.repeat(64) },
      `deposit ${TX} was already claimed`,
    ],
    [
      'a voucher redeemed again',
      '/api/v1/currency/redemptions',
      {
        voucher: {
          id: TX,
          mspId: 'EducationMSP',
          amount: '400',
          payTo: 'treasury:HealthMSP',
          salt: 'b'.repeat(64),
        },
      },
      `voucher ${TX} of EducationMSP was already redeemed`,
    ],
  ])("answers %s with 409 ALREADY_USED and the chaincode's message", async (_what, url, body, message) => {
    const { app: a } = app('EducationMSP', message);
    const res = await request(a).post(url).set('authorization', 'Bearer t').send(body);
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({
      type: 'urn:govfabric:problem:already-used',
      title: 'Already used',
      status: 409,
      code: 'ALREADY_USED',
      detail: message,
      transactionId: TX,
    });
  });
});
