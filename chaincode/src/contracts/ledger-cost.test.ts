import '../testing/quiet-logs';
import type { Context } from 'fabric-contract-api';
import { ContractHarness } from '../testing/harness';
import type { FakeStub } from '../testing/fake-stub';
import { GovernanceDriver, ruleContent, threeMinistries, type TestMinistries } from '../testing/governance';
import { LedgerContract } from './ledger';
import { SchemasContract } from './schemas';

/**
 * What one RegisterRecord costs in chaincode-to-peer messages, counted on the fake stub: each
 * counted call is one message fabric-shim sends and waits for (a range query read to its end is
 * one: its results come with the answer and the peer closes it). Every message costs gRPC and
 * protobuf work on both sides, and a range query is re-run at commit by every peer, so these
 * counts pin what issue 19 cut (docs/performance.md, egov's own cost).
 */

const ledger = new LedgerContract();
const schemas = new SchemasContract();

/** The stub methods that send a message to the peer. */
const PEER_CALLS = [
  'getState',
  'putState',
  'deleteState',
  'getStateByPartialCompositeKey',
  'getStateByPartialCompositeKeyWithPagination',
  'getStateByRange',
  'getStateByRangeWithPagination',
  'getPrivateData',
  'putPrivateData',
  'getPrivateDataHash',
  'setStateValidationParameter',
  'getStateValidationParameter',
] as const;

/** Counts the peer calls a transaction makes, by method. */
function counting(stub: FakeStub): Record<string, number> {
  const counts: Record<string, number> = {};
  const target = stub as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of PEER_CALLS) {
    const original = target[name].bind(stub);
    target[name] = (...args: unknown[]) => {
      counts[name] = (counts[name] ?? 0) + 1;
      return original(...args);
    };
  }
  return counts;
}

const SCHEMA = {
  type: 'object',
  required: ['degree', 'year'],
  additionalProperties: false,
  properties: {
    degree: { type: 'string' },
    year: { type: 'integer' },
    honours: { type: 'boolean' },
    fullName: { type: 'string' },
  },
};

describe('RegisterRecord cost in peer messages', () => {
  let m: TestMinistries;
  beforeAll(async () => {
    m = await threeMinistries();
  });

  /**
   * The bench's ledger (bench/ledger-ratio.ts): three ministries, Education's schemas for a plain
   * and a ruled type, its client holding `issuer` for G2C/education, and `ruled` rules for the
   * ruled type only.
   */
  async function benchLedger(ruled: number): Promise<{ h: ContractHarness; n: () => number }> {
    const h = new ContractHarness();
    const g = new GovernanceDriver(h, m);
    await g.registerAll();
    for (const type of ['education.credential', 'education.credential-ruled'])
      await h.run(m.edu.admin, (ctx) =>
        schemas.RegisterSchema(ctx, type, JSON.stringify({ schema: SCHEMA, personalFields: ['fullName'] })),
      );
    await g.grant(m.edu.admin, {
      holder: await g.idOf(m.edu.client),
      role: 'issuer',
      scope: 'G2C/education',
    });
    await g.enactLawAndArticle();
    for (let i = 0; i < ruled; i++)
      await g.enact(
        'rule',
        ruleContent({
          id: `R${i}`,
          appliesTo: ['G2C/education.credential-ruled'],
          condition: { '==': [{ var: 'payload.honours' }, true] },
        }),
      );
    let n = 0;
    return { h, n: () => ++n };
  }

  /** Registers one record as Education's client; answers the peer calls it made and its legal basis. */
  async function register(
    h: ContractHarness,
    n: number,
    recordType: string,
  ): Promise<{ counts: Record<string, number>; total: number; basis: unknown[] }> {
    let counts: Record<string, number> = {};
    const record = {
      id: `EDU-2025-${String(n).padStart(6, '0')}`,
      category: 'G2C',
      recordType,
      subjectRef: 'psn:9f86d081884c7d659a2feaa0c55ad015',
      payload: { degree: 'BSc', year: 2024, honours: true },
    };
    const { stub } = await h.run(
      m.edu.client,
      (ctx: Context) => {
        counts = counting(ctx.stub as unknown as FakeStub);
        return ledger.RegisterRecord(ctx, JSON.stringify(record));
      },
      undefined,
      { transient: new Map([['personal', Buffer.from(JSON.stringify({ fullName: 'Ana Lima' }))]]) },
    );
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const stored = h.stateJson(stub.createCompositeKey('record', [record.id])) as { legalBasis: unknown[] };
    return { counts, total, basis: stored.legalBasis };
  }

  it('a record of a type no rule applies to (rules in force elsewhere): 11 messages, no range query', async () => {
    const { h, n } = await benchLedger(2);
    const { counts, total, basis } = await register(h, n(), 'education.credential');
    expect(basis).toEqual([]);
    // reads: the record (absent), the caller's active issuer grants, the schema's head (which
    // carries its latest version, and so names the domain's owner), the rules' scope directory;
    // writes: the personal data, the record (which carries its trail's entry 1), its endorsement
    // policy, the hash and issuer-and-type index keys (an ACTIVE record has no status key), and
    // the trail entry's two index keys (a chain of one entry has no head key)
    expect(counts).toEqual({
      getState: 4,
      putPrivateData: 1,
      putState: 5,
      setStateValidationParameter: 1,
    });
    expect(total).toBe(11);
  });

  it('a status change of such a record: its trail head comes from the record it has read', async () => {
    const { h, n } = await benchLedger(0);
    const id = n();
    await register(h, id, 'education.credential');
    let counts: Record<string, number> = {};
    await h.run(m.edu.client, (ctx: Context) => {
      counts = counting(ctx.stub as unknown as FakeStub);
      return ledger.SuspendRecord(ctx, `EDU-2025-${String(id).padStart(6, '0')}`, 'checked');
    });
    // reads: the record, the issuer grants, the schema head (domain owner), the trail head
    // (absent); writes: the record, its status key, the trail entry, head and two index keys
    expect(counts).toEqual({ getState: 4, putState: 6 });
  });

  it('a record of a type two rules apply to: one more read for their node, two per rule', async () => {
    const { h, n } = await benchLedger(2);
    const { counts, basis } = await register(h, n(), 'education.credential-ruled');
    expect(basis).toHaveLength(2);
    expect(counts).toMatchObject({ getState: 4 + 1 + 2 * 2 });
    expect(counts.getStateByPartialCompositeKey).toBeUndefined();
  });
});
