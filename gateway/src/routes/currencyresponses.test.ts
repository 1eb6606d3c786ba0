import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import type { ChaincodeClient } from '../chaincode/client';
import type { RecordsService } from '../records/service';

// The currency routes' success bodies against their described schemas (api/responses.ts), with the
// app's response check on: a fake token contract answers what egov's does (model/token).

const TX = 'c'.repeat(64);
const AT = '2026-01-01T00:00:00.000Z';
const CITIZEN = 'citizen:EducationMSP:psn-0123456789abcdef';
const CITIZEN2 = 'citizen:EducationMSP:psn-fedcba9876543210';

const movement = {
  docType: 'movement',
  id: `${TX}.0000000`,
  kind: 'MINT',
  currency: 'KHR',
  amount: '1000',
  to: 'treasury:CentralBankMSP',
  by: 'x509::CN=User1::CN=ca',
  byMsp: 'CentralBankMSP',
  at: AT,
  txId: TX,
};
const moved = { txId: TX, movements: [movement] };
const allowance = {
  docType: 'allowance',
  currency: 'KHR',
  owner: 'treasury:EducationMSP',
  spender: 'treasury:HealthMSP',
  amount: '30',
};
const rate = {
  docType: 'rate',
  base: 'KHR',
  quote: 'USD',
  rate: '0.000245',
  quoteMinorUnits: 2,
  seq: 1,
  at: AT,
  txId: TX,
};
const conversion = {
  docType: 'conversion',
  id: TX,
  direction: 'IN',
  base: 'KHR',
  quote: 'USD',
  rateSeq: 1,
  rate: '0.000245',
  amountIn: '10000',
  amountOut: '40816326',
  reference: 'swift-123',
  by: 'x509::CN=User1::CN=ca',
  at: AT,
  txId: TX,
};
const balance = {
  accountId: 'treasury:EducationMSP',
  currency: 'KHR',
  balance: '10',
  outputs: 1,
  complete: true,
};

/** What egov's token contract answers, by transaction. */
const ANSWERS: Record<string, unknown> = {
  'token:GetCurrency': {
    policy: { code: 'KHR', minorUnits: 2, maxSupply: '1000000000' },
    minted: '1000',
    burned: '0',
    outstanding: '1000',
  },
  'token:Mint': moved,
  'token:Burn': moved,
  'token:Transfer': moved,
  'token:TransferFrom': moved,
  'token:Consolidate': moved,
  'token:Redeem': moved,
  'token:PrivateTransfer': { txId: TX },
  'token:Claim': { txId: TX },
  'token:Withdraw': { txId: TX, voucherId: TX },
  'token:Deposit': { txId: TX, depositId: TX, movements: [movement] },
  'token:Approve': { ...allowance, at: AT, txId: TX },
  'token:GetAllowance': allowance,
  'token:GetBalance': balance,
  'token:GetPrivateBalance': { ...balance, accountId: CITIZEN },
  'token:ListMovements': { items: [movement], bookmark: '' },
  'token:ListPrivateMovements': { items: [], bookmark: '' },
  'token:GetMovement': movement,
  'token:PublishRate': rate,
  'token:GetRate': rate,
  'token:RecordConversion': conversion,
  'token:GetConversion': conversion,
};

/** The app (response check on) over a fake token contract answering `answers`. */
function app(answers: Record<string, unknown> = ANSWERS) {
  const user: ChaincodeClient = {
    evaluate: async (transaction) => answers[transaction],
    submit: async (transaction) => ({ result: answers[transaction], transactionId: TX, blockNumber: 7 }),
  };
  return createApp({
    records: {} as RecordsService,
    chaincode: { user },
    mspId: 'EducationMSP',
    checkResponses: true,
    logger: pino({ level: 'silent' }),
  });
}

const voucher = {
  id: TX,
  mspId: 'EducationMSP',
  amount: '40',
  payTo: 'treasury:HealthMSP',
  salt: 'ab'.repeat(16),
};

describe('currency routes: success bodies as described', () => {
  it.each([
    '/api/v1/currency',
    '/api/v1/currency/accounts/treasury:EducationMSP/balance',
    `/api/v1/currency/accounts/${CITIZEN}/balance`,
    '/api/v1/currency/accounts/treasury:EducationMSP/movements',
    `/api/v1/currency/accounts/${CITIZEN}/movements`,
    `/api/v1/currency/movements/${TX}.0000000`,
    '/api/v1/currency/allowances?owner=treasury:EducationMSP&spender=treasury:HealthMSP',
    '/api/v1/currency/rates/USD',
    `/api/v1/currency/conversions/${TX}`,
  ])('GET %s', async (url) => {
    const res = await request(app()).get(url);
    expect([res.status, res.body.detail]).toEqual([200, undefined]);
  });

  it.each([
    ['/api/v1/currency/mint', { amount: '1000' }],
    ['/api/v1/currency/burn', { amount: '7' }],
    ['/api/v1/currency/transfers', { from: 'treasury:EducationMSP', to: 'treasury:HealthMSP', amount: '12' }],
    ['/api/v1/currency/transfers', { from: CITIZEN, to: CITIZEN2, amount: '12' }],
    [
      '/api/v1/currency/allowances',
      { owner: 'treasury:EducationMSP', spender: 'treasury:HealthMSP', amount: '30' },
    ],
    [
      '/api/v1/currency/transfer-from',
      {
        spender: 'treasury:HealthMSP',
        owner: 'treasury:EducationMSP',
        to: 'treasury:HealthMSP',
        amount: '3',
      },
    ],
    ['/api/v1/currency/deposits', { from: 'treasury:EducationMSP', to: CITIZEN, amount: '40' }],
    [`/api/v1/currency/deposits/${TX}/claim`, { accountId: CITIZEN, salt: 'ab'.repeat(16) }],
    ['/api/v1/currency/withdrawals', { from: CITIZEN, amount: '40', payTo: 'treasury:HealthMSP' }],
    ['/api/v1/currency/redemptions', { voucher }],
    ['/api/v1/currency/rates', { quote: 'USD', rate: '0.000245', quoteMinorUnits: 2 }],
    [
      '/api/v1/currency/conversions',
      { direction: 'IN', quote: 'USD', amount: '10000', reference: 'swift-123' },
    ],
  ])('POST %s %j', async (url, body) => {
    const res = await request(app()).post(url).send(body);
    expect([res.status, res.body.detail]).toEqual([201, undefined]);
    expect(res.body).toMatchObject({ transactionId: TX, blockNumber: 7 });
  });

  it('POST /accounts/:accountId/consolidate', async () => {
    const res = await request(app()).post('/api/v1/currency/accounts/treasury:EducationMSP/consolidate');
    expect([res.status, res.body.movements]).toEqual([200, [movement]]);
  });

  it('are specific: an answer of another shape fails the check, naming the field', async () => {
    const wrong = app({ ...ANSWERS, 'token:GetBalance': { ...balance, balance: 10 } });
    const res = await request(wrong).get('/api/v1/currency/accounts/treasury:EducationMSP/balance');
    expect(res.status).toBe(500);
    expect(res.body.detail).toMatch(/GET \/api\/v1\/currency\/accounts\/:accountId\/balance .*balance/);
    const noMovements = app({ ...ANSWERS, 'token:Mint': { txId: TX } });
    const minted = await request(noMovements).post('/api/v1/currency/mint').send({ amount: '1' });
    expect(minted.status).toBe(500);
    expect(minted.body.detail).toMatch(/movements/);
  });
});
