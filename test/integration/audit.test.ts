/* eslint-disable @typescript-eslint/no-explicit-any -- tests read fields of arbitrary JSON answers */
import type { Contract } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { TEST_GATEWAY_PORT, testNetwork } from '../support/devnet';
import { errorText, evaluateJson, peersInSync, submitJson, submitJsonWith } from '../support/calls';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import { httpJson, officerToken, startHttpGateway, type HttpGateway } from '../support/http';
import { connectLegacy, invokeLegacy, type LegacyClient } from '../support/legacy';
import { newRecord, registration } from '../support/records';

const hash = 'd'.repeat(64);

// Issue 15 on the devnet: proof of authority for an education credential type under a 2-of-n policy.
describe('audit: policies, cases, decisions, trail and reports', () => {
  const run = Date.now().toString(36);
  const recordType = `education.credential.a${run}`;
  const ruleId = `AUDIT-${run}`;
  let net: NetworkDescriptor;
  let edu: GatewayConnection;
  let health: GatewayConnection;
  let imm: GatewayConnection;
  let eduUser: GatewayConnection;
  let healthHttp: HttpGateway;
  let immLegacy: LegacyClient;
  const cc = (g: GatewayConnection): Contract =>
    g.gateway.getNetwork(net.channel).getContract(net.chaincode.name);
  const submit = (g: GatewayConnection, name: string, ...args: string[]) =>
    submitJson(net, cc(g), name, ...args);

  /**
   * Proposes as Education, approves by Education, Health and Immigration (a majority of the four
   * registered organizations, the central bank being the fourth), tallies as Immigration.
   */
  async function enact(id: string, kind: string, content: object): Promise<any> {
    await submit(edu, 'governance:Propose', JSON.stringify({ id, kind, content }));
    for (const g of [edu, health, imm]) await submit(g, 'governance:Approve', id);
    return submit(imm, 'governance:Tally', id);
  }

  /** The audit rule on the test's record type: version 1 (2 of n, one outside Education), version 2 (1 of n, 1 s). */
  const auditRule = (audit: object) => ({
    id: ruleId,
    lawId: `AL-${run}`,
    articleId: 'art-1',
    title: 'Credentials are confirmed by auditors',
    textHash: hash,
    appliesTo: [`G2C/${recordType}`],
    audit,
    effectiveFrom: '2020-01-01',
  });

  beforeAll(async () => {
    net = testNetwork();
    edu = connectGateway(net, 'EducationMSP', 'admin');
    health = connectGateway(net, 'HealthMSP', 'admin');
    imm = connectGateway(net, 'ImmigrationMSP', 'admin');
    eduUser = connectGateway(net, 'EducationMSP');
    for (const g of [edu, health, imm]) {
      await submit(g, 'governance:RegisterMinistry').catch((err: unknown) => {
        if (!/is already registered/.test(errorText(err))) throw err;
      });
    }
    await submit(
      edu,
      'schemas:RegisterSchema',
      recordType,
      JSON.stringify({ schema: { type: 'object', properties: { certificateNo: { type: 'string' } } } }),
    );
    await enact(`ap-law-${run}`, 'law', {
      id: `AL-${run}`,
      title: 'Credentials Act',
      textHash: hash,
      effectiveFrom: '2020-01-01',
    });
    await enact(`ap-art-${run}`, 'article', {
      lawId: `AL-${run}`,
      id: 'art-1',
      title: 'Audit of credentials',
      textHash: hash,
      effectiveFrom: '2020-01-01',
    });
    await enact(
      `ap-rule1-${run}`,
      'rule',
      auditRule({ approvals: 2, outsideIssuer: 1, deadlineSeconds: 3600 }),
    );
    // Health's and Immigration's User1 audit Education's records (a category scope: domains are their owners')
    for (const [g, mspId] of [
      [health, 'HealthMSP'],
      [imm, 'ImmigrationMSP'],
    ] as const) {
      const who = connectGateway(net, mspId);
      const holder = (await evaluateJson(cc(who), 'authorities:WhoAmI')).id;
      who.close();
      await submit(
        g,
        'authorities:GrantRole',
        JSON.stringify({ holder, role: 'auditor', scope: 'G2C', issuers: ['EducationMSP'] }),
      );
    }
    healthHttp = await startHttpGateway(net.home, 'HealthMSP', TEST_GATEWAY_PORT + 10);
    immLegacy = await connectLegacy(net, 'ImmigrationMSP');
  });

  afterAll(async () => {
    for (const g of [edu, health, imm, eduUser]) g?.close();
    immLegacy?.close();
    await healthHttp?.stop();
  });

  it('confirms a credential by a Health auditor (HTTP gateway) and an Immigration auditor (fabric-common); trail verifies; report counts it; a second record expires', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 600_000).toISOString();
    // Other suites on the shared network open Education's cases too (currency.test's permit, when it
    // ran within the window): the report is compared with its answer before this test's cases.
    const reportUrl = `${healthHttp.url}/api/v1/audit/reports/EducationMSP?from=${from}&to=${to}`;
    const counts = (r: { body: any }) => ({
      opened: (r.body.cases?.opened as number | undefined) ?? 0,
      confirmed: (r.body.cases?.byStatus?.CONFIRMED as number | undefined) ?? 0,
      expired: (r.body.cases?.byStatus?.EXPIRED as number | undefined) ?? 0,
      pending:
        (r.body.actions?.byAction?.RECORD_REGISTERED?.outcomes?.PENDING_AUDIT as number | undefined) ?? 0,
    });
    const baseline = await httpJson(reportUrl);
    expect(baseline.status).toBe(200);
    const before = counts(baseline);
    const record = newRecord({ recordType, payload: { certificateNo: `c-${run}` } });
    const registered = await submitJsonWith(
      net,
      cc(eduUser),
      'ledger:RegisterRecord',
      [JSON.stringify(record)],
      registration(net, 'EducationMSP', record.id),
    );
    expect(registered).toMatchObject({ id: record.id, status: 'PENDING_AUDIT' });
    const caseId = registered.txId;

    // a new policy version while the case is open: the case keeps version 1
    await enact(`ap-rule2-${run}`, 'rule', auditRule({ approvals: 1, deadlineSeconds: 1 }));

    // Immigration's auditor through fabric-common, the gateway bypassed: the version 2 policy (one
    // approval) would close the case here; version 1 needs a second one
    const byLegacy = await invokeLegacy(
      immLegacy,
      ['EducationMSP', 'HealthMSP', 'ImmigrationMSP'],
      'audit:Approve',
      [caseId, 'identity documents checked'],
    );
    expect(byLegacy.validationCode).toBe('VALID');
    expect(JSON.parse(byLegacy.payload)).toMatchObject({ status: 'OPEN', approvals: 1, outsideApprovals: 1 });

    // Health's auditor through its HTTP gateway closes it: the record key's own policy needs
    // Education's peer, which the gateway finds from the endorsement's chaincode interest
    const byHttp = await httpJson(`${healthHttp.url}/api/v1/audit/cases/${caseId}/approve`, {
      method: 'POST',
      body: { reason: 'diploma register checked' },
    });
    expect(byHttp).toMatchObject({ status: 200, body: { status: 'CONFIRMED', approvals: 2 } });
    await peersInSync(net);

    expect(await evaluateJson(cc(eduUser), 'ledger:GetRecord', record.id)).toMatchObject({
      status: 'ACTIVE',
    });
    const verified = await evaluateJson(cc(imm), 'ledger:VerifyRecord', record.id);
    expect(verified).toMatchObject({
      found: true,
      status: 'ACTIVE',
      audit: {
        caseId,
        status: 'CONFIRMED',
        policies: [{ ruleId, version: 1 }],
        confirmedBy: ['HealthMSP', 'ImmigrationMSP'],
      },
    });
    for (const [type, id] of [
      ['record', record.id],
      ['auditcase', caseId],
    ]) {
      const check = await httpJson(`${healthHttp.url}/api/v1/audit/trail/${type}/${id}/verify`);
      expect(check).toMatchObject({ status: 200, body: { valid: true } });
    }
    const caseTrail = await httpJson(`${healthHttp.url}/api/v1/audit/trail/auditcase/${caseId}`);
    expect(caseTrail.body.items.map((e: any) => [e.action, e.actorMsp])).toEqual([
      ['AUDIT_CASE_OPENED', 'EducationMSP'],
      ['AUDIT_APPROVED', 'ImmigrationMSP'],
      ['AUDIT_APPROVED', 'HealthMSP'],
      ['AUDIT_CASE_CONFIRMED', 'HealthMSP'],
    ]);

    // a second record under version 2 (deadline one second): nobody decides, anyone records the expiry
    const second = newRecord({ recordType, payload: { certificateNo: `c2-${run}` } });
    const secondCase = (
      await submitJsonWith(
        net,
        cc(eduUser),
        'ledger:RegisterRecord',
        [JSON.stringify(second)],
        registration(net, 'EducationMSP', second.id),
      )
    ).txId;
    const { case: opened } = await evaluateJson(cc(eduUser), 'audit:GetCase', secondCase);
    expect(opened.requirement.policies).toEqual([{ ruleId, version: 2 }]);
    // wait (not a timing assertion) until a transaction's time can be past the deadline
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, Date.parse(opened.deadline) - Date.now() + 200)),
    );
    const expired = await httpJson(`${healthHttp.url}/api/v1/audit/cases/${secondCase}/expire`, {
      method: 'POST',
    });
    expect(expired).toMatchObject({ status: 200, body: { status: 'EXPIRED' } });
    await peersInSync(net);
    expect(await evaluateJson(cc(eduUser), 'ledger:GetRecord', second.id)).toMatchObject({
      status: 'REJECTED',
    });

    const report = await httpJson(reportUrl);
    expect(report.status).toBe(200);
    expect(counts(report)).toEqual({
      opened: before.opened + 2,
      confirmed: before.confirmed + 1,
      expired: before.expired + 1,
      pending: before.pending + 2,
    });
    const csv = await fetch(`${reportUrl}&format=csv`, {
      headers: { authorization: `Bearer ${await officerToken()}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain(`,cases,status,CONFIRMED,${before.confirmed + 1}`);
  });
});
