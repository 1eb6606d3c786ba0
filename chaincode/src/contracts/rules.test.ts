import '../testing/quiet-logs';
import { InvalidArgumentError, NotFoundError } from '../lib/errors';
import { evaluateRules, RuleViolationError } from '../lib/rules-engine';
import { GovernanceDriver, ruleContent, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { RulesContract } from './rules';

describe('rules contract and evaluateRules', () => {
  const rules = new RulesContract();
  let m: TestMinistries;
  let h: ContractHarness;
  let d: GovernanceDriver;

  beforeAll(async () => {
    m = await threeMinistries();
  });

  beforeEach(async () => {
    h = new ContractHarness();
    d = new GovernanceDriver(h, m);
    await d.registerAll();
    await d.enactLawAndArticle();
  });

  const evaluate = (record: object) =>
    h.run(m.edu.client, (ctx) => rules.EvaluateRecord(ctx, JSON.stringify(record)));
  const credential = (payload: object, category = 'G2C', recordType = 'education.credential') => ({
    category,
    recordType,
    payload,
  });

  it('is named "rules"', () => {
    expect(rules.getName()).toBe('rules');
  });

  it('passes a conforming record and cites the rule version as its legal basis', async () => {
    await d.enact('rule', ruleContent());
    const out = JSON.parse((await evaluate(credential({ accredited: true }))).result);
    expect(out).toEqual({ legalBasis: [{ ruleId: 'R1', version: 1, articleId: 'a1', lawId: 'L1' }] });
  });

  it('rejects a non-conforming record, naming the rule, its version, article and law', async () => {
    await d.enact('rule', ruleContent());
    await expect(evaluate(credential({ accredited: false }))).rejects.toThrow(RuleViolationError);
    await expect(evaluate(credential({}))).rejects.toThrow(
      'record violates rule R1 version 1 (article a1 of law L1): A degree names an accredited institution',
    );
  });

  it('exports evaluateRules for the ledger: metadata is visible to conditions', async () => {
    await d.enact(
      'rule',
      ruleContent({ condition: { '==': [{ var: 'metadata.issuerMsp' }, 'EducationMSP'] } }),
    );
    const run = (issuerMsp: string) =>
      h.run(m.edu.client, async (ctx) =>
        JSON.stringify(
          await evaluateRules(ctx, {
            category: 'G2C',
            recordType: 'education.credential',
            payload: {},
            metadata: { issuerMsp },
          }),
        ),
      );
    expect(JSON.parse((await run('EducationMSP')).result)).toHaveLength(1);
    await expect(run('HealthMSP')).rejects.toThrow('record violates rule R1 version 1');
  });

  it('applies a rule only within its scopes: a domain covers its types, a category limits them', async () => {
    await d.enact('rule', ruleContent({ appliesTo: ['G2C/education'] }));
    await expect(evaluate(credential({}, 'G2C', 'education.transcript'))).rejects.toThrow(RuleViolationError);
    expect(JSON.parse((await evaluate(credential({}, 'G2B'))).result)).toEqual({ legalBasis: [] });
    expect(JSON.parse((await evaluate(credential({}, 'G2C', 'health.vaccination'))).result)).toEqual({
      legalBasis: [],
    });
  });

  it('cites rules without a condition and orders the legal basis by rule id', async () => {
    await d.enact('rule', ruleContent({ id: 'R2', appliesTo: ['education'], condition: undefined }));
    await d.enact('rule', ruleContent());
    const out = JSON.parse((await evaluate(credential({ accredited: true }))).result);
    expect(out.legalBasis.map((b: { ruleId: string }) => b.ruleId)).toEqual(['R1', 'R2']);
  });

  it('counts a condition that cannot be evaluated as a violation', async () => {
    await d.enact('rule', ruleContent({ condition: { in: ['x', { var: 'payload.n' }] } }));
    // a payload object with an indexOf member makes json-logic's 'in' throw
    await expect(evaluate(credential({ n: { indexOf: 1 } }))).rejects.toThrow(
      /version 1 .*condition could not be evaluated/,
    );
  });

  it('refuses a rule whose condition uses an operator that is not allowed, at proposal time', async () => {
    const p = (condition: object) =>
      h.run(m.edu.admin, (ctx) =>
        d.governance.Propose(
          ctx,
          JSON.stringify({ id: 'PX', kind: 'rule', content: ruleContent({ condition }) }),
        ),
      );
    await expect(p({ log: 'x' })).rejects.toThrow('operator "log" is not allowed');
    await expect(p({ and: [true, { now: [] }] })).rejects.toThrow('operator "now" is not allowed');
    await expect(p({ '==': [1, 1], '!=': [1, 2] })).rejects.toThrow(InvalidArgumentError);
  });

  describe('versions', () => {
    beforeEach(async () => {
      await d.enact('rule', ruleContent());
      // version 2 drops the condition from 2025-06-01 on
      await d.enact('rule', ruleContent({ condition: undefined, effectiveFrom: '2025-06-01' }));
    });

    it('keeps every version and reads the one in force at a time', async () => {
      const versions = JSON.parse(
        (await h.run(m.edu.client, (ctx) => rules.GetVersions(ctx, 'rule', 'R1'))).result,
      );
      expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      const at = async (time: string) =>
        JSON.parse((await h.run(m.edu.client, (ctx) => rules.GetInForce(ctx, 'rule', 'R1', time))).result)
          .version;
      expect(await at('')).toBe(1);
      expect(await at('2025-07-01T00:00:00Z')).toBe(2);
      await expect(
        h.run(m.edu.client, (ctx) => rules.GetInForce(ctx, 'rule', 'R1', '2024-01-01T00:00:00Z')),
      ).rejects.toThrow('rule R1 has no version in force at 2024-01-01T00:00:00.000Z');
      expect(JSON.parse((await h.run(m.edu.client, (ctx) => rules.GetRule(ctx, 'R1'))).result)).toMatchObject(
        {
          version: 2,
          proposalId: 'p-4',
        },
      );
    });

    it('evaluates the version in force at the transaction time', async () => {
      await expect(evaluate(credential({}))).rejects.toThrow('rule R1 version 1');
      const later = new ContractHarness(new Date('2025-07-01T00:00:00Z'));
      h.world.state.forEach((v, k) => later.world.state.set(k, v));
      const out = await later.run(m.edu.client, (ctx) =>
        rules.EvaluateRecord(ctx, JSON.stringify(credential({}))),
      );
      expect(JSON.parse(out.result)).toEqual({
        legalBasis: [{ ruleId: 'R1', version: 2, articleId: 'a1', lawId: 'L1' }],
      });
    });

    it('lists the rules for a record type at a time', async () => {
      const list = async (at: string) =>
        JSON.parse(
          (
            await h.run(m.edu.client, (ctx) =>
              rules.GetRulesForRecordType(ctx, 'G2C', 'education.credential', at),
            )
          ).result,
        );
      expect((await list('')).map((r: { version: number }) => r.version)).toEqual([1]);
      expect((await list('2025-06-01T00:00:00Z')).map((r: { version: number }) => r.version)).toEqual([2]);
      expect(await list('2024-12-31T23:59:59Z')).toEqual([]);
    });
  });

  it('refuses a new version that moves a rule to another article', async () => {
    await d.enact('rule', ruleContent());
    await d.enact('article', {
      lawId: 'L1',
      id: 'a2',
      title: 'Other',
      textHash: 'a'.repeat(64),
      effectiveFrom: '2025-01-01',
    });
    await expect(
      h.run(m.edu.admin, (ctx) =>
        d.governance.Propose(
          ctx,
          JSON.stringify({ id: 'PM', kind: 'rule', content: ruleContent({ articleId: 'a2' }) }),
        ),
      ),
    ).rejects.toThrow('rule R1 belongs to article a1 of law L1; a new version cannot move it');
  });

  it('stops applying a rule after its effectiveUntil', async () => {
    await d.enact('rule', ruleContent({ effectiveUntil: '2025-03-01T09:00:30Z' }));
    await expect(evaluate(credential({}))).rejects.toThrow(RuleViolationError);
    const later = new ContractHarness(new Date('2025-03-01T09:01:00Z'));
    h.world.state.forEach((v, k) => later.world.state.set(k, v));
    const out = await later.run(m.edu.client, (ctx) =>
      rules.EvaluateRecord(ctx, JSON.stringify(credential({}))),
    );
    expect(JSON.parse(out.result)).toEqual({ legalBasis: [] });
  });

  it('returns the law tree with the versions in force', async () => {
    await d.enact('rule', ruleContent());
    const tree = JSON.parse((await h.run(m.edu.client, (ctx) => rules.GetLawTree(ctx, 'L1', ''))).result);
    expect(tree).toMatchObject({
      law: { id: 'L1', versions: 1, inForce: { title: 'Higher Education Act', version: 1 } },
      articles: [
        { id: 'L1/a1', inForce: { id: 'a1', version: 1 }, rules: [{ id: 'R1', inForce: { version: 1 } }] },
      ],
      articlesTruncated: false,
    });
    const laws = JSON.parse((await h.run(m.edu.client, (ctx) => rules.ListLaws(ctx, '10', ''))).result);
    expect(laws).toMatchObject({ items: [{ kind: 'law', id: 'L1' }], bookmark: '' });
  });

  it('refuses unknown ids and bad arguments', async () => {
    await expect(h.run(m.edu.client, (ctx) => rules.GetRule(ctx, 'nope'))).rejects.toThrow(NotFoundError);
    await expect(h.run(m.edu.client, (ctx) => rules.GetVersions(ctx, 'treaty', 'x'))).rejects.toThrow(
      'kind must be law, article or rule',
    );
    await expect(
      h.run(m.edu.client, (ctx) => rules.GetInForce(ctx, 'law', 'L1', 'yesterday')),
    ).rejects.toThrow('at must be');
    await expect(
      evaluate({ category: 'G2X', recordType: 'education.credential', payload: {} }),
    ).rejects.toThrow('field "category"');
  });
});
