import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { TransactionLookup, TransactionStatus } from '../fabric/transactions';
import { RecordsService } from '../records/service';

const TX = 'c'.repeat(64);
const records = {} as RecordsService;

function appWith(known: Record<string, TransactionStatus>) {
  const asked: string[] = [];
  const transactions: TransactionLookup = {
    lookup: async (id) => {
      asked.push(id);
      return known[id];
    },
  };
  return { app: createApp({ records, transactions, logger: pino({ level: 'silent' }) }), asked };
}

describe('GET /api/v1/transactions/:txId', () => {
  it("answers the ledger's status of a committed transaction", async () => {
    const status = { transactionId: TX, valid: false, validationCode: 'MVCC_READ_CONFLICT', blockNumber: 12 };
    const { app } = appWith({ [TX]: status });
    const res = await request(app).get(`/api/v1/transactions/${TX}`).expect(200);
    expect(res.body).toEqual(status);
  });

  it('answers 404 with the id while the ledger does not hold it', async () => {
    const { app } = appWith({});
    const res = await request(app).get(`/api/v1/transactions/${TX}`).expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', transactionId: TX });
    expect(res.body.detail).toMatch(/poll again/);
  });

  it.each(['tx-1', 'C'.repeat(64), 'c'.repeat(63)])(
    'refuses the id %s with 400 before asking the ledger',
    async (id) => {
      const { app, asked } = appWith({});
      const res = await request(app).get(`/api/v1/transactions/${id}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(asked).toEqual([]);
    },
  );
});
