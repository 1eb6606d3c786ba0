import '../testing/quiet-logs';
import { AccessDeniedError, AlreadyExistsError, InvalidArgumentError, NotFoundError } from '../lib/errors';
import { entryKey } from '../lib/trail-keys';
import { GovernanceDriver, ruleContent, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { newIdentity, type TestIdentity } from '../testing/identities';
import { AuditContract } from './audit';
import { LedgerContract } from './ledger';
import { SchemasContract } from './schemas';

/** Education credentials under a 2-of-n policy with one approval from outside Education. */
const POLICY = { approvals: 2, outsideIssuer: 1, deadlineSeconds: 3600 };
const START = Date.parse('2025-03-01T09:00:00.000Z');

describe('audit contract', () => {
  const audit = new AuditContract();
  const ledger = new LedgerContract();
  let m: TestMinistries;
  let h: ContractHarness;
  let d: GovernanceDriver;
  let n = 0;

  beforeAll(async () => {
    m = await threeMinistries();
  });

  /** Ministries, law L1/a1, the audit policy R1 and the education.credential schema; auditors as named. */
  beforeEach(async () => {
    h = new ContractHarness();
    d = new GovernanceDriver(h, m);
    await d.registerAll();
    await d.enactLawAndArticle();
    await d.enact('rule', ruleContent({ condition: undefined, audit: POLICY }));
    await h.run(m.edu.admin, (ctx) =>
      new SchemasContract().RegisterSchema(
        ctx,
        'education.credential',
        JSON.stringify({ schema: { type: 'object' } }),
      ),
    );
    // another ministry grants no role inside the education domain: its auditors hold the category
    const auditor = async (admin: TestIdentity, who: TestIdentity, issuers: string[]) =>
      d.grant(admin, {
        holder: await d.idOf(who),
        role: 'auditor',
        scope: admin === m.edu.admin ? 'G2C/education' : 'G2C',
        issuers,
      });
    await auditor(m.health.admin, m.health.client, ['EducationMSP']);
    await auditor(m.imm.admin, m.imm.client, ['*']);
    await auditor(m.edu.admin, m.edu.client, ['EducationMSP']);
  });

  const parse = (out: { result: string }) => JSON.parse(out.result);

  /** Education's root admin registers a credential; returns its id and case id. */
  async function register(): Promise<{ id: string; caseId: string }> {
    const id = `EDU-${++n}`;
    const record = {
      id,
      category: 'G2C',
      recordType: 'education.credential',
      subjectRef: 'psn:0123456789abcdef0123',
      payload: { degree: 'MSc', no: id },
    };
    const out = await h.run(m.edu.admin, (ctx) => ledger.RegisterRecord(ctx, JSON.stringify(record)));
    return { id, caseId: out.txId };
  }

  const approve = (who: TestIdentity, caseId: string, at?: Date) =>
    h.run(who, (ctx) => audit.Approve(ctx, caseId, 'documents checked'), undefined, at ? { at } : {});
  const reject = (who: TestIdentity, caseId: string) =>
    h.run(who, (ctx) => audit.Reject(ctx, caseId, 'signature missing'));
  const getCase = async (caseId: string) =>
    parse(await h.run(m.edu.client, (ctx) => audit.GetCase(ctx, caseId)));
  const record = async (id: string) => parse(await h.run(m.edu.client, (ctx) => ledger.GetRecord(ctx, id)));

  it('opens a case in the registration transaction, the record PENDING_AUDIT, pinning the policy version', async () => {
    const { id, caseId } = await register();
    expect(await record(id)).toMatchObject({ status: 'PENDING_AUDIT', auditCaseId: caseId });
    const c = await getCase(caseId);
    expect(c.case).toMatchObject({
      id: caseId,
      recordId: id,
      origin: 'REGISTRATION',
      status: 'OPEN',
      issuerMsp: 'EducationMSP',
      requirement: { ...POLICY, rejections: 1, policies: [{ ruleId: 'R1', version: 1 }] },
    });
    expect(c.case.deadline).toBe(new Date(Date.parse(c.case.openedAt) + 3600_000).toISOString());
    const listed = parse(
      await h.run(m.edu.client, (ctx) => ledger.ListRecords(ctx, 'status', 'PENDING_AUDIT', '10', '')),
    );
    expect(listed.items.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it('confirms on quorum (2 approvals, one outside Education): case CONFIRMED, record ACTIVE, verify reports it', async () => {
    const { id, caseId } = await register();
    // two approvals from inside Education would not do: the outside one is missing
    const first = parse(await approve(m.edu.client, caseId));
    expect(first).toMatchObject({ status: 'OPEN', approvals: 1, outsideApprovals: 0 });
    const second = await approve(m.health.client, caseId);
    expect(parse(second)).toMatchObject({ status: 'CONFIRMED', approvals: 2, outsideApprovals: 1 });
    expect(second.event?.name).toBe('AuditCaseClosed');
    expect((await getCase(caseId)).case).toMatchObject({
      status: 'CONFIRMED',
      confirmedBy: ['EducationMSP', 'HealthMSP'],
      closedTxId: second.txId,
    });
    expect(await record(id)).toMatchObject({ status: 'ACTIVE', txId: second.txId });
    const verified = parse(await h.run(m.imm.client, (ctx) => ledger.VerifyRecord(ctx, id)));
    expect(verified).toMatchObject({
      found: true,
      status: 'ACTIVE',
      audit: {
        caseId,
        status: 'CONFIRMED',
        policies: [{ ruleId: 'R1', version: 1 }],
        confirmedBy: ['EducationMSP', 'HealthMSP'],
      },
    });
  });

  it('opens an AMENDMENT case when a confirmed record is amended: the new version PENDING_AUDIT until its own quorum', async () => {
    const { id, caseId } = await register();
    await approve(m.edu.client, caseId);
    await approve(m.health.client, caseId);
    const amendment = {
      newId: `${id}-v2`,
      payload: { degree: 'MSc', no: id, grade: 1.3 },
      reason: 'grade corrected',
    };
    const amended = await h.run(m.edu.admin, (ctx) => ledger.AmendRecord(ctx, id, JSON.stringify(amendment)));
    const newCaseId = amended.txId;
    expect(await record(id)).toMatchObject({ status: 'SUPERSEDED' });
    expect(await record(amendment.newId)).toMatchObject({ status: 'PENDING_AUDIT', auditCaseId: newCaseId });
    expect((await getCase(newCaseId)).case).toMatchObject({
      recordId: amendment.newId,
      origin: 'AMENDMENT',
      status: 'OPEN',
      requirement: { policies: [{ ruleId: 'R1', version: 1 }] },
    });
    // the first case's approvals do not count for the amendment's case
    expect(parse(await approve(m.imm.client, newCaseId))).toMatchObject({ status: 'OPEN', approvals: 1 });
    expect(parse(await approve(m.health.client, newCaseId))).toMatchObject({
      status: 'CONFIRMED',
      approvals: 2,
    });
    expect(await record(amendment.newId)).toMatchObject({ status: 'ACTIVE' });
  });

  it('needs the outside approval: two approvals from Education alone leave the case open', async () => {
    const { caseId } = await register();
    await approve(m.edu.client, caseId);
    const c = await getCase(caseId);
    expect(c.tally).toEqual({
      approvals: 1,
      outsideApprovals: 0,
      rejections: 0,
      approvingMinistries: ['EducationMSP'],
    });
    expect(c.case.status).toBe('OPEN');
  });

  it('rejects on the rejection quorum: case REJECTED, record REJECTED', async () => {
    const { id, caseId } = await register();
    await approve(m.health.client, caseId);
    const out = parse(await reject(m.imm.client, caseId));
    expect(out).toMatchObject({ status: 'REJECTED', rejections: 1, decision: 'REJECT' });
    expect(await record(id)).toMatchObject({
      status: 'REJECTED',
      statusReason: `audit case ${caseId} REJECTED`,
    });
    await expect(approve(m.edu.client, caseId)).rejects.toThrow(`audit case ${caseId} is REJECTED, not OPEN`);
  });

  it('expires by an explicit transaction after the deadline (transaction time), never before', async () => {
    const { id, caseId } = await register();
    const { deadline } = (await getCase(caseId)).case;
    await expect(h.run(m.imm.client, (ctx) => audit.ExpireCase(ctx, caseId))).rejects.toThrow(
      `audit case ${caseId} is open until its deadline ${deadline}`,
    );
    const late = new Date(Date.parse(deadline) + 1000);
    await expect(approve(m.health.client, caseId, late)).rejects.toThrow(
      `audit case ${caseId} passed its deadline ${deadline}; submit audit:ExpireCase`,
    );
    expect(
      (await h.run(m.edu.client, (ctx) => audit.GetCase(ctx, caseId), undefined, { at: late })).result,
    ).toContain('"overdue":true');
    const expired = await h.run(m.imm.client, (ctx) => audit.ExpireCase(ctx, caseId), undefined, {
      at: late,
    });
    expect(parse(expired)).toMatchObject({ status: 'EXPIRED' });
    expect(await record(id)).toMatchObject({
      status: 'REJECTED',
      statusReason: `audit case ${caseId} EXPIRED`,
    });
  });

  it('refuses self-audit: the identity that issued the record never audits it', async () => {
    const { caseId } = await register();
    await expect(approve(m.edu.admin, caseId)).rejects.toThrow(AccessDeniedError);
    await expect(approve(m.edu.admin, caseId)).rejects.toThrow(
      'issued the record and may not audit it (separation of duties)',
    );
  });

  it('refuses a second decision by the same auditor (approve then reject), writing nothing', async () => {
    const { caseId } = await register();
    await approve(m.health.client, caseId);
    const before = h.world.state.size;
    await expect(reject(m.health.client, caseId)).rejects.toThrow(AlreadyExistsError);
    await expect(approve(m.health.client, caseId)).rejects.toThrow(
      `already decided on audit case ${caseId}; an auditor decides once`,
    );
    expect(h.world.state.size).toBe(before);
  });

  it('refuses an ineligible auditor: no grant, a revoked grant, or a grant not covering the issuer', async () => {
    const { caseId } = await register();
    const health = { client: await newIdentity('HealthMSP', 'Clerk@health.egov.local', ['client']) };
    const imm = { client: await newIdentity('ImmigrationMSP', 'Clerk@immigration.egov.local', ['client']) };
    await expect(approve(health.client, caseId)).rejects.toThrow(
      'lacks role auditor for scope G2C/education.credential of records issued by EducationMSP',
    );
    // an Immigration auditor for Immigration's own records only
    await d.grant(m.imm.admin, { holder: await d.idOf(imm.client), role: 'auditor', scope: 'G2C' });
    await expect(approve(imm.client, caseId)).rejects.toThrow('lacks role auditor');
    // a revoked auditor
    const grantId = await d.grant(m.health.admin, {
      holder: await d.idOf(health.client),
      role: 'auditor',
      scope: 'G2C',
      issuers: ['*'],
    });
    await h.run(m.health.admin, (ctx) => d.authorities.RevokeRole(ctx, grantId, 'rotation'));
    await expect(approve(health.client, caseId)).rejects.toThrow('lacks role auditor');
    const eligible = parse(await h.run(m.edu.client, (ctx) => audit.GetEligibleAuditors(ctx, caseId)));
    expect(eligible.auditors.map((g: { mspId: string }) => g.mspId).sort()).toEqual([
      'EducationMSP',
      'HealthMSP',
      'ImmigrationMSP',
    ]);
    expect(eligible.auditors.map((g: { id: string }) => g.id)).not.toContain(grantId);
  });

  it('keeps the policy version a case opened with when the policy changes while it is open', async () => {
    const { id: first, caseId: pinned } = await register();
    await d.enact(
      'rule',
      ruleContent({ condition: undefined, audit: { approvals: 1, deadlineSeconds: 60 } }),
    );
    const { caseId: later } = await register();
    expect((await getCase(later)).case.requirement).toMatchObject({
      approvals: 1,
      policies: [{ ruleId: 'R1', version: 2 }],
    });
    // the old case still needs two approvals with one from outside
    expect(parse(await approve(m.health.client, pinned))).toMatchObject({ status: 'OPEN', approvals: 1 });
    expect((await getCase(pinned)).case.requirement).toMatchObject({
      approvals: 2,
      outsideIssuer: 1,
      policies: [{ ruleId: 'R1', version: 1 }],
    });
    expect(parse(await approve(m.imm.client, pinned))).toMatchObject({ status: 'CONFIRMED' });
    expect(await record(first)).toMatchObject({ status: 'ACTIVE' });
  });

  it('refuses a malformed audit policy when the rule is proposed, naming the field', async () => {
    await expect(
      h.run(m.edu.admin, (ctx) =>
        d.governance.Propose(
          ctx,
          JSON.stringify({
            id: 'bad',
            kind: 'rule',
            content: ruleContent({ id: 'R9', audit: { approvals: 0, deadlineSeconds: 1 } }),
          }),
        ),
      ),
    ).rejects.toThrow('field "audit": field "approvals" must be an integer from 1 to 20');
  });

  describe('cases opened by hand', () => {
    it('are restricted to auditors of the record, do not change it, and follow the policy in force', async () => {
      const { id, caseId } = await register();
      await approve(m.edu.client, caseId);
      await approve(m.imm.client, caseId);
      const health = { client: await newIdentity('HealthMSP', 'Clerk@health.egov.local', ['client']) };
      await expect(
        h.run(health.client, (ctx) => audit.OpenCase(ctx, id, 'complaint received')),
      ).rejects.toThrow(
        'lacks role auditor for scope G2C/education.credential of records issued by EducationMSP',
      );
      const opened = parse(
        await h.run(m.health.client, (ctx) => audit.OpenCase(ctx, id, 'complaint received')),
      );
      expect(opened).toMatchObject({ recordId: id, status: 'OPEN' });
      const c = (await getCase(opened.caseId)).case;
      expect(c).toMatchObject({
        origin: 'INQUIRY',
        reason: 'complaint received',
        requirement: { approvals: 2 },
      });
      await reject(m.imm.client, opened.caseId);
      expect((await getCase(opened.caseId)).case.status).toBe('REJECTED');
      expect(await record(id)).toMatchObject({ status: 'ACTIVE' });
    });

    it('refuse a bad reason, an unknown record and a malformed case id', async () => {
      const { id } = await register();
      await expect(h.run(m.health.client, (ctx) => audit.OpenCase(ctx, id, 'a\nb'))).rejects.toThrow(
        'reason must not contain control characters',
      );
      await expect(h.run(m.health.client, (ctx) => audit.OpenCase(ctx, 'EDU-0', 'why'))).rejects.toThrow(
        NotFoundError,
      );
      await expect(h.run(m.health.client, (ctx) => audit.GetCase(ctx, 'CASE-1'))).rejects.toThrow(
        InvalidArgumentError,
      );
      await expect(h.run(m.health.client, (ctx) => audit.GetCase(ctx, 'f'.repeat(64)))).rejects.toThrow(
        `audit case ${'f'.repeat(64)} does not exist`,
      );
    });
  });

  describe('the trail', () => {
    it('chains every change of a record and its case, pages by target, and verifies', async () => {
      const { id, caseId } = await register();
      await approve(m.health.client, caseId);
      await approve(m.imm.client, caseId);
      const page1 = parse(await h.run(m.edu.client, (ctx) => audit.GetTrail(ctx, 'record', id, '1', '')));
      expect(page1.items.map((e: { action: string }) => e.action)).toEqual(['RECORD_REGISTERED']);
      const page2 = parse(
        await h.run(m.edu.client, (ctx) => audit.GetTrail(ctx, 'record', id, '1', page1.bookmark)),
      );
      expect(page2).toMatchObject({
        items: [{ action: 'RECORD_CONFIRMED', seq: 2, prevHash: page1.items[0].hash }],
        bookmark: '',
      });
      const caseTrail = parse(
        await h.run(m.edu.client, (ctx) => audit.GetTrail(ctx, 'auditcase', caseId, '10', '')),
      );
      expect(caseTrail.items.map((e: { action: string }) => e.action)).toEqual([
        'AUDIT_CASE_OPENED',
        'AUDIT_APPROVED',
        'AUDIT_APPROVED',
        'AUDIT_CASE_CONFIRMED',
      ]);
      const verified = parse(await h.run(m.edu.client, (ctx) => audit.VerifyTrail(ctx, 'auditcase', caseId)));
      expect(verified).toEqual({
        targetType: 'auditcase',
        targetId: caseId,
        entries: 4,
        valid: true,
        headHash: caseTrail.items[3].hash,
      });
    });

    it('reports the first break when a stored entry is tampered with', async () => {
      const { id, caseId } = await register();
      await approve(m.health.client, caseId);
      await approve(m.imm.client, caseId);
      const key = entryKey({ type: 'record', id }, 2);
      const entry = h.stateJson(key) as { details: { status: string } };
      entry.details.status = 'REJECTED';
      h.world.state.set(key, Buffer.from(JSON.stringify(entry)));
      const verified = parse(await h.run(m.edu.client, (ctx) => audit.VerifyTrail(ctx, 'record', id)));
      expect(verified).toMatchObject({
        valid: false,
        entries: 2,
        firstBreak: { seq: 2, reason: 'entry 2 was altered: its content does not match its hash' },
      });
    });

    it('reports the break when the entry 1 a record carries is tampered with', async () => {
      const { id, caseId } = await register();
      await approve(m.health.client, caseId);
      await approve(m.imm.client, caseId);
      const recordKey = `\u0000record\u0000${id}\u0000`;
      const record = h.stateJson(recordKey) as { trailStart: { status: string } };
      expect(record.trailStart).toEqual({ action: 'RECORD_REGISTERED', status: 'PENDING_AUDIT' });
      record.trailStart.status = 'ACTIVE';
      h.world.state.set(recordKey, Buffer.from(JSON.stringify(record)));
      const verified = parse(await h.run(m.edu.client, (ctx) => audit.VerifyTrail(ctx, 'record', id)));
      expect(verified).toMatchObject({
        valid: false,
        entries: 2,
        firstBreak: { seq: 2, reason: 'entry 2 does not link to the hash of entry 1' },
      });
    });

    it('lists by ministry and by actor within a time window, and refuses a forged bookmark', async () => {
      const { caseId } = await register();
      const t0 = new Date(START).toISOString();
      const t1 = '2025-03-02T00:00:00.000Z';
      const approved = await approve(m.health.client, caseId);
      const byHealth = parse(
        await h.run(m.edu.client, (ctx) => audit.ListTrailByMinistry(ctx, 'HealthMSP', t0, t1, '100', '')),
      );
      expect(byHealth.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['MINISTRY_REGISTERED', 'ROLE_GRANTED', 'AUDIT_APPROVED']),
      );
      const actorId = await d.idOf(m.health.client);
      const byActor = parse(
        await h.run(m.edu.client, (ctx) =>
          audit.ListTrailByActor(ctx, 'HealthMSP', actorId, t0, t1, '100', ''),
        ),
      );
      expect(byActor.items).toEqual([
        expect.objectContaining({ action: 'AUDIT_APPROVED', txId: approved.txId, outcome: 'APPROVE' }),
      ]);
      const outside = parse(
        await h.run(m.edu.client, (ctx) =>
          audit.ListTrailByActor(ctx, 'HealthMSP', actorId, t1, '2025-03-03T00:00:00Z', '100', ''),
        ),
      );
      expect(outside.items).toEqual([]);
      await expect(
        h.run(m.edu.client, (ctx) =>
          audit.ListTrailByMinistry(ctx, 'HealthMSP', t0, t1, '1', 'trail|m|EducationMSP|x'),
        ),
      ).rejects.toThrow('bookmark must be empty or the bookmark of the previous page of the same listing');
      await expect(
        h.run(m.edu.client, (ctx) => audit.ListTrailByMinistry(ctx, 'HealthMSP', t1, t0, '1', '')),
      ).rejects.toThrow('to must be after from');
    });

    it('chains every contract: schema, ministry, proposal, approval, law, rule and grant entries', async () => {
      for (const [type, id, action] of [
        ['schema', 'education.credential', 'SCHEMA_REGISTERED'],
        ['ministry', 'EducationMSP', 'MINISTRY_REGISTERED'],
        ['proposal', 'p-1', 'PROPOSAL_SUBMITTED'],
        ['approval', 'p-1:HealthMSP', 'PROPOSAL_APPROVAL'],
        ['law', 'L1', 'LAW_ENACTED'],
        ['article', 'L1/a1', 'ARTICLE_ENACTED'],
        ['rule', 'R1', 'RULE_ENACTED'],
      ]) {
        const out = parse(await h.run(m.edu.client, (ctx) => audit.GetTrail(ctx, type, id, '10', '')));
        expect(out.items[0]).toMatchObject({ action, targetType: type, targetId: id, seq: 1 });
      }
      const proposal = parse(
        await h.run(m.edu.client, (ctx) => audit.GetTrail(ctx, 'proposal', 'p-1', '10', '')),
      );
      expect(proposal.items.map((e: { action: string }) => e.action)).toEqual([
        'PROPOSAL_SUBMITTED',
        'PROPOSAL_ENACTED',
      ]);
    });
  });

  it('reports per ministry and window: actions by action and outcome, cases by status, median time to confirmation', async () => {
    const { caseId } = await register();
    await register(); // stays open
    await approve(m.health.client, caseId);
    await approve(m.imm.client, caseId);
    const report = parse(
      await h.run(m.edu.client, (ctx) =>
        audit.GetReport(ctx, 'EducationMSP', '2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z'),
      ),
    );
    expect(report.cases).toEqual({
      opened: 2,
      byStatus: { OPEN: 1, CONFIRMED: 1, REJECTED: 0, EXPIRED: 0 },
      medianSecondsToConfirmation: 3,
    });
    expect(report.actions.byAction).toMatchObject({
      RECORD_REGISTERED: { count: 2, outcomes: { PENDING_AUDIT: 2 } },
      AUDIT_CASE_OPENED: { count: 2, outcomes: { OPEN: 2 } },
      SCHEMA_REGISTERED: { count: 1, outcomes: { '-': 1 } },
    });
    const health = parse(
      await h.run(m.edu.client, (ctx) =>
        audit.GetReport(ctx, 'HealthMSP', '2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z'),
      ),
    );
    expect(health.actions.byAction).toMatchObject({ AUDIT_APPROVED: { count: 1, outcomes: { APPROVE: 1 } } });
    expect(health.cases.opened).toBe(0);
  });

  it('lists a ministry’s cases in a window and states the policies in force', async () => {
    const { caseId } = await register();
    const listed = parse(
      await h.run(m.edu.client, (ctx) =>
        audit.ListCases(ctx, 'EducationMSP', '2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z', '10', ''),
      ),
    );
    expect(listed.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    const policies = parse(
      await h.run(m.edu.client, (ctx) => audit.GetPolicies(ctx, 'G2C', 'education.credential', '')),
    );
    expect(policies).toMatchObject({
      policies: [{ ruleId: 'R1', version: 1 }],
      requirement: { approvals: 2 },
    });
    const none = parse(
      await h.run(m.edu.client, (ctx) => audit.GetPolicies(ctx, 'G2C', 'health.vaccination', '')),
    );
    expect(none).toMatchObject({ policies: [], requirement: null });
  });

  it('leaves records of types without a policy ACTIVE with no audit state', async () => {
    await h.run(m.health.admin, (ctx) =>
      new SchemasContract().RegisterSchema(
        ctx,
        'health.vaccination',
        JSON.stringify({ schema: { type: 'object' } }),
      ),
    );
    const rec = {
      id: 'H-1',
      category: 'G2C',
      recordType: 'health.vaccination',
      subjectRef: 'psn:0123456789abcdef0123',
      payload: {},
    };
    await h.run(m.health.admin, (ctx) => ledger.RegisterRecord(ctx, JSON.stringify(rec)));
    const verified = parse(await h.run(m.edu.client, (ctx) => ledger.VerifyRecord(ctx, 'H-1')));
    expect(verified).toMatchObject({ status: 'ACTIVE' });
    expect(verified.audit).toBeUndefined();
  });
});
