/* eslint-disable @typescript-eslint/no-explicit-any -- tests read fields of arbitrary JSON answers */
import { randomBytes } from 'node:crypto';
import type { Contract } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { officerAccountId } from '../../chaincode/src/model/token';
import { TEST_GATEWAY_PORT, testNetwork } from '../support/devnet';
import { evaluateJson, peersInSync, submitJson } from '../support/calls';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import { enact, ensureCurrency } from '../support/governance';
import { officerToken, startHttpGateway, type HttpGateway } from '../support/http';
import { newRecord } from '../support/records';

const CB = 'CentralBankMSP';
const EDU = 'EducationMSP';
const HEA = 'HealthMSP';
const FEE = '175';
const PROBLEM = 'application/problem+json';

/** An HTTP answer: status, content type, parsed body and raw text. */
interface Answer {
  status: number;
  type: string;
  body: any;
  text: string;
}

/**
 * A request as the demo officer User1 (each gateway maps the token to its own ministry's User1).
 * After a successful write every peer is brought to the same height, so the next read may go to
 * another ministry's gateway. `raw` sends a body as it is (malformed JSON).
 */
async function call(
  url: string,
  init: { method?: string; body?: unknown; raw?: string } = {},
): Promise<Answer> {
  const write = init.body !== undefined || init.raw !== undefined;
  const method = init.method ?? (write ? 'POST' : 'GET');
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${await officerToken()}`,
      ...(write ? { 'content-type': 'application/json' } : {}),
    },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await res.text();
  if (res.ok && method !== 'GET') await peersInSync(testNetwork());
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: text.length > 0 ? JSON.parse(text) : undefined,
    text,
  };
}

// Issue 20 through the real HTTP gateway: three ministries' gateway processes (the central bank's,
// Education's and Health's), each acting as its own User1, over the test devnet (or Fabric).
describe('HTTP API: the currency', () => {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const feeType = `education.fee.h${run}`;
  let net: NetworkDescriptor;
  const conns: GatewayConnection[] = [];
  const admins = new Map<string, Contract>();
  const gateways = new Map<string, HttpGateway>();
  /** Health's User1's own officer account (it operates it without a role). */
  let healthOfficer = '';
  const api = (msp: string, path: string) => `${gateways.get(msp)!.url}/api/v1${path}`;
  const treasury = (msp: string) => `treasury:${msp}`;
  const citizen = (n: string) => `citizen:${EDU}:psn-h${run}-${n}`;
  const balance = async (msp: string, account: string): Promise<bigint> => {
    const got = await call(api(msp, `/currency/accounts/${account}/balance`));
    expect([account, got.status]).toEqual([account, 200]);
    return BigInt(got.body.balance);
  };

  beforeAll(async () => {
    net = testNetwork();
    const ids = new Map<string, string>();
    for (const msp of [CB, EDU, HEA]) {
      const admin = connectGateway(net, msp, 'admin');
      const user = connectGateway(net, msp);
      conns.push(admin, user);
      admins.set(msp, admin.gateway.getNetwork(net.channel).getContract(net.chaincode.name));
      const contract = user.gateway.getNetwork(net.channel).getContract(net.chaincode.name);
      ids.set(msp, (await evaluateJson(contract, 'authorities:WhoAmI')).id);
    }
    healthOfficer = officerAccountId(HEA, ids.get(HEA)!);
    // The gateway processes start (one after the other: each loads a lot) while the ledger is
    // prepared; both are settled before afterAll can run, so no process outlives the suite.
    const started = (async () => {
      for (const [i, msp] of [CB, EDU, HEA].entries())
        gateways.set(msp, await startHttpGateway(net.home, msp, TEST_GATEWAY_PORT + 21 + i));
    })();
    for (const outcome of await Promise.allSettled([started, prepareLedger(ids)]))
      if (outcome.status === 'rejected') throw outcome.reason;
  });

  /**
   * The currency's roles for each ministry's User1 (granted by its own admin), the supply policy
   * (unless a suite enacted one already) and a rule that prices the test's record type.
   */
  async function prepareLedger(ids: Map<string, string>): Promise<void> {
    const all = [CB, EDU, HEA].map((msp) => admins.get(msp)!);
    const grant = (msp: string, role: string) =>
      submitJson(
        net,
        admins.get(msp)!,
        'authorities:GrantRole',
        JSON.stringify({ holder: ids.get(msp), role, scope: '*' }),
      );
    await Promise.all([
      grant(CB, 'currency-issuer'),
      grant(CB, 'treasurer'),
      grant(EDU, 'treasurer'),
      grant(EDU, 'teller'),
      submitJson(
        net,
        admins.get(EDU)!,
        'schemas:RegisterSchema',
        feeType,
        JSON.stringify({ schema: { type: 'object', properties: { certificateNo: { type: 'string' } } } }),
      ),
    ]);
    const lawId = `HFA-${run}`;
    const text = { textHash: 'f'.repeat(64), effectiveFrom: '2020-01-01' };
    const [policy] = await Promise.all([
      ensureCurrency(
        net,
        all,
        { code: 'KHR', minorUnits: 2, maxSupply: '1000000000000' },
        `hp-policy-${run}`,
      ),
      enact(net, all, {
        id: `hp-law-${run}`,
        kind: 'law',
        content: { id: lawId, title: 'Fees Act', ...text },
      }),
    ]);
    await enact(net, all, {
      id: `hp-art-${run}`,
      kind: 'article',
      content: { lawId, id: 'art-1', title: 'Fees', ...text },
    });
    await enact(net, all, {
      id: `hp-rule-${run}`,
      kind: 'rule',
      content: {
        id: `HFEE-${run}`,
        lawId,
        articleId: 'art-1',
        title: 'The test record type costs a fee',
        appliesTo: [`G2C/${feeType}`],
        fee: { amount: FEE, currency: policy.code },
        ...text,
      },
    });
  }

  afterAll(async () => {
    await Promise.all([...gateways.values()].map((g) => g.stop()));
    for (const c of conns) c.close();
  });

  it("mints as the central bank's issuer (not as a ministry), transfers, and every gateway reads the balances", async () => {
    const before = (await call(api(HEA, '/currency'))).body;
    const [cb0, edu0] = [await balance(HEA, treasury(CB)), await balance(HEA, treasury(EDU))];

    const refused = await call(api(EDU, '/currency/mint'), { body: { amount: '1' } });
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(refused.body.detail).toContain('Mint is reserved to the central bank (CentralBankMSP)');

    const minted = await call(api(CB, '/currency/mint'), { body: { amount: '900000', memo: 'issue' } });
    expect(minted).toMatchObject({ status: 201 });
    expect(minted.body.transactionId).toMatch(/^[0-9a-f]{64}$/);
    expect(minted.body.movements).toEqual([
      expect.objectContaining({ kind: 'MINT', amount: '900000', to: treasury(CB) }),
    ]);
    const moved = await call(api(CB, '/currency/transfers'), {
      body: { from: treasury(CB), to: treasury(EDU), amount: '200000', memo: 'budget' },
    });
    expect(moved).toMatchObject({ status: 201 });
    expect(moved.body.movements).toEqual([
      expect.objectContaining({ kind: 'TRANSFER', from: treasury(CB), to: treasury(EDU), amount: '200000' }),
    ]);

    for (const msp of [CB, EDU, HEA]) {
      expect([msp, await balance(msp, treasury(CB))]).toEqual([msp, cb0 + 700000n]);
      expect([msp, await balance(msp, treasury(EDU))]).toEqual([msp, edu0 + 200000n]);
    }
    const after = (await call(api(EDU, '/currency'))).body;
    expect(BigInt(after.minted) - BigInt(before.minted)).toBe(900000n);
  });

  it('sets an allowance, spends under it, and refuses more than it or than a balance, changing nothing', async () => {
    const allowance = `/currency/allowances?owner=${treasury(EDU)}&spender=${healthOfficer}`;
    const set = await call(api(EDU, '/currency/allowances'), {
      body: { owner: treasury(EDU), spender: healthOfficer, amount: '3000' },
    });
    expect(set).toMatchObject({
      status: 201,
      body: { owner: treasury(EDU), spender: healthOfficer, amount: '3000' },
    });
    expect((await call(api(HEA, allowance))).body).toMatchObject({ amount: '3000' });

    const spent = await call(api(HEA, '/currency/transfer-from'), {
      body: { spender: healthOfficer, owner: treasury(EDU), to: healthOfficer, amount: '1000' },
    });
    expect(spent).toMatchObject({ status: 201 });
    expect((await call(api(EDU, allowance))).body).toMatchObject({ amount: '2000' });
    const held = await balance(HEA, healthOfficer);
    expect(held).toBeGreaterThanOrEqual(1000n);
    const eduHeld = await balance(EDU, treasury(EDU));

    const overAllowance = await call(api(HEA, '/currency/transfer-from'), {
      body: { spender: healthOfficer, owner: treasury(EDU), to: healthOfficer, amount: '2001' },
    });
    expect(overAllowance).toMatchObject({ status: 400, type: expect.stringContaining(PROBLEM) });
    expect(overAllowance.body.detail).toContain('is 2000 KHR minor units; 2001 were requested: short by 1');

    const tooMuch = (held + 1n).toString();
    const short = await call(api(HEA, '/currency/transfers'), {
      body: { from: healthOfficer, to: treasury(HEA), amount: tooMuch },
    });
    expect(short).toMatchObject({ status: 400, type: expect.stringContaining(PROBLEM) });
    expect(short.body.detail).toContain(`insufficient funds in account ${healthOfficer}: ${tooMuch} KHR`);
    expect(short.body.detail).toContain('short by 1');

    expect(await balance(HEA, healthOfficer)).toBe(held);
    expect(await balance(HEA, treasury(EDU))).toBe(eduHeld);
    expect((await call(api(CB, allowance))).body).toMatchObject({ amount: '2000' });
  });

  it("keeps a citizen's account to its ministry and the central bank: deposit, claim, private transfer, withdraw and redeem; Health gets 403/404", async () => {
    const [alice, bob] = [citizen('alice'), citizen('bob')];
    const deposit = await call(api(EDU, '/currency/deposits'), {
      body: { from: treasury(EDU), to: alice, amount: '2500' },
    });
    expect(deposit).toMatchObject({ status: 201 });
    expect(deposit.body.depositId).toBe(deposit.body.transactionId);
    expect(deposit.body.salt).toMatch(/^[0-9a-f]{64}$/);
    // The public side shows an amount entering Education's citizens' accounts, never whose.
    expect(deposit.body.movements).toEqual([expect.objectContaining({ kind: 'DEPOSIT', amount: '2500' })]);
    expect(deposit.text).not.toContain(alice);

    const claimPath = `/currency/deposits/${deposit.body.depositId}/claim`;
    const claimBody = { accountId: alice, salt: deposit.body.salt };
    // Health's gateway cannot endorse on Education's collection: refused before any peer is asked.
    const foreignClaim = await call(api(HEA, claimPath), { body: claimBody });
    expect(foreignClaim).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(foreignClaim.body.detail).toContain(
      'accountsEducationMSP, held by EducationMSP and CentralBankMSP only',
    );

    const claimed = await call(api(EDU, claimPath), { body: claimBody });
    expect(claimed).toMatchObject({ status: 201 });
    const paid = await call(api(EDU, '/currency/transfers'), {
      body: { from: alice, to: bob, amount: '600' },
    });
    expect(paid).toMatchObject({ status: 201 });
    expect(paid.text).not.toContain(alice);

    for (const msp of [EDU, CB]) {
      expect([msp, await balance(msp, alice), await balance(msp, bob)]).toEqual([msp, 1900n, 600n]);
    }
    const movements = await call(api(EDU, `/currency/accounts/${alice}/movements?pageSize=10`));
    expect(movements).toMatchObject({ status: 200 });
    expect(movements.body.items.map((m: any) => m.kind)).toEqual(['CLAIM', 'PRIVATE_TRANSFER']);

    // Health: its gateway refuses the balance and the movements; the movement ids are not public.
    for (const path of [`/currency/accounts/${alice}/balance`, `/currency/accounts/${alice}/movements`]) {
      const refused = await call(api(HEA, path));
      expect([path, refused.status, refused.body.code]).toEqual([path, 403, 'FORBIDDEN']);
      expect(refused.text).not.toContain('1900');
    }
    for (const movement of movements.body.items) {
      const lookup = await call(api(HEA, `/currency/movements/${movement.id}`));
      expect([movement.id, lookup.status, lookup.body.code]).toEqual([movement.id, 404, 'NOT_FOUND']);
    }

    // A second claim of the deposit changes nothing.
    const again = await call(api(EDU, claimPath), { body: claimBody });
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_USED']);
    expect(again.body.detail).toContain('already claimed');
    expect(await balance(EDU, alice)).toBe(1900n);

    // Out of the citizen's account as a voucher, which anyone may then redeem into Health's treasury, once.
    const healthBefore = await balance(HEA, treasury(HEA));
    const withdrawn = await call(api(EDU, '/currency/withdrawals'), {
      body: { from: alice, amount: '400', payTo: treasury(HEA) },
    });
    expect(withdrawn).toMatchObject({ status: 201 });
    expect(withdrawn.body.voucher).toMatchObject({ id: withdrawn.body.voucherId, amount: '400' });
    const redeemed = await call(api(HEA, '/currency/redemptions'), {
      body: { voucher: withdrawn.body.voucher },
    });
    expect(redeemed).toMatchObject({ status: 201 });
    expect(await balance(EDU, alice)).toBe(1500n);
    expect(await balance(HEA, treasury(HEA))).toBe(healthBefore + 400n);
    const twice = await call(api(HEA, '/currency/redemptions'), {
      body: { voucher: withdrawn.body.voucher },
    });
    expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_USED']);
    expect(twice.body.detail).toContain('already redeemed');
    expect(await balance(HEA, treasury(HEA))).toBe(healthBefore + 400n);
  });

  it("charges a priced record's fee in its registration, and refuses it with a short payer, registering nothing", async () => {
    const [edu0, cb0] = [await balance(EDU, treasury(EDU)), await balance(EDU, treasury(CB))];
    const record = newRecord({ recordType: feeType, payload: { certificateNo: `fee-${run}` } });
    const registered = await call(api(EDU, '/records'), { body: record });
    expect(registered).toMatchObject({ status: 201, body: { id: record.id, status: 'ACTIVE' } });
    expect(registered.body.fees).toEqual([
      expect.objectContaining({ kind: 'FEE', amount: FEE, from: treasury(EDU), to: treasury(CB) }),
    ]);
    expect(await balance(HEA, treasury(EDU))).toBe(edu0 - BigInt(FEE));
    expect(await balance(HEA, treasury(CB))).toBe(cb0 + BigInt(FEE));

    // Education's User1 pays from its own officer account, which holds nothing.
    const me = (await call(api(EDU, '/authorities/me'))).body.id as string;
    const payer = officerAccountId(EDU, me);
    const unpaid = newRecord({ recordType: feeType, payload: { certificateNo: `unpaid-${run}` } });
    const refused = await call(api(EDU, '/records'), { body: { ...unpaid, feeAccount: payer } });
    expect(refused).toMatchObject({ status: 400, type: expect.stringContaining(PROBLEM) });
    expect(refused.body.detail).toContain(`insufficient funds in account ${payer}: ${FEE} KHR minor units`);
    expect((await call(api(HEA, `/records/${unpaid.id}`))).status).toBe(404);
    expect(await balance(EDU, treasury(EDU))).toBe(edu0 - BigInt(FEE));
    expect(await balance(EDU, treasury(CB))).toBe(cb0 + BigInt(FEE));
  });

  it('publishes a rate and records a conversion at it (central bank only)', async () => {
    const rate = await call(api(CB, '/currency/rates'), {
      body: { quote: 'USD', rate: '0.000245', quoteMinorUnits: 2 },
    });
    expect(rate).toMatchObject({ status: 201, body: { quote: 'USD', rate: '0.000245' } });
    expect((await call(api(HEA, '/currency/rates/USD'))).body).toMatchObject({
      quote: 'USD',
      seq: rate.body.seq,
    });
    const refused = await call(api(EDU, '/currency/rates'), {
      body: { quote: 'USD', rate: '1', quoteMinorUnits: 2 },
    });
    expect(refused).toMatchObject({ status: 403 });

    // 1,000,000 KHR (100,000,000 minor units) at 0.000245 USD each: 245.00 USD (24500 minor units).
    const conversion = await call(api(CB, '/currency/conversions'), {
      body: { direction: 'OUT', quote: 'USD', amount: '100000000', reference: `wire-${run}` },
    });
    expect(conversion).toMatchObject({ status: 201, body: { amountIn: '100000000', amountOut: '24500' } });
    const read = await call(api(EDU, `/currency/conversions/${conversion.body.id}`));
    expect(read.body).toMatchObject({
      id: conversion.body.id,
      rateSeq: rate.body.seq,
      reference: `wire-${run}`,
    });
  });

  it('answers bad input with a problem+json 400 naming what was wrong, and changes nothing', async () => {
    const before = (await call(api(CB, '/currency'))).body;
    const cases: [string, { body?: unknown; raw?: string }, RegExp][] = [
      ['/currency/mint', { body: { amount: 5 } }, /amount/],
      ['/currency/mint', { body: { amount: '-5' } }, /amount/],
      ['/currency/mint', { body: { amount: '5', extra: true } }, /extra/],
      ['/currency/transfers', { body: { from: 'nobody', to: treasury(EDU), amount: '1' } }, /from/],
      [
        '/currency/transfers',
        { body: { from: treasury(CB), to: citizen('alice'), amount: '1' } },
        /mixes collections/,
      ],
      ['/currency/rates', { body: { quote: 'usd', rate: 'x', quoteMinorUnits: 9 } }, /quote|rate/],
      ['/currency/mint', { raw: '{"amount": "5"' }, /JSON/i],
    ];
    for (const [path, init, pattern] of cases) {
      const bad = await call(api(CB, path), init);
      expect([path, bad.status, bad.type]).toEqual([path, 400, expect.stringContaining(PROBLEM)]);
      expect(bad.body).toMatchObject({ status: 400, type: expect.stringMatching(/^urn:govfabric:problem:/) });
      expect(`${bad.body.detail} ${JSON.stringify(bad.body.issues ?? [])}`).toMatch(pattern);
    }
    const unknown = await call(api(CB, '/currency/accounts/not-an-account/balance'));
    expect(unknown).toMatchObject({ status: 400, type: expect.stringContaining(PROBLEM) });
    expect((await call(api(CB, '/currency'))).body).toEqual(before);
  });
});
