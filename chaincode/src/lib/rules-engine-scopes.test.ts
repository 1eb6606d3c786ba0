import '../testing/quiet-logs';
import { RulesContract } from '../contracts/rules';
import { GovernanceDriver, ruleContent, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { RulesObjectType } from './rules-engine-keys';

/** The rules' scope index: one key per node with rules and a directory of those nodes. */
describe('rule scope index', () => {
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

  /** Committed keys of an object type, as `attr/attr/...`. */
  const keysOf = (type: string): string[] =>
    h.world
      .sortedKeys()
      .filter((k) => k.startsWith(`\u0000${type}\u0000`))
      .map((k) => k.split('\u0000').slice(2, -1).join('/'));

  /** The ids of the rules cited for a G2C record of `recordType`. */
  async function cited(recordType: string): Promise<string[]> {
    const out = await h.run(m.edu.client, (ctx) =>
      rules.EvaluateRecord(
        ctx,
        JSON.stringify({ category: 'G2C', recordType, payload: { accredited: true } }),
      ),
    );
    return (JSON.parse(out.result) as { legalBasis: { ruleId: string }[] }).legalBasis.map((b) => b.ruleId);
  }

  it('keeps one key per node with rules and a directory naming those nodes; the older index too', async () => {
    await d.enact('rule', ruleContent({ id: 'R1', appliesTo: ['G2C/education.credential', 'health'] }));
    await d.enact('rule', ruleContent({ id: 'R2', appliesTo: ['G2C/education.credential'] }));
    await d.enact('rule', ruleContent({ id: 'R3', appliesTo: ['*'] }));
    expect(keysOf(RulesObjectType.scopeNode)).toEqual(['*/*', '*/health', 'G2C/education.credential']);
    expect(h.stateJson('\u0000rules.scope-nodes\u0000')).toEqual({
      docType: 'rules.scope-nodes',
      nodes: ['*/*', '*/health', 'G2C/education.credential'],
    });
    expect(h.stateJson('\u0000rules.scope-node\u0000G2C\u0000education.credential\u0000')).toEqual({
      docType: 'rules.scope-node',
      ruleIds: ['R1', 'R2'],
    });
    expect(keysOf(RulesObjectType.scopeIndex)).toEqual([
      '*/*/R3',
      '*/health/R1',
      'G2C/education.credential/R1',
      'G2C/education.credential/R2',
    ]);
    expect(await cited('education.credential')).toEqual(['R1', 'R2', 'R3']);
    expect(await cited('education.transcript')).toEqual(['R3']);
    expect(await cited('health.vaccination')).toEqual(['R1', 'R3']);
  });

  it('reads a ledger an older chaincode wrote (no directory) by the older index, and carries it over at the next rule', async () => {
    await d.enact('rule', ruleContent({ id: 'R1', appliesTo: ['G2C/education'] }));
    await d.enact('rule', ruleContent({ id: 'R2', appliesTo: ['education.credential'] }));
    // what an older chaincode left: the range index only
    const added = [RulesObjectType.scopeNode, RulesObjectType.scopeNodes].map((t) => `\u0000${t}\u0000`);
    for (const k of h.world.sortedKeys().filter((k) => added.some((prefix) => k.startsWith(prefix))))
      h.world.state.delete(k);
    expect(await cited('education.credential')).toEqual(['R1', 'R2']);

    await d.enact('rule', ruleContent({ id: 'R3', appliesTo: ['G2C/education.credential'] }));
    expect(h.stateJson('\u0000rules.scope-nodes\u0000')).toEqual({
      docType: 'rules.scope-nodes',
      nodes: ['*/education.credential', 'G2C/education', 'G2C/education.credential'],
    });
    expect(await cited('education.credential')).toEqual(['R1', 'R2', 'R3']);
    expect(await cited('education.transcript')).toEqual(['R1']);
  });

  it('a rule moved to another scope by a new version stays indexed at both; the version in force decides', async () => {
    await d.enact('rule', ruleContent({ id: 'R1', appliesTo: ['G2C/education.credential'] }));
    await d.enact('rule', ruleContent({ id: 'R1', appliesTo: ['G2C/education.transcript'] }));
    expect(keysOf(RulesObjectType.scopeNode)).toEqual([
      'G2C/education.credential',
      'G2C/education.transcript',
    ]);
    expect(await cited('education.credential')).toEqual([]);
    expect(await cited('education.transcript')).toEqual(['R1']);
  });
});
