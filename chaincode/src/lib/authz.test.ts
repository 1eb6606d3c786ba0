import '../testing/quiet-logs';
import type { Context } from 'fabric-contract-api';
import { GovernanceContract } from '../contracts/governance';
import { LedgerContract } from '../contracts/ledger';
import { SchemasContract } from '../contracts/schemas';
import { GovernanceDriver, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { newIdentity, type TestIdentity } from '../testing/identities';
import { AccessDeniedError } from './errors';

/**
 * The authorization matrix: who may do what, each cell run against a fresh fake world where
 * EducationMSP owns `education`, HealthMSP owns `health`, ImmigrationMSP owns `immigration`, and
 * each ministry's admin has handed roles to its own clerks (ImmigrationMSP's `wildcard` clerk holds
 * `issuer` for `*`, the grant an adversarial admin would make to reach other ministries' domains).
 */

const schema = JSON.stringify({
  schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
});
const ledger = new LedgerContract();
const schemas = new SchemasContract();
const governance = new GovernanceContract();

type Actor =
  | 'eduAdmin'
  | 'eduDelegate'
  | 'eduIssuer'
  | 'eduClient'
  | 'immAdmin'
  | 'immWildcard'
  | 'healthAdmin';
type Action = (ctx: Context, w: World) => Promise<string>;

interface World {
  h: ContractHarness;
  d: GovernanceDriver;
  ids: Record<Actor, TestIdentity>;
  /** The grant that made eduIssuer an issuer. */
  issuerGrant: string;
}

let m: TestMinistries;
let actors: Record<Actor, TestIdentity>;
let n = 0;

beforeAll(async () => {
  m = await threeMinistries();
  actors = {
    eduAdmin: m.edu.admin,
    eduDelegate: await newIdentity('EducationMSP', 'Delegate@education.egov.local', ['client']),
    eduIssuer: await newIdentity('EducationMSP', 'Issuer@education.egov.local', ['client']),
    eduClient: m.edu.client,
    immAdmin: m.imm.admin,
    immWildcard: await newIdentity('ImmigrationMSP', 'Wildcard@immigration.egov.local', ['client']),
    healthAdmin: m.health.admin,
  };
});

/** A fresh world: three owned domains and the clerks' grants. */
async function newWorld(): Promise<World> {
  const h = new ContractHarness();
  const d = new GovernanceDriver(h, m);
  await h.run(m.edu.admin, (ctx) => schemas.RegisterSchema(ctx, 'education.credential', schema));
  await h.run(m.health.admin, (ctx) => schemas.RegisterSchema(ctx, 'health.vaccination', schema));
  await h.run(m.imm.admin, (ctx) => schemas.RegisterSchema(ctx, 'immigration.permit', schema));
  await d.grant(m.edu.admin, {
    holder: await d.idOf(actors.eduDelegate),
    role: 'ministry-admin',
    scope: 'education',
  });
  const issuerGrant = await d.grant(m.edu.admin, {
    holder: await d.idOf(actors.eduIssuer),
    role: 'issuer',
    scope: 'G2C/education',
  });
  await d.grant(m.imm.admin, { holder: await d.idOf(actors.immWildcard), role: 'issuer', scope: '*' });
  return { h, d, ids: actors, issuerGrant };
}

/** Grants `issuer` in `scope` to the caller's own ministry's client. */
function grantIssuer(scope: string): Action {
  return (ctx, w) => {
    const msp = ctx.clientIdentity.getMSPID();
    const own = msp === 'EducationMSP' ? m.edu.client : msp === 'HealthMSP' ? m.health.client : m.imm.client;
    return w.d
      .idOf(own)
      .then((holder) => w.d.authorities.GrantRole(ctx, JSON.stringify({ holder, role: 'issuer', scope })));
  };
}

/** Registers a fresh record of `recordType`. */
function register(recordType: string): Action {
  return (ctx) =>
    ledger.RegisterRecord(
      ctx,
      JSON.stringify({
        id: `R-${++n}`,
        category: 'G2C',
        recordType,
        subjectRef: 'psn:9f86d081884c7d659a2feaa0c55ad015',
        payload: { n },
      }),
    );
}

const actions: Record<string, Action> = {
  'grant issuer G2C/education': grantIssuer('G2C/education'),
  'grant issuer G2C/health': grantIssuer('G2C/health'),
  'grant issuer G2C/health.vaccination': grantIssuer('G2C/health.vaccination'),
  'register education.credential': register('education.credential'),
  'register health.vaccination': register('health.vaccination'),
  'register schema education.diploma': (ctx) => schemas.RegisterSchema(ctx, 'education.diploma', schema),
  'revoke eduIssuer grant': (ctx, w) => w.d.authorities.RevokeRole(ctx, w.issuerGrant, 'moved on'),
  'register ministry': (ctx) => governance.RegisterMinistry(ctx),
};

/** [action, actor, allowed] — every cell not listed here as allowed is a refusal test too. */
const matrix: [string, Actor, boolean][] = [
  ['grant issuer G2C/education', 'eduAdmin', true],
  ['grant issuer G2C/education', 'eduDelegate', true],
  ['grant issuer G2C/education', 'eduIssuer', false],
  ['grant issuer G2C/education', 'eduClient', false],
  ['grant issuer G2C/education', 'immAdmin', false],
  ['grant issuer G2C/education', 'healthAdmin', false],
  ['grant issuer G2C/health', 'healthAdmin', true],
  ['grant issuer G2C/health', 'immAdmin', false],
  ['grant issuer G2C/health', 'eduAdmin', false],
  ['grant issuer G2C/health.vaccination', 'immAdmin', false],
  ['register education.credential', 'eduAdmin', true],
  ['register education.credential', 'eduIssuer', true],
  ['register education.credential', 'eduDelegate', false],
  ['register education.credential', 'eduClient', false],
  ['register education.credential', 'immAdmin', false],
  ['register education.credential', 'immWildcard', false],
  ['register education.credential', 'healthAdmin', false],
  ['register health.vaccination', 'healthAdmin', true],
  ['register health.vaccination', 'immAdmin', false],
  ['register health.vaccination', 'immWildcard', false],
  ['register health.vaccination', 'eduIssuer', false],
  ['register schema education.diploma', 'eduAdmin', true],
  ['register schema education.diploma', 'eduDelegate', true],
  ['register schema education.diploma', 'eduIssuer', false],
  ['register schema education.diploma', 'immAdmin', false],
  ['revoke eduIssuer grant', 'eduAdmin', true],
  ['revoke eduIssuer grant', 'eduDelegate', true],
  ['revoke eduIssuer grant', 'eduIssuer', false],
  ['revoke eduIssuer grant', 'immAdmin', false],
  ['register ministry', 'eduAdmin', true],
  ['register ministry', 'eduDelegate', false],
  ['register ministry', 'eduClient', false],
];

describe('authorization matrix', () => {
  it.each(matrix)('%s by %s: allowed %s', async (actionName, actor, allowed) => {
    const w = await newWorld();
    const act = actions[actionName];
    if (allowed) {
      await expect(w.h.run(w.ids[actor], (ctx) => act(ctx, w))).resolves.toBeDefined();
      return;
    }
    const before = w.h.world.snapshot();
    await expect(w.h.run(w.ids[actor], (ctx) => act(ctx, w))).rejects.toThrow(AccessDeniedError);
    expect(w.h.world.snapshot()).toEqual(before);
  });

  it('names the owning ministry when an admin grants or issues in a foreign domain', async () => {
    const w = await newWorld();
    await expect(
      w.h.run(actors.immAdmin, (ctx) => actions['grant issuer G2C/health'](ctx, w)),
    ).rejects.toThrow('domain health is owned by HealthMSP; ImmigrationMSP may not grant roles in it');
    await expect(
      w.h.run(actors.immWildcard, (ctx) => actions['register health.vaccination'](ctx, w)),
    ).rejects.toThrow('domain health is owned by HealthMSP; ImmigrationMSP may not act as issuer in it');
  });

  it("reads a record type's owner from its schema head, or from the domain's key when an older chaincode wrote the head", async () => {
    const w = await newWorld();
    const denied = 'domain health is owned by HealthMSP; ImmigrationMSP may not act as issuer in it';
    let keysRead: string[] = [];
    let keys = { owner: '', head: '' };
    const attempt = () =>
      w.h.run(actors.immWildcard, (ctx) => {
        keys = {
          owner: ctx.stub.createCompositeKey('schema~domain', ['health']),
          head: ctx.stub.createCompositeKey('schema~head', ['health.vaccination']),
        };
        const getState = ctx.stub.getState.bind(ctx.stub);
        keysRead = [];
        ctx.stub.getState = (key: string) => {
          keysRead.push(key);
          return getState(key);
        };
        return actions['register health.vaccination'](ctx, w);
      });
    await expect(attempt()).rejects.toThrow(denied);
    expect(keysRead).toContain(keys.head);
    expect(keysRead).not.toContain(keys.owner);
    // a head without its latest version (written before heads carried it) names no owner
    const older = w.h.stateJson(keys.head) as Record<string, unknown>;
    delete older.latest;
    w.h.world.state.set(keys.head, Buffer.from(JSON.stringify(older)));
    await expect(attempt()).rejects.toThrow(denied);
    expect(keysRead).toContain(keys.owner);
  });

  it('lets a ministry grant in a domain nobody owns yet, but not issue there for another owner later', async () => {
    const w = await newWorld();
    await w.h.run(actors.immAdmin, (ctx) => grantIssuer('G2C/transport')(ctx, w));
    await w.h.run(m.edu.admin, (ctx) => schemas.RegisterSchema(ctx, 'transport.licence', schema));
    await expect(w.h.run(m.imm.client, (ctx) => register('transport.licence')(ctx, w))).rejects.toThrow(
      'domain transport is owned by EducationMSP; ImmigrationMSP may not act as issuer in it',
    );
  });
});
