import '../testing/quiet-logs';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../lib/canonical';
import {
  AccessDeniedError,
  AlreadyExistsError,
  InsufficientFundsError,
  InvalidArgumentError,
  NotFoundError,
} from '../lib/errors';
import { GovernanceDriver, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { ministryIdentities, type TestIdentity } from '../testing/identities';
import { accountsCollection, officerAccountId, TRANSIENT_TOKEN_KEY } from '../model/token';
import { TokenContract } from './token';

const POLICY = { code: 'KHR', minorUnits: 2, maxSupply: '1000000' };
const CB = 'treasury:CentralBankMSP';
const EDU = 'treasury:EducationMSP';
const HEALTH = 'treasury:HealthMSP';
const ANA = 'citizen:EducationMSP:ana-0123456789abcdef';
const BEN = 'citizen:EducationMSP:ben-0123456789abcdef';
const SALT = 'ab'.repeat(16);

describe('token contract', () => {
  const token = new TokenContract();
  let m: TestMinistries;
  let cb: { admin: TestIdentity; client: TestIdentity };
  let h: ContractHarness;
  let d: GovernanceDriver;

  beforeAll(async () => {
    m = await threeMinistries();
    cb = await ministryIdentities('CentralBankMSP');
  });

  beforeEach(async () => {
    h = new ContractHarness();
    d = new GovernanceDriver(h, m);
    await d.registerAll();
  });

  const parse = (out: { result: string }) => JSON.parse(out.result);
  const enactPolicy = (policy: object = POLICY) => d.enact('setting', { name: 'currency', value: policy });
  const mint = (amount: string, to = '', who = cb.admin) =>
    h.run(who, (ctx) => token.Mint(ctx, amount, to, 'issuance'));
  const transfer = (who: TestIdentity, from: string, to: string, amount: string) =>
    h.run(who, (ctx) => token.Transfer(ctx, from, to, amount, ''));
  const balance = async (account: string) =>
    parse(await h.run(m.imm.client, (ctx) => token.GetBalance(ctx, account))).balance as string;
  const currency = async () => parse(await h.run(m.imm.client, (ctx) => token.GetCurrency(ctx)));
  const transient = (instruction: object) =>
    new Map([[TRANSIENT_TOKEN_KEY, Buffer.from(JSON.stringify(instruction))]]);
  const privately = (
    who: TestIdentity,
    fn: 'Claim' | 'PrivateTransfer' | 'Withdraw',
    instruction: object,
    peerMsp?: string,
  ) =>
    h.run(who, (ctx) => token[fn](ctx), undefined, {
      transient: transient(instruction),
      ...(peerMsp ? { peerMsp } : {}),
    });
  const privateBalance = async (account: string, who = m.edu.admin) =>
    parse(await h.run(who, (ctx) => token.GetPrivateBalance(ctx, account))).balance as string;

  describe('issuance', () => {
    it('refuses to mint before a supply policy is enacted through governance', async () => {
      await expect(mint('100')).rejects.toThrow(
        new NotFoundError(
          'no currency is issued yet: the governed setting "currency" (supply policy) was never enacted',
        ),
      );
      expect(await currency()).toMatchObject({ policy: null, outstanding: '0' });
    });

    it('lets only the central bank’s currency issuers mint and burn', async () => {
      await enactPolicy();
      await expect(mint('100', '', m.edu.admin)).rejects.toThrow(
        new AccessDeniedError(
          'Mint is reserved to the central bank (CentralBankMSP); the caller is from EducationMSP',
        ),
      );
      await expect(mint('100', '', cb.client)).rejects.toThrow(/lacks role currency-issuer for scope \*/);
      await expect(h.run(m.edu.admin, (ctx) => token.Burn(ctx, '1', ''))).rejects.toThrow(AccessDeniedError);

      await d.grant(cb.admin, { holder: await d.idOf(cb.client), role: 'currency-issuer', scope: '*' });
      const out = parse(await mint('700', '', cb.client));
      expect(out.movements).toEqual([
        expect.objectContaining({ kind: 'MINT', currency: 'KHR', amount: '700', to: CB }),
      ]);
      await h.run(cb.client, (ctx) => token.Burn(ctx, '200', 'withdrawn notes'));
      expect(await currency()).toMatchObject({
        minted: '700',
        burned: '200',
        outstanding: '500',
        policy: POLICY,
      });
      expect(await balance(CB)).toBe('500');
    });

    it('keeps the outstanding supply within maxSupply and changes nothing when refused', async () => {
      await enactPolicy();
      await mint('999000');
      const before = h.world.snapshot();
      await expect(mint('1001')).rejects.toThrow(
        new InvalidArgumentError(
          "minting 1001 KHR minor units would bring the outstanding supply to 1000001, above the supply policy's maxSupply 1000000 (999000 outstanding)",
        ),
      );
      expect(h.world.snapshot()).toEqual(before);
      await mint('1000');
      // burning makes room again
      await h.run(cb.admin, (ctx) => token.Burn(ctx, '500', ''));
      await mint('500');
      expect(await currency()).toMatchObject({ outstanding: '1000000' });
    });

    it('refuses a supply policy that would change the currency code', async () => {
      await enactPolicy();
      await expect(enactPolicy({ ...POLICY, code: 'USD' })).rejects.toThrow(
        'the currency is KHR; a supply policy cannot change its code to USD',
      );
      await expect(enactPolicy({ ...POLICY, code: 'khr' })).rejects.toThrow(
        /field "code" must be an ISO 4217-style code/,
      );
    });
  });

  describe('accounts and transfers', () => {
    beforeEach(async () => {
      await enactPolicy();
      await mint('10000');
      await transfer(cb.admin, CB, EDU, '3000');
    });

    it('moves money between public accounts and keeps each balance as outputs', async () => {
      await transfer(m.edu.admin, EDU, HEALTH, '1200');
      await transfer(m.edu.admin, EDU, HEALTH, '300');
      expect(await balance(EDU)).toBe('1500');
      expect(await balance(HEALTH)).toBe('1500');
      expect(await balance(CB)).toBe('7000');
      const health = parse(await h.run(m.imm.client, (ctx) => token.GetBalance(ctx, HEALTH)));
      expect(health).toEqual({
        accountId: HEALTH,
        currency: 'KHR',
        balance: '1500',
        outputs: 2,
        complete: true,
      });
      await h.run(m.health.admin, (ctx) => token.Consolidate(ctx, HEALTH));
      expect(parse(await h.run(m.imm.client, (ctx) => token.GetBalance(ctx, HEALTH)))).toMatchObject({
        balance: '1500',
        outputs: 1,
      });
      const page = parse(await h.run(m.imm.client, (ctx) => token.ListMovements(ctx, EDU, '10', '')));
      expect(page.items.map((mv: { kind: string; amount: string }) => `${mv.kind} ${mv.amount}`)).toEqual([
        'TRANSFER 3000',
        'TRANSFER 1200',
        'TRANSFER 300',
      ]);
    });

    it('sums every output of a balance, a page at a time, though a debit reads only 100 of them', async () => {
      // 101 outputs: two pages of a balance query, one more than a debit reads
      for (let i = 0; i < 101; i++) await transfer(m.edu.admin, EDU, HEALTH, '10');
      expect(parse(await h.run(m.imm.client, (ctx) => token.GetBalance(ctx, HEALTH)))).toEqual({
        accountId: HEALTH,
        currency: 'KHR',
        balance: '1010',
        outputs: 101,
        complete: true,
      });
      await expect(transfer(m.health.admin, HEALTH, EDU, '1001')).rejects.toThrow(
        /its first 100 outputs hold 1000 \(run token:Consolidate to merge them\): short by 1/,
      );
      await h.run(m.health.admin, (ctx) => token.Consolidate(ctx, HEALTH));
      await transfer(m.health.admin, HEALTH, EDU, '1001');
      expect(parse(await h.run(m.imm.client, (ctx) => token.GetBalance(ctx, HEALTH)))).toMatchObject({
        balance: '9',
        complete: true,
      });
    });

    it('refuses a transfer beyond the balance, naming account, amount and shortfall, changing nothing', async () => {
      const before = h.world.snapshot();
      await expect(transfer(m.edu.admin, EDU, HEALTH, '3500')).rejects.toThrow(
        new InsufficientFundsError(
          'insufficient funds in account treasury:EducationMSP: 3500 KHR minor units are needed for the transfer, it holds 3000: short by 500',
        ),
      );
      expect(h.world.snapshot()).toEqual(before);
    });

    it('lets only the account’s ministry and role (or its own identity) spend from it', async () => {
      await expect(transfer(m.health.admin, EDU, HEALTH, '1')).rejects.toThrow(
        'account treasury:EducationMSP is kept by EducationMSP; the caller from HealthMSP may not spend from it',
      );
      await expect(transfer(m.edu.client, EDU, HEALTH, '1')).rejects.toThrow(
        /lacks role treasurer for scope \*/,
      );
      await d.grant(m.edu.admin, { holder: await d.idOf(m.edu.client), role: 'treasurer', scope: '*' });
      await transfer(m.edu.client, EDU, HEALTH, '1');
      // an officer's own account: its holder only
      const officer = officerAccountId('EducationMSP', await d.idOf(m.edu.client));
      await transfer(m.edu.client, EDU, officer, '10');
      await expect(transfer(m.edu.admin, officer, EDU, '1')).rejects.toThrow(
        `account ${officer} belongs to another identity of EducationMSP; only its holder may spend from it`,
      );
      await transfer(m.edu.client, officer, HEALTH, '4');
      expect(await balance(officer)).toBe('6');
    });

    it('moves money under an allowance, never beyond it', async () => {
      const officer = officerAccountId('HealthMSP', await d.idOf(m.health.client));
      await h.run(m.edu.admin, (ctx) => token.Approve(ctx, EDU, officer, '500'));
      const spend = (amount: string) =>
        h.run(m.health.client, (ctx) => token.TransferFrom(ctx, officer, EDU, HEALTH, amount, 'supplies'));
      await spend('300');
      await expect(spend('201')).rejects.toThrow(
        `the allowance of ${officer} on account treasury:EducationMSP is 200 KHR minor units; 201 were requested: short by 1`,
      );
      await spend('200');
      const allowance = parse(await h.run(m.imm.client, (ctx) => token.GetAllowance(ctx, EDU, officer)));
      expect(allowance).toMatchObject({ amount: '0', owner: EDU, spender: officer });
      expect(await balance(EDU)).toBe('2500');
      expect(await balance(HEALTH)).toBe('500');
      // the spender is bound to its holder
      await expect(
        h.run(m.health.admin, (ctx) => token.TransferFrom(ctx, officer, EDU, HEALTH, '1', '')),
      ).rejects.toThrow(/belongs to another identity of HealthMSP/);
    });

    it('refuses citizens’ accounts in public transactions and bad amounts', async () => {
      await expect(transfer(m.edu.admin, EDU, ANA, '1')).rejects.toThrow(
        "to is a citizen's account, kept privately by EducationMSP: use token:Deposit / Claim / PrivateTransfer / Withdraw",
      );
      await expect(transfer(m.edu.admin, EDU, HEALTH, '1.5')).rejects.toThrow(
        'amount must be an integer number of minor units as a decimal string, e.g. "1250"',
      );
      await expect(transfer(m.edu.admin, EDU, HEALTH, '0')).rejects.toThrow(
        'amount must be at least 1 minor unit(s)',
      );
    });

    it('writes every movement to the audit trail', async () => {
      const out = parse(await transfer(m.edu.admin, EDU, HEALTH, '5'));
      const id = out.movements[0].id as string;
      const trailEntry = h.stateJson(`trail|e|movement|${id}|0000000001`);
      expect(trailEntry).toMatchObject({
        action: 'TOKEN_TRANSFER',
        actorMsp: 'EducationMSP',
        details: { kind: 'TRANSFER', amount: '5', from: EDU, to: HEALTH, currency: 'KHR' },
      });
    });
  });

  describe('citizens’ private accounts', () => {
    beforeEach(async () => {
      await enactPolicy();
      await mint('10000');
      await transfer(cb.admin, CB, EDU, '5000');
    });

    const commitment = (accountId: string, salt: string) =>
      createHash('sha256').update(canonicalJson({ accountId, salt })).digest('hex');

    async function depositTo(account: string, amount: string): Promise<string> {
      const out = await h.run(m.edu.admin, (ctx) =>
        token.Deposit(ctx, EDU, 'EducationMSP', amount, commitment(account, SALT), ''),
      );
      await privately(m.edu.admin, 'Claim', { depositId: out.txId, accountId: account, salt: SALT });
      return out.txId;
    }

    it('credits a deposit to the committed account once, moves privately, and pays out by voucher', async () => {
      const depositId = await depositTo(ANA, '800');
      await expect(
        privately(m.edu.admin, 'Claim', { depositId, accountId: ANA, salt: SALT }),
      ).rejects.toThrow(new AlreadyExistsError(`deposit ${depositId} was already claimed`));
      await privately(m.edu.admin, 'PrivateTransfer', { from: ANA, to: BEN, amount: '300' });
      expect(await privateBalance(ANA)).toBe('500');
      expect(await privateBalance(BEN, cb.admin)).toBe('300');
      await expect(
        privately(m.edu.admin, 'PrivateTransfer', { from: BEN, to: ANA, amount: '301' }),
      ).rejects.toThrow(
        `insufficient funds in account ${BEN}: 301 KHR minor units are needed for the transfer, it holds 300: short by 1`,
      );

      const voucherSalt = 'cd'.repeat(16);
      const w = parse(
        await privately(m.edu.admin, 'Withdraw', {
          from: BEN,
          amount: '120',
          payTo: HEALTH,
          salt: voucherSalt,
        }),
      );
      expect(w).toEqual({ txId: w.voucherId, voucherId: w.voucherId });
      const proof = {
        id: w.voucherId,
        mspId: 'EducationMSP',
        amount: '120',
        payTo: HEALTH,
        salt: voucherSalt,
      };
      await expect(
        h.run(m.imm.client, (ctx) => token.Redeem(ctx, JSON.stringify({ ...proof, amount: '121' }))),
      ).rejects.toThrow(/does not exist with these fields/);
      await h.run(m.imm.client, (ctx) => token.Redeem(ctx, JSON.stringify(proof)));
      await expect(h.run(m.imm.client, (ctx) => token.Redeem(ctx, JSON.stringify(proof)))).rejects.toThrow(
        `voucher ${w.voucherId} of EducationMSP was already redeemed`,
      );
      expect(await privateBalance(BEN)).toBe('180');
      expect(await balance(HEALTH)).toBe('120');
      const list = (bookmark: string) =>
        h.run(m.edu.admin, (ctx) => token.ListPrivateMovements(ctx, BEN, '1', bookmark)).then(parse);
      const first = await list('');
      expect(first.items).toEqual([
        expect.objectContaining({ kind: 'PRIVATE_TRANSFER', amount: '300', to: BEN }),
      ]);
      const second = await list(first.bookmark);
      expect(second).toEqual({
        items: [expect.objectContaining({ kind: 'WITHDRAW', amount: '120', from: BEN, ref: w.voucherId })],
        bookmark: '',
      });
      // the citizen's movements have their trail in the collection, none in the public trail
      const trail = h.world.privateState.get(accountsCollection('EducationMSP'))!;
      expect(trail.has(`trail|e|movement|${second.items[0].id}|0000000001`)).toBe(true);
      expect(h.world.state.has(`trail|e|movement|${second.items[0].id}|0000000001`)).toBe(false);
      expect(await balance(EDU)).toBe('4200');
    });

    it('refuses a claim with the wrong salt or into another ministry', async () => {
      const out = await h.run(m.edu.admin, (ctx) =>
        token.Deposit(ctx, EDU, 'EducationMSP', '10', commitment(ANA, SALT), ''),
      );
      await expect(
        privately(m.edu.admin, 'Claim', { depositId: out.txId, accountId: ANA, salt: 'ef'.repeat(16) }),
      ).rejects.toThrow(`deposit ${out.txId} is not committed to this account and salt`);
      await expect(
        privately(m.health.admin, 'Claim', {
          depositId: out.txId,
          accountId: 'citizen:HealthMSP:ana-0123456789abcdef',
          salt: SALT,
        }),
      ).rejects.toThrow(`deposit ${out.txId} is for the accounts of EducationMSP, not HealthMSP`);
    });

    it('never writes a private account, amount or movement to public state or events', async () => {
      await depositTo(ANA, '800');
      const publicBefore = new Map(h.world.state);
      const outs = [
        await privately(m.edu.admin, 'PrivateTransfer', { from: ANA, to: BEN, amount: '345' }),
        await privately(m.edu.admin, 'Withdraw', {
          from: BEN,
          amount: '45',
          payTo: HEALTH,
          salt: 'cd'.repeat(16),
        }),
      ];
      for (const out of outs) {
        expect(out.event).toBeUndefined();
        expect(out.stub.writes.size).toBe(0);
        expect([...out.stub.privateWrites.keys()]).toEqual([accountsCollection('EducationMSP')]);
        expect(out.result).not.toMatch(/citizen|345|45"/);
      }
      expect(h.world.state).toEqual(publicBefore);
      const publicText = [...h.world.state].map(([k, v]) => k + Buffer.from(v).toString('utf8')).join('\n');
      expect(publicText).not.toContain('ana-0123456789abcdef');
      expect(publicText).not.toContain('ben-0123456789abcdef');
      const privateText = [...h.world.privateState.get(accountsCollection('EducationMSP'))!]
        .map(([k, v]) => k + Buffer.from(v).toString('utf8'))
        .join('\n');
      expect(privateText).toContain('"amount":"345"');
    });

    it('shows a citizen’s account only to its ministry’s tellers and the central bank, on their peers', async () => {
      await depositTo(ANA, '50');
      await expect(h.run(m.health.admin, (ctx) => token.GetPrivateBalance(ctx, ANA))).rejects.toThrow(
        `account ${ANA} is visible to EducationMSP and the central bank only, not to HealthMSP`,
      );
      await expect(h.run(m.edu.client, (ctx) => token.GetPrivateBalance(ctx, ANA))).rejects.toThrow(
        /lacks role teller for scope \*/,
      );
      await expect(
        h.run(m.edu.admin, (ctx) => token.GetPrivateBalance(ctx, ANA), undefined, { peerMsp: 'HealthMSP' }),
      ).rejects.toThrow(
        'this peer does not hold collection accountsEducationMSP; evaluate on a peer of its ministry or of the central bank',
      );
      const onCb = await h.run(cb.admin, (ctx) => token.GetPrivateBalance(ctx, ANA), undefined, {
        peerMsp: 'CentralBankMSP',
      });
      expect(parse(onCb).balance).toBe('50');
      await expect(
        privately(m.health.admin, 'PrivateTransfer', { from: ANA, to: BEN, amount: '1' }),
      ).rejects.toThrow(/kept by EducationMSP; the caller from HealthMSP may not spend from it/);
    });
  });

  describe('rates and conversions', () => {
    beforeEach(async () => enactPolicy());

    it('records conversions at the central bank’s latest published rate, rounded down', async () => {
      await expect(
        h.run(m.edu.admin, (ctx) => token.PublishRate(ctx, 'USD', '0.000245', '2')),
      ).rejects.toThrow(AccessDeniedError);
      const first = parse(await h.run(cb.admin, (ctx) => token.PublishRate(ctx, 'USD', '0.00025', '2')));
      const second = parse(await h.run(cb.admin, (ctx) => token.PublishRate(ctx, 'USD', '0.000245', '2')));
      expect(second).toMatchObject({ base: 'KHR', quote: 'USD', seq: 2 });
      const record = (direction: string, amount: string) =>
        h.run(cb.admin, (ctx) =>
          token.RecordConversion(
            ctx,
            JSON.stringify({ direction, quote: 'USD', amount, reference: 'EX-1', accountId: EDU }),
          ),
        );
      // 4,000,000.00 KHR = 400,000,000 minor units at 0.000245 = 980.00 USD
      expect(parse(await record('OUT', '400000000'))).toMatchObject({
        amountOut: '98000',
        rateSeq: 2,
        rate: '0.000245',
      });
      // 10.00 USD = 1000 cents -> 40,816.32 KHR (rounded down)
      const inward = parse(await record('IN', '1000'));
      expect(inward).toMatchObject({ amountIn: '1000', amountOut: '4081632' });
      expect(parse(await h.run(m.imm.client, (ctx) => token.GetConversion(ctx, inward.id)))).toEqual(inward);
      expect(parse(await h.run(m.imm.client, (ctx) => token.GetRate(ctx, 'USD', first.at)))).toEqual(first);
      expect(parse(await h.run(m.imm.client, (ctx) => token.GetRate(ctx, 'USD', '')))).toEqual(second);
      await expect(h.run(cb.admin, (ctx) => token.PublishRate(ctx, 'KHR', '1', '2'))).rejects.toThrow(
        'quote must be another currency than KHR',
      );
      await expect(h.run(cb.admin, (ctx) => token.PublishRate(ctx, 'EUR', '0', '2'))).rejects.toThrow(
        'rate must be greater than zero',
      );
    });
  });
});
