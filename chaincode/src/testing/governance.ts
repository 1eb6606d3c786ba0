import { AuthoritiesContract } from '../contracts/authorities';
import { GovernanceContract } from '../contracts/governance';
import type { ContractHarness } from './harness';
import { ministryIdentities, type TestIdentity } from './identities';

/**
 * Test-only helpers for the governance, rules and authorities contracts: three ministries, and
 * laws, articles and rules enacted by two of them.
 */

/** The three test ministries' admin and client identities. */
export interface TestMinistries {
  edu: { admin: TestIdentity; client: TestIdentity };
  health: { admin: TestIdentity; client: TestIdentity };
  imm: { admin: TestIdentity; client: TestIdentity };
}

/** Creates EducationMSP, HealthMSP and ImmigrationMSP identities. */
export async function threeMinistries(): Promise<TestMinistries> {
  return {
    edu: await ministryIdentities('EducationMSP'),
    health: await ministryIdentities('HealthMSP'),
    imm: await ministryIdentities('ImmigrationMSP'),
  };
}

/** A SHA-256-shaped test digest. */
export const TEXT_HASH = 'a'.repeat(64);

/** Drives governance transactions through a harness. */
export class GovernanceDriver {
  readonly governance = new GovernanceContract();
  readonly authorities = new AuthoritiesContract();
  private n = 0;

  constructor(
    readonly h: ContractHarness,
    readonly m: TestMinistries,
  ) {}

  /** Registers all three ministries. */
  async registerAll(): Promise<void> {
    for (const who of [this.m.edu.admin, this.m.health.admin, this.m.imm.admin]) {
      await this.h.run(who, (ctx) => this.governance.RegisterMinistry(ctx));
    }
  }

  /** Proposes as Education's admin, approves by Education and Health, tallies; returns the closed proposal. */
  async enact(kind: string, content: object): Promise<Record<string, unknown>> {
    const id = `p-${++this.n}`;
    await this.h.run(this.m.edu.admin, (ctx) =>
      this.governance.Propose(ctx, JSON.stringify({ id, kind, content })),
    );
    await this.h.run(this.m.edu.admin, (ctx) => this.governance.Approve(ctx, id));
    await this.h.run(this.m.health.admin, (ctx) => this.governance.Approve(ctx, id));
    const closed = await this.h.run(this.m.imm.client, (ctx) => this.governance.Tally(ctx, id));
    return JSON.parse(closed.result) as Record<string, unknown>;
  }

  /** Enacts law L1 and its article a1 (effective from 2025-01-01). */
  async enactLawAndArticle(): Promise<void> {
    await this.enact('law', {
      id: 'L1',
      title: 'Higher Education Act',
      textHash: TEXT_HASH,
      effectiveFrom: '2025-01-01',
    });
    await this.enact('article', {
      lawId: 'L1',
      id: 'a1',
      title: 'Degrees',
      textHash: TEXT_HASH,
      effectiveFrom: '2025-01-01',
    });
  }

  /** The x509 id of an identity, as the chaincode sees it. */
  async idOf(who: TestIdentity): Promise<string> {
    const out = await this.h.run(who, (ctx) => this.authorities.WhoAmI(ctx));
    return (JSON.parse(out.result) as { id: string }).id;
  }

  /** Grants a role as `admin`; returns the grant id. */
  async grant(admin: TestIdentity, grant: object): Promise<string> {
    const out = await this.h.run(admin, (ctx) => this.authorities.GrantRole(ctx, JSON.stringify(grant)));
    return (JSON.parse(out.result) as { id: string }).id;
  }
}

/** A rule on L1/a1 for education credentials with a condition. */
export function ruleContent(overrides: object = {}): object {
  return {
    id: 'R1',
    lawId: 'L1',
    articleId: 'a1',
    title: 'A degree names an accredited institution',
    textHash: TEXT_HASH,
    appliesTo: ['G2C/education.credential'],
    condition: { '==': [{ var: 'payload.accredited' }, true] },
    effectiveFrom: '2025-01-01',
    ...overrides,
  };
}
