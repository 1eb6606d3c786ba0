/* eslint-disable @typescript-eslint/no-explicit-any -- tests read fields of arbitrary JSON answers */
import { randomBytes } from 'node:crypto';
import type { Contract } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { accountsCollection, officerAccountId } from '../../chaincode/src/model/token';
import { depositCommitment } from '../../gateway/src/documents/commitment';
import { testNetwork } from '../support/devnet';
import { errorText, evaluateJson, peersInSync, submitJson, submitJsonWith } from '../support/calls';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import { enact, type Proposal } from '../support/governance';
import { newRecord, registration } from '../support/records';

const CB = 'CentralBankMSP';
const EDU = 'EducationMSP';
const HEA = 'HealthMSP';
const IMM = 'ImmigrationMSP';
const POLICY = { code: 'KHR', minorUnits: 2, maxSupply: '1000000000000' };
const FEE = '150';
const REWARD = '250';
/** Holders of the parallel transfers: 2^7 citizens funded by doubling, 100 of them send at once. */
const DOUBLINGS = 7;
const PARALLEL = 100;

// Issue 20 on the devnet: the central bank issues, a record's fee and its auditors' rewards move
// public money, citizens' money moves privately in Education's account collection.
describe('currency: issuance, fees, rewards and citizens’ private accounts', () => {
  const run = Date.now().toString(36);
  const recordType = `education.permit.c${run}`;
  const lawId = `CL-${run}`;
  let net: NetworkDescriptor;
  const admins = new Map<string, GatewayConnection>();
  const users = new Map<string, GatewayConnection>();
  const cc = (g: GatewayConnection | undefined): Contract =>
    g!.gateway.getNetwork(net.channel).getContract(net.chaincode.name);
  const admin = (msp: string) => cc(admins.get(msp));
  const user = (msp: string) => cc(users.get(msp));
  const treasury = (msp: string) => `treasury:${msp}`;
  /** A citizen's account of Education (its pseudonym: 16-64 characters). */
  const citizen = (n: string) => `citizen:${EDU}:psn-${run}-${n.padStart(4, '0')}`;

  /** Proposes as the central bank, approves by three of the four organizations, tallies. */
  const enactAll = (id: string, kind: Proposal['kind'], content: object) =>
    enact(net, [admin(CB), admin(EDU), admin(HEA)], { id, kind, content });

  /** A public account's balance as `msp`'s peer computes it. */
  const balanceOn = async (msp: string, account: string): Promise<string> =>
    (await evaluateJson(user(msp), 'token:GetBalance', account)).balance;

  /**
   * Submits a private token transaction as Education's admin (a teller of its citizens' accounts):
   * the instruction and a fresh salt in the transient map, endorsed by Education's peer only.
   */
  async function privately(fn: string, instruction: object): Promise<{ code: number; result: any }> {
    const submitted = await admin(EDU).submitAsync(`token:${fn}`, {
      transientData: { token: Buffer.from(JSON.stringify(instruction)), salt: randomBytes(32) },
      endorsingOrganizations: [EDU],
    });
    const status = await submitted.getStatus();
    return { code: status.code, result: JSON.parse(Buffer.from(submitted.getResult()).toString()) };
  }

  beforeAll(async () => {
    net = testNetwork();
    for (const msp of [CB, EDU, HEA, IMM]) {
      admins.set(msp, connectGateway(net, msp, 'admin'));
      users.set(msp, connectGateway(net, msp));
    }
    // The supply policy, a law and article, and one rule that prices and audits the test's type.
    await submitJson(
      net,
      admin(EDU),
      'schemas:RegisterSchema',
      recordType,
      JSON.stringify({ schema: { type: 'object', properties: { permitNo: { type: 'string' } } } }),
    );
    await enactAll(`cp-policy-${run}`, 'setting', { name: 'currency', value: POLICY });
    await enactAll(`cp-law-${run}`, 'law', {
      id: lawId,
      title: 'Service Fees Act',
      textHash: 'e'.repeat(64),
      effectiveFrom: '2020-01-01',
    });
    await enactAll(`cp-art-${run}`, 'article', {
      lawId,
      id: 'art-1',
      title: 'Fees and audit of permits',
      textHash: 'e'.repeat(64),
      effectiveFrom: '2020-01-01',
    });
    await enactAll(`cp-rule-${run}`, 'rule', {
      id: `FEE-${run}`,
      lawId,
      articleId: 'art-1',
      title: 'A permit costs a fee and is confirmed by two auditors',
      textHash: 'e'.repeat(64),
      appliesTo: [`G2C/${recordType}`],
      fee: { amount: FEE, currency: POLICY.code },
      audit: {
        approvals: 2,
        outsideIssuer: 1,
        deadlineSeconds: 3600,
        reward: { amount: REWARD, currency: 'KHR' },
      },
      effectiveFrom: '2020-01-01',
    });
    // Health's and Immigration's User1 audit Education's records.
    for (const msp of [HEA, IMM]) {
      const holder = (await evaluateJson(user(msp), 'authorities:WhoAmI')).id;
      await submitJson(
        net,
        admin(msp),
        'authorities:GrantRole',
        JSON.stringify({ holder, role: 'auditor', scope: 'G2C', issuers: [EDU] }),
      );
    }
  });

  afterAll(() => {
    for (const g of [...admins.values(), ...users.values()]) g.close();
  });

  it('mints, charges the fee on registration and pays the confirming auditors once; every peer agrees', async () => {
    const before = await evaluateJson(user(EDU), 'token:GetCurrency');
    const [cb0, edu0] = [await balanceOn(CB, treasury(CB)), await balanceOn(CB, treasury(EDU))];
    const auditors = await Promise.all(
      [HEA, IMM].map(async (msp) =>
        officerAccountId(msp, (await evaluateJson(user(msp), 'authorities:WhoAmI')).id),
      ),
    );
    // other suites may have paid these officers already (the HTTP suite does)
    const [hea0, imm0] = [await balanceOn(CB, auditors[0]), await balanceOn(CB, auditors[1])];
    const refused = await admin(EDU)
      .submitTransaction('token:Mint', '1', '', '')
      .catch((e: unknown) => errorText(e));
    expect(refused).toContain(
      'Mint is reserved to the central bank (CentralBankMSP); the caller is from EducationMSP',
    );
    const minted = await submitJson(net, admin(CB), 'token:Mint', '1000000', '', 'issue');
    expect(minted.movements).toEqual([
      expect.objectContaining({ kind: 'MINT', amount: '1000000', currency: 'KHR', to: treasury(CB) }),
    ]);
    await submitJson(net, admin(CB), 'token:Transfer', treasury(CB), treasury(EDU), '100000', 'budget');

    const record = newRecord({ recordType, payload: { permitNo: `p-${run}` } });
    const registered = await submitJsonWith(
      net,
      user(EDU),
      'ledger:RegisterRecord',
      [JSON.stringify(record)],
      registration(net, EDU, record.id),
    );
    expect(registered).toMatchObject({ id: record.id, status: 'PENDING_AUDIT' });
    const caseId = registered.txId;

    const approve = (msp: string, reason: string) =>
      submitJsonWith(net, user(msp), 'audit:Approve', [caseId, reason]);
    expect(await approve(IMM, 'register checked')).toMatchObject({ status: 'OPEN' });
    expect(await approve(HEA, 'signature checked')).toMatchObject({ status: 'CONFIRMED' });
    // The case is closed: no second decision, so no second reward.
    const again = await user(HEA)
      .submitTransaction('audit:Approve', caseId, 'again')
      .catch((e: unknown) => errorText(e));
    expect(again).toMatch(/is CONFIRMED, not OPEN|already decided/);

    const expected: [string, bigint][] = [
      [treasury(CB), BigInt(cb0) + 1000000n - 100000n + BigInt(FEE)],
      [treasury(EDU), BigInt(edu0) + 100000n - BigInt(FEE) - 2n * BigInt(REWARD)],
      [auditors[0], BigInt(hea0) + BigInt(REWARD)],
      [auditors[1], BigInt(imm0) + BigInt(REWARD)],
    ];
    for (const msp of [CB, EDU, HEA, IMM])
      for (const [account, amount] of expected)
        expect([msp, account, await balanceOn(msp, account)]).toEqual([msp, account, amount.toString()]);
    const after = await evaluateJson(user(HEA), 'token:GetCurrency');
    expect(BigInt(after.minted) - BigInt(before.minted)).toBe(1000000n);
    expect(after.outstanding).toBe((BigInt(before.outstanding) + 1000000n).toString());
  });

  it(`commits ${PARALLEL} parallel transfers from distinct citizens with no MVCC conflict, endorsed by Education alone`, async () => {
    // One deposit (public side: an amount and a salted commitment) claimed privately by citizen 0...
    const salt = randomBytes(32).toString('hex');
    const first = citizen('0');
    const deposit = await submitJson(
      net,
      admin(EDU),
      'token:Deposit',
      treasury(EDU),
      EDU,
      (100 * 2 ** DOUBLINGS).toString(),
      depositCommitment(first, salt),
      '',
    );
    expect(JSON.stringify(deposit)).not.toContain(first);
    const claimed = await privately('Claim', { depositId: deposit.txId, accountId: first, salt });
    expect(claimed.code).toBe(0);
    // ... then every funded citizen gives half to a new one, in parallel rounds: 2^7 citizens of 100.
    for (let round = 0; round < DOUBLINGS; round++) {
      const width = 2 ** round;
      const half = (100 * 2 ** (DOUBLINGS - round - 1)).toString();
      const codes = await Promise.all(
        Array.from({ length: width }, (_, i) =>
          privately('PrivateTransfer', {
            from: citizen(`${i}`),
            to: citizen(`${i + width}`),
            amount: half,
          }).then((r) => r.code),
        ),
      );
      expect(codes).toEqual(codes.map(() => 0));
    }

    // The measured step: 100 distinct holders pay 40 each to 100 other accounts at once.
    const sink = (i: number) => citizen(`s${i}`);
    const outcomes = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        privately('PrivateTransfer', { from: citizen(`${i}`), to: sink(i), amount: '40' }).catch(
          (e: unknown) => ({
            code: -1,
            result: errorText(e),
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.code !== 0)).toEqual([]);
    await peersInSync(net);

    // Both members of the collection hold the same balances.
    for (const msp of [EDU, CB]) {
      const read = async (account: string) =>
        (await evaluateJson(admin(msp), 'token:GetPrivateBalance', account)).balance;
      expect([msp, await read(citizen('0')), await read(citizen('99')), await read(citizen('127'))]).toEqual([
        msp,
        '60',
        '60',
        '100',
      ]);
      expect([await read(sink(0)), await read(sink(99))]).toEqual(['40', '40']);
    }
  });

  it('keeps a citizen’s account from a ministry outside its collection: refused, absent from Health’s peer and from blocks', async () => {
    const account = citizen('1');
    const paid = await privately('PrivateTransfer', { from: account, to: citizen('s1'), amount: '1' });
    expect(paid.code).toBe(0);
    await peersInSync(net);

    // Health's identities are refused by the chaincode, on Health's peer and on a member's peer.
    for (const on of [HEA, EDU]) {
      const err = await admin(HEA)
        .newProposal('token:GetPrivateBalance', { arguments: [account], endorsingOrganizations: [on] })
        .evaluate()
        .catch((e: unknown) => e);
      expect(errorText(err)).toContain(
        `account ${account} is visible to EducationMSP and the central bank only, not to HealthMSP`,
      );
    }
    // Health's peer is no member of accountsEducationMSP: it holds hashes, not values, so even an
    // Education teller cannot learn the balance there.
    expect(accountsCollection(EDU)).toBe('accountsEducationMSP');
    const onHealth = await admin(EDU)
      .newProposal('token:GetPrivateBalance', { arguments: [account], endorsingOrganizations: [HEA] })
      .evaluate()
      .then((b) => JSON.parse(Buffer.from(b).toString()).balance as string)
      .catch((e: unknown) => errorText(e));
    const onEducation = (await evaluateJson(admin(EDU), 'token:GetPrivateBalance', account)).balance;
    expect(onEducation).toBe('59');
    expect(onHealth).not.toBe(onEducation);

    // No block carries the account: the instruction travelled in the transient map, the
    // collection's writes are on the channel as hashes.
    const qscc = users.get(HEA)!.gateway.getNetwork(net.channel).getContract('qscc');
    const block = Buffer.from(
      await qscc.evaluateTransaction('GetBlockByTxID', net.channel, paid.result.txId),
    );
    expect(block.includes(Buffer.from(accountsCollection(EDU)))).toBe(true);
    expect(block.includes(Buffer.from(account))).toBe(false);
    expect(block.includes(Buffer.from(citizen('s1')))).toBe(false);
  });
});
