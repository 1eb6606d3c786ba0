/* eslint-disable @typescript-eslint/no-explicit-any -- tests read fields of arbitrary JSON answers */
import type { NetworkDescriptor } from '@govfabric/network-config';
import { TEST_GATEWAY_PORT, testNetwork } from '../support/devnet';
import { peersInSync } from '../support/calls';
import { connectGateway } from '../support/gateway';
import { officerToken, startHttpGateway, type HttpGateway } from '../support/http';
import { expectedHash } from '../support/records';
import { newSeededRecord } from '../support/seed';

const TOKEN = 'it-admin-token-0123456789abcdef';

/** A JSON request with optional bearer token: the status and the parsed body. */
async function call(
  url: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  // Without the admin token, as the demo officer User1 (every route but verification needs a caller).
  headers.authorization = `Bearer ${init.token ?? (await officerToken())}`;
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  // A write answered by one ministry's gateway is committed on its peer; the next call may go to another's.
  if (res.ok && (init.method ?? (init.body === undefined ? 'GET' : 'POST')) !== 'GET')
    await peersInSync(testNetwork());
  return { status: res.status, body: text.length > 0 ? JSON.parse(text) : undefined, text };
}

// Issues 10 and 11 through the HTTP API: two ministries' gateways with admin routes on, a third without.
describe('HTTP API: records, schemas, governance, authorities', () => {
  const run = Date.now().toString(36);
  let net: NetworkDescriptor;
  let imm: HttpGateway;
  let edu: HttpGateway;
  let health: HttpGateway;
  const personal = { fullName: 'Amina Okafor', birthDate: '1990-05-17', passportNo: 'P4481923X' };
  const record = newSeededRecord('immigration.residence-permit');
  const amendedId = `${record.id}-v2`;
  let documentHash = '';

  beforeAll(async () => {
    net = testNetwork();
    const saved = process.env.GATEWAY_ADMIN_TOKEN;
    try {
      process.env.GATEWAY_ADMIN_TOKEN = TOKEN;
      imm = await startHttpGateway(net.home, 'ImmigrationMSP', TEST_GATEWAY_PORT + 1);
      edu = await startHttpGateway(net.home, 'EducationMSP', TEST_GATEWAY_PORT + 2);
      process.env.GATEWAY_ADMIN_TOKEN = '';
      health = await startHttpGateway(net.home, 'HealthMSP', TEST_GATEWAY_PORT + 3);
    } finally {
      if (saved === undefined) delete process.env.GATEWAY_ADMIN_TOKEN;
      else process.env.GATEWAY_ADMIN_TOKEN = saved;
    }
  });

  afterAll(async () => {
    await Promise.all([imm?.stop(), edu?.stop(), health?.stop()]);
  });

  it('registers with personal data in the transient map: readable by the issuer only, absent from the record', async () => {
    const created = await call(`${imm.url}/api/v1/records`, { body: { ...record, personal } });
    expect(created).toMatchObject({ status: 201 });
    documentHash = expectedHash(record.id, { ...record.payload, ...personal }, created.body.salt);
    expect(created.body).toMatchObject({ id: record.id, hash: documentHash, status: 'ACTIVE' });

    const got = await call(`${edu.url}/api/v1/records/${record.id}`);
    expect(got).toMatchObject({ status: 200 });
    expect(got.body).toMatchObject({ id: record.id, issuerMsp: 'ImmigrationMSP', payload: record.payload });
    expect(got.body.personalHash).toMatch(/^[0-9a-f]{64}$/);
    for (const value of Object.values(personal)) expect(got.text).not.toContain(value);

    const own = await call(`${imm.url}/api/v1/records/${record.id}/personal`);
    expect(own).toMatchObject({ status: 200 });
    expect(own.body).toMatchObject({ id: record.id, personal });
    const other = await call(`${edu.url}/api/v1/records/${record.id}/personal`);
    expect(other).toMatchObject({ status: 403 });
    for (const value of Object.values(personal)) expect(other.text).not.toContain(value);
    const matches = await call(`${edu.url}/api/v1/records/${record.id}/personal/verify`);
    expect(matches.body).toMatchObject({ id: record.id, hasPersonalData: true, matches: true });
  });

  it('refuses bad input with 400 before Fabric, and personal fields in the public payload in the chaincode', async () => {
    const bad = await call(`${imm.url}/api/v1/records`, { body: { ...record, id: 'bad id!' } });
    expect(bad).toMatchObject({ status: 400 });
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const leaked = newSeededRecord('immigration.residence-permit');
    const inPayload = await call(`${imm.url}/api/v1/records`, {
      body: { ...leaked, payload: { ...leaked.payload, fullName: 'Amina Okafor' } },
    });
    expect(inPayload).toMatchObject({ status: 400 });
    expect(inPayload.body.error.message).toContain('personal field(s) "fullName"');
    expect(inPayload.text).not.toContain('Amina');
  });

  it('amends the record; the history shows both versions', async () => {
    const payload = { ...record.payload, validUntil: '2029-12-31' };
    const amended = await call(`${imm.url}/api/v1/records/${record.id}/amend`, {
      body: { newId: amendedId, payload, reason: 'permit extended', personal },
    });
    expect(amended).toMatchObject({ status: 201 });
    expect(amended.body).toMatchObject({ id: amendedId, version: 2, supersedes: record.id });
    expect(amended.body.transactionId).toMatch(/^[0-9a-f]{64}$/);
    documentHash = expectedHash(amendedId, { ...payload, ...personal }, amended.body.salt);
    expect(amended.body.hash).toBe(documentHash);

    const old = await call(`${edu.url}/api/v1/records/${record.id}`);
    expect(old.body).toMatchObject({ status: 'SUPERSEDED', supersededBy: amendedId });
    const history = await call(`${edu.url}/api/v1/records/${amendedId}/history`);
    expect(history).toMatchObject({ status: 200 });
    const versions = (
      history.body as { recordId: string; record: { version: number; status: string } }[]
    ).map((entry) => `${entry.recordId}:${entry.record.version}:${entry.record.status}`);
    expect(versions).toEqual(
      expect.arrayContaining([`${record.id}:1:ACTIVE`, `${record.id}:1:SUPERSEDED`, `${amendedId}:2:ACTIVE`]),
    );
  });

  it('lets only the issuer revoke; verify then reports REVOKED by hash and by id', async () => {
    const foreign = await call(`${edu.url}/api/v1/records/${amendedId}/revoke`, {
      body: { reason: 'not ours' },
    });
    expect(foreign).toMatchObject({ status: 403 });
    expect(foreign.body.error.message).toContain('issued by ImmigrationMSP');
    expect(await call(`${imm.url}/api/v1/records/${amendedId}/revoke`, { body: {} })).toMatchObject({
      status: 400,
    });

    const revoked = await call(`${imm.url}/api/v1/records/${amendedId}/revoke`, {
      body: { reason: 'issued in error' },
    });
    expect(revoked).toMatchObject({ status: 200 });
    expect(revoked.body).toMatchObject({ id: amendedId, status: 'REVOKED' });
    // Well formed, but the record's status no longer allows it: a conflict with the ledger.
    const again = await call(`${imm.url}/api/v1/records/${amendedId}/revoke`, {
      body: { reason: 'issued in error' },
    });
    expect(again).toMatchObject({ status: 409 });
    expect(again.body.error).toMatchObject({ code: 'WRONG_STATUS' });
    expect(again.body.error.message).toContain('is REVOKED; RevokeRecord applies only to');

    const byHash = await call(`${health.url}/api/v1/records/verify/${documentHash}`);
    expect(byHash).toMatchObject({ status: 200 });
    expect(byHash.body).toMatchObject({
      found: true,
      id: amendedId,
      status: 'REVOKED',
      issuerMsp: 'ImmigrationMSP',
    });
    const byId = await call(`${health.url}/api/v1/records/${amendedId}/verify`);
    expect(byId.body).toMatchObject({ found: true, status: 'REVOKED' });
    const unknown = await call(`${health.url}/api/v1/records/never-${run}/verify`);
    expect(unknown).toMatchObject({ status: 404 });
    expect(unknown.body.found).toBe(false);

    const trail = await call(`${imm.url}/api/v1/audit/records/${amendedId}/trail`);
    expect(trail).toMatchObject({ status: 200 });
    expect(trail.body.items.map((e: any) => e.action)).toEqual(['RECORD_AMENDED', 'RECORD_REVOKED']);
  });

  it('lists records page by page with a bookmark and refuses an oversized page', async () => {
    const query = `by=type&value=immigration.residence-permit&pageSize=1`;
    const first = await call(`${edu.url}/api/v1/records?${query}`);
    expect(first).toMatchObject({ status: 200 });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.bookmark).not.toBe('');
    const second = await call(
      `${edu.url}/api/v1/records?${query}&bookmark=${encodeURIComponent(first.body.bookmark)}`,
    );
    expect(second).toMatchObject({ status: 200 });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const oversized = await call(
      `${edu.url}/api/v1/records?by=type&value=immigration.residence-permit&pageSize=101`,
    );
    expect(oversized).toMatchObject({ status: 400 });
  });

  it('registers a schema through the admin route only with the token', async () => {
    const recordType = `immigration.visa-${run}`;
    const body = {
      recordType,
      schema: {
        type: 'object',
        required: ['visaNo'],
        properties: { visaNo: { type: 'string' }, fullName: { type: 'string' } },
      },
      personalFields: ['fullName'],
    };
    // an authenticated officer on a gateway without GATEWAY_ADMIN_TOKEN (another gateway's admin
    // token is no credential here: 401)
    const disabled = await call(`${health.url}/api/v1/schemas`, {
      body: { ...body, recordType: `health.x-${run}` },
    });
    expect(disabled).toMatchObject({ status: 403 });
    expect(disabled.body.error.message).toContain('GATEWAY_ADMIN_TOKEN');
    expect(await call(`${imm.url}/api/v1/schemas`, { body })).toMatchObject({ status: 401 });
    expect(await call(`${imm.url}/api/v1/schemas`, { body, token: 'wrong-token-0123456789' })).toMatchObject({
      status: 401,
    });
    expect(await call(`${edu.url}/api/v1/schemas/${recordType}`)).toMatchObject({ status: 404 });

    const created = await call(`${imm.url}/api/v1/schemas`, { body, token: TOKEN });
    expect(created).toMatchObject({ status: 201 });
    expect(created.body).toMatchObject({ id: recordType, version: 1, ownerMsp: 'ImmigrationMSP' });
    const got = await call(`${edu.url}/api/v1/schemas/${recordType}?version=1`);
    expect(got).toMatchObject({ status: 200 });
    expect(got.body).toMatchObject({ version: 1, personalFields: ['fullName'] });
    const versions = await call(`${edu.url}/api/v1/schemas/${recordType}/versions`);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it("enacts a law proposed by one ministry and approved through two ministries' gateways and the central bank", async () => {
    const id = `p-http-${run}`;
    const lawId = `L-http-${run}`;
    const content = {
      id: lawId,
      title: 'Digital Services Act',
      textHash: 'd'.repeat(64),
      effectiveFrom: '2020-01-01',
    };
    const again = await call(`${imm.url}/api/v1/governance/ministries`, { method: 'POST', token: TOKEN });
    expect(again).toMatchObject({ status: 409 });

    const proposed = await call(`${imm.url}/api/v1/governance/proposals`, {
      body: { id, kind: 'law', content },
      token: TOKEN,
    });
    expect(proposed).toMatchObject({ status: 201 });
    expect(proposed.body).toMatchObject({ id, status: 'OPEN' });
    expect(
      await call(`${imm.url}/api/v1/governance/proposals/${id}/approve`, { method: 'POST' }),
    ).toMatchObject({ status: 401 });
    expect(
      await call(`${imm.url}/api/v1/governance/proposals/${id}/approve`, { method: 'POST', token: TOKEN }),
    ).toMatchObject({ status: 200 });
    expect(
      await call(`${edu.url}/api/v1/governance/proposals/${id}/approve`, { method: 'POST', token: TOKEN }),
    ).toMatchObject({ status: 200 });
    // Four registered organizations (the central bank too): a majority is three; the central
    // bank runs no gateway here, its admin approves through its peer.
    const bank = connectGateway(net, 'CentralBankMSP', 'admin');
    try {
      await bank.gateway
        .getNetwork(net.channel)
        .getContract(net.chaincode.name)
        .submitTransaction('governance:Approve', id);
    } finally {
      bank.close();
    }
    await peersInSync(net);

    const tallied = await call(`${health.url}/api/v1/governance/proposals/${id}/tally`, { method: 'POST' });
    expect(tallied).toMatchObject({ status: 200 });
    expect(tallied.body).toMatchObject({
      status: 'ENACTED',
      outcome: { approvals: ['CentralBankMSP', 'EducationMSP', 'ImmigrationMSP'] },
    });
    const stored = await call(`${edu.url}/api/v1/governance/proposals/${id}`);
    expect(stored.body.proposal).toMatchObject({ id, status: 'ENACTED' });
    expect(stored.body.decisions).toHaveLength(3);
    const versions = await call(`${edu.url}/api/v1/rules/versions?kind=law&id=${lawId}`);
    expect(versions).toMatchObject({ status: 200 });
    expect(versions.body).toMatchObject({
      id: lawId,
      kind: 'law',
      versions: [{ version: 1, proposalId: id }],
    });
    const tree = await call(`${edu.url}/api/v1/rules/laws/${lawId}/tree`);
    expect(tree).toMatchObject({ status: 200 });
    const inForce = await call(
      `${edu.url}/api/v1/rules/in-force?kind=law&id=${lawId}&at=2019-12-31T00:00:00Z`,
    );
    expect(inForce).toMatchObject({ status: 404 });
    const ministries = await call(`${health.url}/api/v1/governance/ministries`);
    expect(ministries.body.ministries.map((m: { mspId: string }) => m.mspId)).toEqual([
      'CentralBankMSP',
      'EducationMSP',
      'HealthMSP',
      'ImmigrationMSP',
    ]);
  });

  it("grants a role with the ministry admin's route, and revokes it", async () => {
    const me = await call(`${edu.url}/api/v1/authorities/me`);
    expect(me).toMatchObject({ status: 200 });
    expect(me.body).toMatchObject({ mspId: 'EducationMSP' });
    const scope = `G2E/education.credential`;
    const denied = await call(`${edu.url}/api/v1/authorities/check?role=verifier&scope=${scope}`);
    expect(denied).toMatchObject({ status: 403 });

    const granted = await call(`${edu.url}/api/v1/authorities/grants`, {
      body: { holder: me.body.id, role: 'verifier', scope },
      token: TOKEN,
    });
    expect(granted).toMatchObject({ status: 201 });
    expect(granted.body).toMatchObject({ holder: me.body.id, role: 'verifier', status: 'ACTIVE' });
    const grantId = granted.body.transactionId as string;
    expect((await call(`${health.url}/api/v1/authorities/grants/${grantId}`)).body).toMatchObject({
      status: 'ACTIVE',
    });
    expect(await call(`${edu.url}/api/v1/authorities/check?role=verifier&scope=${scope}`)).toMatchObject({
      status: 200,
    });
    const listed = await call(
      `${edu.url}/api/v1/authorities/grants?mspId=EducationMSP&holder=${encodeURIComponent(me.body.id)}`,
    );
    expect(listed.body.items.map((g: { role: string }) => g.role)).toEqual(
      expect.arrayContaining(['issuer', 'verifier']),
    );

    const foreign = await call(`${imm.url}/api/v1/authorities/grants/${grantId}/revoke`, {
      body: { reason: 'not yours' },
      token: TOKEN,
    });
    expect(foreign).toMatchObject({ status: 403 });
    const revoked = await call(`${edu.url}/api/v1/authorities/grants/${grantId}/revoke`, {
      body: { reason: 'test over' },
      token: TOKEN,
    });
    expect(revoked).toMatchObject({ status: 200 });
    expect(revoked.body).toMatchObject({ status: 'REVOKED' });
    expect(await call(`${edu.url}/api/v1/authorities/check?role=verifier&scope=${scope}`)).toMatchObject({
      status: 403,
    });
  });
});
