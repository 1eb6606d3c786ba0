import '../testing/quiet-logs';
import { AlreadyExistsError, InsufficientFundsError, InvalidArgumentError } from '../lib/errors';
import { payAuditRewards } from '../lib/token-rewards';
import { officerAccountId, TRANSIENT_TOKEN_KEY } from '../model/token';
import { GovernanceDriver, ruleContent, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { ministryIdentities, type TestIdentity } from '../testing/identities';
import { AuditContract } from './audit';
import { LedgerContract } from './ledger';
import { SchemasContract } from './schemas';
import { TokenContract } from './token';

const CURRENCY = { code: 'KHR', minorUnits: 2, maxSupply: '100000000' };
const CB = 'treasury:CentralBankMSP';
const EDU = 'treasury:EducationMSP';
const FEE = { amount: '250', currency: 'KHR' };
const REWARD = { amount: '40', currency: 'KHR' };

/** Service fees on registration and auditor rewards on confirmation, through the ledger and audit contracts. */
describe('currency services: fees and auditor rewards', () => {
  const token = new TokenContract();
  const ledger = new LedgerContract();
  const audit = new AuditContract();
  let m: TestMinistries;
  let cb: { admin: TestIdentity; client: TestIdentity };
  let h: ContractHarness;
  let d: GovernanceDriver;
  let n = 0;

  beforeAll(async () => {
    m = await threeMinistries();
    cb = await ministryIdentities('CentralBankMSP');
  });

  beforeEach(async () => {
    h = new ContractHarness();
    d = new GovernanceDriver(h, m);
    await d.registerAll();
    await d.enactLawAndArticle();
    await d.enact('setting', { name: 'currency', value: CURRENCY });
    await h.run(m.edu.admin, (ctx) =>
      new SchemasContract().RegisterSchema(
        ctx,
        'education.credential',
        JSON.stringify({ schema: { type: 'object' } }),
      ),
    );
    await h.run(cb.admin, (ctx) => token.Mint(ctx, '100000', '', ''));
  });

  const parse = (out: { result: string }) => JSON.parse(out.result);
  const balance = async (account: string) =>
    parse(await h.run(m.imm.client, (ctx) => token.GetBalance(ctx, account))).balance as string;
  const fund = (account: string, amount: string) =>
    h.run(cb.admin, (ctx) => token.Transfer(ctx, CB, account, amount, 'funding'));
  const register = (extra: object = {}) => {
    const id = `EDU-${++n}`;
    const record = {
      id,
      category: 'G2C',
      recordType: 'education.credential',
      subjectRef: 'psn:0123456789abcdef0123',
      payload: { degree: 'MSc', no: id },
      ...extra,
    };
    return h.run(m.edu.admin, (ctx) => ledger.RegisterRecord(ctx, JSON.stringify(record)));
  };

  describe('service fees', () => {
    beforeEach(async () => {
      await d.enact('rule', ruleContent({ condition: undefined, fee: FEE }));
    });

    it('charges the issuer’s treasury in the registration transaction', async () => {
      await fund(EDU, '600');
      const out = parse(await register());
      expect(out.fees).toEqual([
        expect.objectContaining({
          kind: 'FEE',
          amount: '250',
          from: EDU,
          to: CB,
          ref: out.id,
          txId: out.txId,
        }),
      ]);
      expect(await balance(EDU)).toBe('350');
      expect(await balance(CB)).toBe('99650');
    });

    it('refuses the registration, changing nothing, when the treasury is short', async () => {
      await fund(EDU, '100');
      const before = h.world.snapshot();
      await expect(register()).rejects.toThrow(
        new InsufficientFundsError(
          `insufficient funds in account ${EDU}: 250 KHR minor units are needed for the fee of record EDU-${n} (rule R1: 250), it holds 100: short by 150`,
        ),
      );
      expect(h.world.snapshot()).toEqual(before);
    });

    it('charges the applicant’s account named in the request, or a citizen’s voucher for exactly the fee', async () => {
      const officer = officerAccountId('EducationMSP', await d.idOf(m.edu.admin));
      await fund(officer, '300');
      await register({ feeAccount: officer });
      expect(await balance(officer)).toBe('50');
      await expect(register({ feeAccount: 'treasury:HealthMSP' })).rejects.toThrow(
        'account treasury:HealthMSP is kept by HealthMSP; the caller from EducationMSP may not pay fees from it',
      );

      // a citizen pays through a voucher its ministry withdrew to the fee's payee
      const citizen = 'citizen:EducationMSP:ana-0123456789abcdef';
      const salt = 'ab'.repeat(16);
      const { createHash } = await import('node:crypto');
      const { canonicalJson } = await import('../lib/canonical');
      await fund(EDU, '1000');
      const dep = await h.run(m.edu.admin, (ctx) =>
        token.Deposit(
          ctx,
          EDU,
          'EducationMSP',
          '400',
          createHash('sha256')
            .update(canonicalJson({ accountId: citizen, salt }))
            .digest('hex'),
          '',
        ),
      );
      const transient = (o: object) => ({
        transient: new Map([[TRANSIENT_TOKEN_KEY, Buffer.from(JSON.stringify(o))]]),
      });
      await h.run(
        m.edu.admin,
        (ctx) => token.Claim(ctx),
        undefined,
        transient({ depositId: dep.txId, accountId: citizen, salt }),
      );
      const w = parse(
        await h.run(
          m.edu.admin,
          (ctx) => token.Withdraw(ctx),
          undefined,
          transient({ from: citizen, amount: '250', payTo: CB, salt }),
        ),
      );
      const voucher = { id: w.voucherId, mspId: 'EducationMSP', amount: '250', payTo: CB, salt };
      await expect(register({ feeVoucher: { ...voucher, amount: '251' } })).rejects.toThrow(
        new InvalidArgumentError(
          `the fee of record EDU-${n} is 250 KHR minor units; voucher ${w.voucherId} holds 251`,
        ),
      );
      const cbBefore = BigInt(await balance(CB));
      const paid = parse(await register({ feeVoucher: voucher }));
      expect(paid.fees).toEqual([expect.objectContaining({ kind: 'FEE', amount: '250', to: CB })]);
      expect(BigInt(await balance(CB)) - cbBefore).toBe(250n);
      await expect(register({ feeVoucher: voucher })).rejects.toThrow(
        `voucher ${w.voucherId} of EducationMSP was already redeemed`,
      );
    });

    it('refuses fee fields on a record type without fee', async () => {
      await d.enact(
        'rule',
        ruleContent({
          condition: undefined,
          effectiveFrom: '2025-01-01',
          appliesTo: ['G2C/education.credential'],
        }),
      );
      await expect(register({ feeAccount: EDU })).rejects.toThrow(
        /costs no fee: recordJson must not name a feeAccount or feeVoucher/,
      );
    });
  });

  describe('auditor rewards', () => {
    const POLICY = { approvals: 2, outsideIssuer: 1, deadlineSeconds: 3600, reward: REWARD };

    beforeEach(async () => {
      await d.enact('rule', ruleContent({ condition: undefined, audit: POLICY }));
      const auditor = async (admin: TestIdentity, who: TestIdentity, scope: string) =>
        d.grant(admin, { holder: await d.idOf(who), role: 'auditor', scope, issuers: ['EducationMSP'] });
      await auditor(m.health.admin, m.health.client, 'G2C');
      await auditor(m.imm.admin, m.imm.client, 'G2C');
      await auditor(m.edu.admin, m.edu.client, 'G2C/education');
    });

    const approve = (who: TestIdentity, caseId: string) =>
      h.run(who, (ctx) => audit.Approve(ctx, caseId, 'documents checked'));

    it('pays each auditor whose approval formed the quorum, once, in the closing transaction', async () => {
      await fund(EDU, '1000');
      const caseId = (await register()).txId;
      await approve(m.edu.client, caseId);
      expect(await balance(EDU)).toBe('1000');
      const closing = await approve(m.health.client, caseId);
      expect(parse(closing)).toMatchObject({ status: 'CONFIRMED' });
      const eduAuditor = officerAccountId('EducationMSP', await d.idOf(m.edu.client));
      const healthAuditor = officerAccountId('HealthMSP', await d.idOf(m.health.client));
      expect(await balance(eduAuditor)).toBe('40');
      expect(await balance(healthAuditor)).toBe('40');
      expect(await balance(EDU)).toBe('920');
      const movements = parse(
        await h.run(m.imm.client, (ctx) => token.ListMovements(ctx, healthAuditor, '10', '')),
      );
      expect(movements.items).toEqual([
        expect.objectContaining({ kind: 'REWARD', ref: caseId, from: EDU, txId: closing.txId }),
      ]);

      // a closed case takes no more decisions, and the rewards' marker refuses a second payment
      await expect(approve(m.imm.client, caseId)).rejects.toThrow(
        `audit case ${caseId} is CONFIRMED, not OPEN`,
      );
      await expect(
        h.run(m.imm.client, (ctx) =>
          payAuditRewards(ctx, caseId, 'EducationMSP', REWARD, [
            { mspId: 'ImmigrationMSP', auditorId: 'x509::CN=x::CN=y' },
          ]).then(() => ''),
        ),
      ).rejects.toThrow(new AlreadyExistsError(`the rewards of audit case ${caseId} were already paid`));
      expect(await balance(EDU)).toBe('920');
    });

    it('refuses the closing approval, changing nothing, when the issuer’s treasury cannot pay the rewards', async () => {
      await fund(EDU, '50');
      const caseId = (await register()).txId;
      await approve(m.edu.client, caseId);
      const before = h.world.snapshot();
      await expect(approve(m.health.client, caseId)).rejects.toThrow(
        `insufficient funds in account ${EDU}: 80 KHR minor units are needed for the rewards of audit case ${caseId} (2 auditor(s) x 40), it holds 50: short by 30`,
      );
      expect(h.world.snapshot()).toEqual(before);
    });
  });
});
