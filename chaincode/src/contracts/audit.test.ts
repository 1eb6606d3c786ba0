import '../testing/quiet-logs';
import { InvalidArgumentError, LimitExceededError, NotFoundError } from '../lib/errors';
import { auditEntryKey } from '../lib/keys';
import { MAX_TRAIL_ENTRIES } from '../lib/trail';
import { ContractHarness } from '../testing/harness';
import { ministryIdentities, type TestIdentity } from '../testing/identities';
import { AuditContract } from './audit';
import { LedgerContract } from './ledger';
import { SchemasContract } from './schemas';

const recordInput = {
  id: 'IMM-77',
  category: 'G2C',
  recordType: 'immigration.residence-permit',
  subjectRef: 'psn:0123456789abcdef0123',
  payload: { permit: 'B', validUntil: '2030-01-01' },
};

describe('audit contract', () => {
  const audit = new AuditContract();
  const ledger = new LedgerContract();
  let issuer: TestIdentity;
  let auditor: TestIdentity;

  beforeAll(async () => {
    // the ministry's root admin registers the record type's schema and issues records
    issuer = (await ministryIdentities('ImmigrationMSP')).admin;
    auditor = (await ministryIdentities('HealthMSP')).client;
  });

  /** A harness holding the registered record IMM-77. */
  async function withRecord(): Promise<{ h: ContractHarness; registeredTx: string }> {
    // one second earlier: the schema's transaction comes first, later times stay as they were
    const h = new ContractHarness(new Date('2025-03-01T08:59:59.000Z'));
    await h.run(issuer, (ctx) =>
      new SchemasContract().RegisterSchema(
        ctx,
        recordInput.recordType,
        JSON.stringify({ schema: { type: 'object' } }),
      ),
    );
    const { txId } = await h.run(issuer, (ctx) => ledger.RegisterRecord(ctx, JSON.stringify(recordInput)));
    return { h, registeredTx: txId };
  }

  it('is named "audit"', () => {
    expect(audit.getName()).toBe('audit');
  });

  describe('OpenCase', () => {
    it('stores an OPEN case whose id is the transaction id, appends to the trail and emits AuditCaseOpened', async () => {
      const { h } = await withRecord();
      const opened = await h.run(auditor, (ctx) =>
        audit.OpenCase(ctx, 'IMM-77', 'permit issued without interview'),
      );
      expect(JSON.parse(opened.result)).toEqual({
        caseId: opened.txId,
        recordId: 'IMM-77',
        status: 'OPEN',
        txId: opened.txId,
      });
      expect(h.stateJson(opened.stub.createCompositeKey('auditcase', [opened.txId]))).toEqual({
        docType: 'auditCase',
        id: opened.txId,
        recordId: 'IMM-77',
        reason: 'permit issued without interview',
        status: 'OPEN',
        openedByMsp: 'HealthMSP',
        openedBy: expect.stringMatching(/^x509::.*CN=User1@health\.egov\.local::/),
        openedAt: '2025-03-01T09:00:02.000Z',
        txId: opened.txId,
      });
      expect(opened.event?.name).toBe('AuditCaseOpened');
      expect(JSON.parse(Buffer.from(opened.event!.payload).toString())).toEqual({
        caseId: opened.txId,
        recordId: 'IMM-77',
        status: 'OPEN',
      });

      const read = await h.run(auditor, (ctx) => audit.GetCase(ctx, opened.txId));
      expect(JSON.parse(read.result)).toMatchObject({
        id: opened.txId,
        reason: 'permit issued without interview',
      });
    });

    it('refuses a case about a record that does not exist', async () => {
      const h = new ContractHarness();
      await expect(h.run(auditor, (ctx) => audit.OpenCase(ctx, 'IMM-1', 'why'))).rejects.toThrow(
        new NotFoundError('record IMM-1 does not exist'),
      );
      expect(h.world.state.size).toBe(0);
    });

    it.each([
      ['an empty reason', '  ', 'reason is missing'],
      [
        'a reason with a line break',
        'a\nb',
        'reason must not contain control characters (line breaks, tabs)',
      ],
      ['an over-long reason', 'x'.repeat(1001), 'reason is 1001 characters; at most 1000 are allowed'],
    ])('refuses %s', async (_name, reason, message) => {
      const { h } = await withRecord();
      await expect(h.run(auditor, (ctx) => audit.OpenCase(ctx, 'IMM-77', reason))).rejects.toThrow(
        new InvalidArgumentError(message),
      );
    });
  });

  describe('GetTrail', () => {
    it('returns registration and case entries oldest first', async () => {
      const { h, registeredTx } = await withRecord();
      const first = await h.run(auditor, (ctx) => audit.OpenCase(ctx, 'IMM-77', 'first inquiry'));
      const second = await h.run(auditor, (ctx) => audit.OpenCase(ctx, 'IMM-77', 'second inquiry'));
      const { result } = await h.run(auditor, (ctx) => audit.GetTrail(ctx, 'IMM-77'));
      const trail = JSON.parse(result);
      expect(trail.map((e: { action: string; txId: string }) => [e.action, e.txId])).toEqual([
        ['RECORD_REGISTERED', registeredTx],
        ['AUDIT_CASE_OPENED', first.txId],
        ['AUDIT_CASE_OPENED', second.txId],
      ]);
      expect(trail[0]).toMatchObject({ recordId: 'IMM-77', actorMsp: 'ImmigrationMSP', status: 'ACTIVE' });
      expect(trail[2]).toMatchObject({
        caseId: second.txId,
        actorMsp: 'HealthMSP',
        at: '2025-03-01T09:00:03.000Z',
      });
    });

    it('does not mix in the trail of a record whose id starts the same (IMM-77 vs IMM-770)', async () => {
      const { h } = await withRecord();
      await h.run(issuer, (ctx) =>
        ledger.RegisterRecord(ctx, JSON.stringify({ ...recordInput, id: 'IMM-770' })),
      );
      const { result } = await h.run(auditor, (ctx) => audit.GetTrail(ctx, 'IMM-77'));
      expect(JSON.parse(result)).toHaveLength(1);
    });

    it('says "record X does not exist" for an unknown record', async () => {
      const h = new ContractHarness();
      await expect(h.run(auditor, (ctx) => audit.GetTrail(ctx, 'IMM-0'))).rejects.toThrow(
        'record IMM-0 does not exist',
      );
    });

    it(`refuses a trail longer than ${MAX_TRAIL_ENTRIES} entries rather than cutting it`, async () => {
      const { h } = await withRecord();
      await h.run(issuer, async (ctx) => {
        for (let i = 0; i < MAX_TRAIL_ENTRIES; i++) {
          const txId = `filler-${String(i).padStart(5, '0')}`;
          await ctx.stub.putState(
            auditEntryKey(ctx, 'IMM-77', txId),
            Buffer.from(JSON.stringify({ docType: 'auditEntry', txId, at: 'x' })),
          );
        }
        return '';
      });
      await expect(h.run(auditor, (ctx) => audit.GetTrail(ctx, 'IMM-77'))).rejects.toThrow(
        LimitExceededError,
      );
    });
  });

  it('GetCase says "audit case X does not exist" and refuses a malformed case id', async () => {
    const h = new ContractHarness();
    const missing = 'e'.repeat(64);
    await expect(h.run(auditor, (ctx) => audit.GetCase(ctx, missing))).rejects.toThrow(
      `audit case ${missing} does not exist`,
    );
    await expect(h.run(auditor, (ctx) => audit.GetCase(ctx, 'CASE-1'))).rejects.toThrow(
      'caseId must be a transaction id: 64 lower-case hex characters',
    );
  });
});
