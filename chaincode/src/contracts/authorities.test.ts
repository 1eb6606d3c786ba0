import '../testing/quiet-logs';
import { requireRole } from '../lib/authz';
import { requireAuditor } from '../lib/authz-auditors';
import { AccessDeniedError, InvalidArgumentError, LimitExceededError, NotFoundError } from '../lib/errors';
import { GovernanceDriver, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { newIdentity, type TestIdentity } from '../testing/identities';
import { AuthoritiesContract } from './authorities';

describe('authorities contract and requireRole', () => {
  const auth = new AuthoritiesContract();
  let m: TestMinistries;
  let h: ContractHarness;
  let d: GovernanceDriver;
  let clerk: TestIdentity;
  let clerkId: string;

  beforeAll(async () => {
    m = await threeMinistries();
    clerk = await newIdentity('EducationMSP', 'Clerk@education.egov.local', ['client']);
  });

  beforeEach(async () => {
    h = new ContractHarness();
    d = new GovernanceDriver(h, m);
    clerkId = await d.idOf(clerk);
  });

  /** Runs requireRole as `who` and returns the authorizing grant's id. */
  const may = async (who: TestIdentity, role: Parameters<typeof requireRole>[1], scope: string) =>
    JSON.parse((await h.run(who, async (ctx) => JSON.stringify(await requireRole(ctx, role, scope)))).result)
      .id;

  it('lets a root admin grant a scoped role that then authorizes below its scope only', async () => {
    const granted = await h.run(m.edu.admin, (ctx) =>
      auth.GrantRole(ctx, JSON.stringify({ holder: clerkId, role: 'issuer', scope: 'G2C/education' })),
    );
    const grant = JSON.parse(granted.result);
    expect(grant).toMatchObject({
      id: granted.txId,
      mspId: 'EducationMSP',
      role: 'issuer',
      scope: 'G2C/education',
      status: 'ACTIVE',
    });
    expect(granted.event?.name).toBe('RoleGranted');
    expect(await may(clerk, 'issuer', 'G2C/education.credential')).toBe(grant.id);
    await expect(may(clerk, 'issuer', 'G2B/education.credential')).rejects.toThrow(
      `${clerkId} (EducationMSP) lacks role issuer for scope G2B/education.credential`,
    );
    // a bare record type has no category, which a category-limited grant cannot be shown to cover
    await expect(may(clerk, 'issuer', 'education.credential')).rejects.toThrow(AccessDeniedError);
    await expect(may(clerk, 'auditor', 'G2C/education.credential')).rejects.toThrow('lacks role auditor');
  });

  it('does not let another ministry use a grant naming the same holder string', async () => {
    await d.grant(m.edu.admin, { holder: await d.idOf(m.health.client), role: 'issuer', scope: '*' });
    await expect(may(m.health.client, 'issuer', 'G2C/health.vaccination')).rejects.toThrow(AccessDeniedError);
  });

  it('refuses grants by non-admins, naming role and scope, and writes nothing', async () => {
    const before = h.world.snapshot();
    await expect(
      h.run(m.edu.client, (ctx) =>
        auth.GrantRole(ctx, JSON.stringify({ holder: clerkId, role: 'issuer', scope: 'G2C' })),
      ),
    ).rejects.toThrow(/lacks role ministry-admin for scope G2C$/);
    expect(h.world.snapshot()).toEqual(before);
  });

  it('refuses bad grants, naming the field', async () => {
    const g = (grant: object) => h.run(m.edu.admin, (ctx) => auth.GrantRole(ctx, JSON.stringify(grant)));
    await expect(g({ holder: 'alice', role: 'issuer', scope: '*' })).rejects.toThrow('field "holder"');
    await expect(g({ holder: clerkId, role: 'king', scope: '*' })).rejects.toThrow('field "role"');
    await expect(g({ holder: clerkId, role: 'issuer', scope: 'G2X' })).rejects.toThrow('field "scope"');
    await expect(g({ holder: clerkId, role: 'issuer', scope: '*', issuers: ['HealthMSP'] })).rejects.toThrow(
      'field "issuers" is only for auditor grants',
    );
    await expect(
      g({ holder: clerkId, role: 'issuer', scope: '*', expiresAt: '2020-01-01T00:00:00Z' }),
    ).rejects.toThrow('field "expiresAt" must be after the transaction time');
  });

  it('keeps a revoked grant with its time and reason, and it no longer authorizes', async () => {
    const id = await d.grant(m.edu.admin, { holder: clerkId, role: 'verifier', scope: '*' });
    const revoked = await h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, id, 'left the ministry'));
    expect(JSON.parse(revoked.result)).toMatchObject({
      status: 'REVOKED',
      revokedAt: '2025-03-01T09:00:03.000Z',
      revokeReason: 'left the ministry',
      revokedTxId: revoked.txId,
    });
    expect(JSON.parse((await h.run(clerk, (ctx) => auth.GetGrant(ctx, id))).result)).toMatchObject({
      status: 'REVOKED',
    });
    await expect(may(clerk, 'verifier', 'G2C/education.credential')).rejects.toThrow(AccessDeniedError);
    await expect(h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, id, 'again'))).rejects.toThrow(
      `grant ${id} was already revoked at 2025-03-01T09:00:03.000Z`,
    );
  });

  it("refuses revocation by another ministry's admin, naming the owner", async () => {
    const id = await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: '*' });
    await expect(h.run(m.health.admin, (ctx) => auth.RevokeRole(ctx, id, 'hostile'))).rejects.toThrow(
      `grant ${id} belongs to ministry EducationMSP; only its admins may revoke it, not HealthMSP`,
    );
    expect(await may(clerk, 'issuer', 'G2C/education.credential')).toBe(id);
    await expect(h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, 'nope', 'x'))).rejects.toThrow(
      NotFoundError,
    );
  });

  it('stops authorizing when a grant expires', async () => {
    await d.grant(m.edu.admin, {
      holder: clerkId,
      role: 'issuer',
      scope: '*',
      expiresAt: '2025-03-01T09:00:04.000Z',
    });
    expect(await may(clerk, 'issuer', 'G2C/education.credential')).toBeDefined(); // tx at 09:00:03
    await expect(may(clerk, 'issuer', 'G2C/education.credential')).rejects.toThrow('lacks role issuer'); // 09:00:04
  });

  describe('delegation', () => {
    let delegationId: string;

    beforeEach(async () => {
      delegationId = await d.grant(m.edu.admin, {
        holder: await d.idOf(m.edu.client),
        role: 'ministry-admin',
        scope: 'G2C/education',
        expiresAt: '2025-12-31T00:00:00.000Z',
      });
    });

    it('lets a delegated ministry-admin grant within its scope, capped at its expiry', async () => {
      const id = await d.grant(m.edu.client, {
        holder: clerkId,
        role: 'issuer',
        scope: 'G2C/education.credential',
      });
      const grant = JSON.parse((await h.run(clerk, (ctx) => auth.GetGrant(ctx, id))).result);
      expect(grant).toMatchObject({ via: delegationId, expiresAt: '2025-12-31T00:00:00.000Z' });
      await expect(d.grant(m.edu.client, { holder: clerkId, role: 'issuer', scope: 'G2C' })).rejects.toThrow(
        'lacks role ministry-admin for scope G2C',
      );
      await expect(
        d.grant(m.edu.client, { holder: clerkId, role: 'ministry-admin', scope: 'G2C/education' }),
      ).rejects.toThrow('cannot delegate ministry-admin further');
    });

    it('lets only the root admin revoke a ministry-admin delegation', async () => {
      const other = await d.grant(m.edu.admin, {
        holder: clerkId,
        role: 'ministry-admin',
        scope: 'G2C/education.credential',
      });
      await expect(h.run(m.edu.client, (ctx) => auth.RevokeRole(ctx, other, 'coup'))).rejects.toThrow(
        `only the root admin of EducationMSP revokes a ministry-admin delegation (grant ${other})`,
      );
      await expect(h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, other, 'done'))).resolves.toBeDefined();
    });

    it('withdraws what a delegation granted when the delegation is revoked', async () => {
      await d.grant(m.edu.client, { holder: clerkId, role: 'issuer', scope: 'G2C/education.credential' });
      expect(await may(clerk, 'issuer', 'G2C/education.credential')).toBeDefined();
      await h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, delegationId, 'reorganization'));
      await expect(may(clerk, 'issuer', 'G2C/education.credential')).rejects.toThrow(AccessDeniedError);
    });
  });

  it('answers who may audit a record type for an issuing ministry', async () => {
    const own = await d.grant(m.edu.admin, { holder: clerkId, role: 'auditor', scope: 'G2C/education' });
    const all = await d.grant(m.health.admin, {
      holder: await d.idOf(m.health.client),
      role: 'auditor',
      scope: '*',
      issuers: ['*'],
    });
    await d.grant(m.imm.admin, { holder: await d.idOf(m.imm.client), role: 'auditor', scope: 'immigration' });
    const who = async (category: string, type: string, issuer: string) =>
      JSON.parse(
        (await h.run(m.imm.client, (ctx) => auth.WhoMayAudit(ctx, category, type, issuer))).result,
      ).auditors.map((g: { id: string }) => g.id);
    expect(await who('G2C', 'education.credential', 'EducationMSP')).toEqual([own, all].sort());
    expect(await who('G2B', 'education.credential', 'EducationMSP')).toEqual([all]);
    expect(await who('G2C', 'education.credential', 'ImmigrationMSP')).toEqual([all]);
    await expect(
      h.run(m.imm.client, (ctx) => auth.WhoMayAudit(ctx, 'G2C', 'Education', 'EducationMSP')),
    ).rejects.toThrow(InvalidArgumentError);
  });

  it('lists a ministry’s active grants by page and checks the caller’s own role', async () => {
    for (const role of ['issuer', 'verifier', 'auditor']) {
      await d.grant(m.edu.admin, { holder: clerkId, role, scope: '*' });
    }
    const list = async (bookmark: string) =>
      JSON.parse(
        (await h.run(clerk, (ctx) => auth.ListGrants(ctx, 'EducationMSP', clerkId, '2', bookmark))).result,
      );
    const first = await list('');
    expect(first.items).toHaveLength(2);
    const second = await list(first.bookmark);
    expect(second.items).toHaveLength(1);
    expect(second.bookmark).toBe('');
    expect(
      JSON.parse((await h.run(clerk, (ctx) => auth.CheckRole(ctx, 'verifier', 'G2E'))).result),
    ).toMatchObject({
      role: 'verifier',
    });
    await expect(h.run(clerk, (ctx) => auth.CheckRole(ctx, 'rule-admin', 'G2E'))).rejects.toThrow(
      'lacks role rule-admin for scope G2E',
    );
    await expect(h.run(clerk, (ctx) => auth.CheckRole(ctx, 'king', 'G2E'))).rejects.toThrow(
      'role must be one of',
    );
  });

  it('treats a root admin as holding every role over its own ministry only', async () => {
    expect(await may(m.edu.admin, 'ministry-admin', 'G2C')).toBe('root:EducationMSP');
    expect(await may(m.edu.admin, 'issuer', 'G2C/education.credential')).toBe('root:EducationMSP');
    const audit = (issuerMsp: string) =>
      h.run(m.edu.admin, async (ctx) =>
        JSON.stringify(
          await requireAuditor(ctx, { category: 'G2C', recordType: 'health.vaccination', issuerMsp }),
        ),
      );
    await expect(audit('EducationMSP')).resolves.toBeDefined();
    await expect(audit('HealthMSP')).rejects.toThrow('of records issued by HealthMSP');
    expect(JSON.parse((await h.run(m.edu.admin, (ctx) => auth.WhoAmI(ctx))).result)).toMatchObject({
      mspId: 'EducationMSP',
      ministryAdmin: true,
    });
  });

  it('refuses more than 50 active grants of one role for one identity', async () => {
    for (let i = 0; i < 50; i++) {
      await d.grant(m.edu.admin, { holder: clerkId, role: 'verifier', scope: '*' });
    }
    await expect(d.grant(m.edu.admin, { holder: clerkId, role: 'verifier', scope: '*' })).rejects.toThrow(
      LimitExceededError,
    );
  });
});
