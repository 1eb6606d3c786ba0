import '../testing/quiet-logs';
import { GovernanceDriver, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { requireAuditor, type AuditTarget } from './authz-auditors';
import { AccessDeniedError } from './errors';

describe('requireAuditor (for the audit contract)', () => {
  let m: TestMinistries;
  let h: ContractHarness;
  let d: GovernanceDriver;
  const target: AuditTarget = {
    category: 'G2C',
    recordType: 'education.credential',
    issuerMsp: 'EducationMSP',
  };

  beforeAll(async () => {
    m = await threeMinistries();
  });

  beforeEach(() => {
    h = new ContractHarness();
    d = new GovernanceDriver(h, m);
  });

  const check = (who: TestMinistries['edu']['client'], t: AuditTarget) =>
    h.run(who, async (ctx) => (await requireAuditor(ctx, t)).id);

  it("authorizes an auditor for its own ministry's records by default, not another's", async () => {
    const id = await d.grant(m.edu.admin, {
      holder: await d.idOf(m.edu.client),
      role: 'auditor',
      scope: 'G2C',
    });
    expect((await check(m.edu.client, target)).result).toBe(id);
    await expect(check(m.edu.client, { ...target, issuerMsp: 'HealthMSP' })).rejects.toThrow(
      'lacks role auditor for scope G2C/education.credential of records issued by HealthMSP',
    );
  });

  it('authorizes across ministries only when the grant names them', async () => {
    const holder = await d.idOf(m.health.client);
    const id = await d.grant(m.health.admin, {
      holder,
      role: 'auditor',
      scope: 'education',
      issuers: ['EducationMSP'],
    });
    expect((await check(m.health.client, target)).result).toBe(id);
    await expect(check(m.health.client, { ...target, issuerMsp: 'ImmigrationMSP' })).rejects.toThrow(
      AccessDeniedError,
    );
  });
});
