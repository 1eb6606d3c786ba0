import '../testing/quiet-logs';
import { AuthoritiesContract } from '../contracts/authorities';
import { GovernanceDriver, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { newIdentity, type TestIdentity } from '../testing/identities';
import { requireRole } from './authz';
import { AccessDeniedError, StateCorruptError } from './errors';

/** An identity's active grants of a role under one key (`authz.holder-grants`), read by one point read. */
describe('active grants by holder and role', () => {
  const auth = new AuthoritiesContract();
  let m: TestMinistries;
  let clerk: TestIdentity;
  let h: ContractHarness;
  let d: GovernanceDriver;
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

  /** The key of the clerk's grants of `role`. */
  const keyOf = (role: string) =>
    `\u0000authz.holder-grants\u0000EducationMSP\u0000${clerkId}\u0000${role}\u0000`;
  /** The ids the clerk's key of `role` lists. */
  const listed = (role: string) =>
    (h.stateJson(keyOf(role)) as { grants: { id: string; status: string }[] }).grants.map((g) => g.id);
  /** The id of the grant that lets the clerk act as `role` for `scope`. */
  const may = async (role: 'issuer' | 'verifier', scope: string): Promise<string> =>
    JSON.parse(
      (await h.run(clerk, async (ctx) => JSON.stringify(await requireRole(ctx, role, scope)))).result,
    ).id;
  /** Removes every holder-grants key: the ledger as an older chaincode left it. */
  const asOlderChaincodeLeftIt = () => {
    for (const k of h.world.sortedKeys().filter((k) => k.startsWith('\u0000authz.holder-grants\u0000')))
      h.world.state.delete(k);
  };

  it('lists the active grants of a holder and role as they are granted and revoked', async () => {
    const a = await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: 'G2C/education' });
    const b = await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: 'G2B/education' });
    await d.grant(m.edu.admin, { holder: clerkId, role: 'verifier', scope: '*' });
    expect(listed('issuer')).toEqual([a, b].sort());
    expect(h.stateJson(keyOf('issuer'))).toMatchObject({
      docType: 'authz.holder-grants',
      grants: expect.arrayContaining([
        expect.objectContaining({ id: a, status: 'ACTIVE', scope: 'G2C/education' }),
      ]),
    });
    expect(await may('issuer', 'G2B/education.permit')).toBe(b);

    await h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, b, 'moved'));
    expect(listed('issuer')).toEqual([a]);
    await expect(may('issuer', 'G2B/education.permit')).rejects.toThrow(AccessDeniedError);
    expect(await may('issuer', 'G2C/education.credential')).toBe(a);
    await h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, a, 'left'));
    expect(listed('issuer')).toEqual([]);
    await expect(may('issuer', 'G2C/education.credential')).rejects.toThrow(AccessDeniedError);
  });

  it('reads grants an older chaincode wrote by the holder index, and carries them over at the next grant', async () => {
    const a = await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: 'G2C/education' });
    const gone = await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: 'G2B/education' });
    await h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, gone, 'moved'));
    asOlderChaincodeLeftIt();
    expect(await may('issuer', 'G2C/education.credential')).toBe(a);
    await expect(may('issuer', 'G2B/education.permit')).rejects.toThrow(AccessDeniedError);

    const c = await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: 'G2G/education' });
    expect(listed('issuer')).toEqual([a, c].sort());
    expect(await may('issuer', 'G2G/education.report')).toBe(c);
  });

  it('carries the other grants over when an older ledger’s grant is revoked', async () => {
    const a = await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: 'G2C/education' });
    const b = await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: 'G2B/education' });
    asOlderChaincodeLeftIt();
    await h.run(m.edu.admin, (ctx) => auth.RevokeRole(ctx, a, 'moved'));
    expect(listed('issuer')).toEqual([b]);
    await expect(may('issuer', 'G2C/education.credential')).rejects.toThrow(AccessDeniedError);
  });

  it('refuses a key that is not a list of grants as corrupt state', async () => {
    await d.grant(m.edu.admin, { holder: clerkId, role: 'issuer', scope: 'G2C/education' });
    h.world.state.set(keyOf('issuer'), Buffer.from(JSON.stringify({ docType: 'something else' })));
    await expect(may('issuer', 'G2C/education.credential')).rejects.toThrow(StateCorruptError);
  });
});
