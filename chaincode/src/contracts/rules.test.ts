import '../testing/quiet-logs';
import { AccessDeniedError, AlreadyExistsError, InvalidArgumentError, NotFoundError } from '../lib/errors';
import { ContractHarness } from '../testing/harness';
import { ministryIdentities, type TestIdentity } from '../testing/identities';
import { RulesContract } from './rules';

const ruleInput = {
  id: 'edu-credential-validity',
  lawId: 'HEA-2019',
  articleId: 'art-12',
  title: 'Degrees are valid when issued by an accredited institution',
  textHash: 'b'.repeat(64),
  appliesTo: ['education.credential', 'education.transcript'],
  version: 1,
  effectiveFrom: '2025-01-01',
};

describe('rules contract', () => {
  const rules = new RulesContract();
  let admin: TestIdentity;
  let client: TestIdentity;

  beforeAll(async () => {
    ({ admin, client } = await ministryIdentities('EducationMSP'));
  });

  it('is named "rules"', () => {
    expect(rules.getName()).toBe('rules');
  });

  it('lets an admin define a rule that GetRule reads back', async () => {
    const h = new ContractHarness();
    const defined = await h.run(admin, (ctx) => rules.DefineRule(ctx, JSON.stringify(ruleInput)));
    expect(JSON.parse(defined.result)).toEqual({
      docType: 'rule',
      ...ruleInput,
      definedByMsp: 'EducationMSP',
      definedBy: expect.stringContaining('/OU=admin/CN=Admin@education.egov.local::'),
      definedAt: '2025-03-01T09:00:01.000Z',
      txId: defined.txId,
    });
    expect(defined.event?.name).toBe('RuleDefined');
    expect(JSON.parse(Buffer.from(defined.event!.payload).toString())).toEqual({
      id: ruleInput.id,
      lawId: 'HEA-2019',
      articleId: 'art-12',
      version: 1,
    });

    const read = await h.run(client, (ctx) => rules.GetRule(ctx, ruleInput.id));
    expect(read.result).toBe(defined.result);
  });

  it('refuses a non-admin caller with a clear error and writes nothing', async () => {
    const h = new ContractHarness();
    const attempt = h.run(client, (ctx) => rules.DefineRule(ctx, JSON.stringify(ruleInput)));
    await expect(attempt).rejects.toThrow(AccessDeniedError);
    await expect(h.run(client, (ctx) => rules.DefineRule(ctx, JSON.stringify(ruleInput)))).rejects.toThrow(
      'DefineRule requires an admin identity (certificate OU=admin); the caller from EducationMSP is not an admin',
    );
    expect(h.world.state.size).toBe(0);
  });

  it('checks access before input: a non-admin sending bad JSON is told about access', async () => {
    const h = new ContractHarness();
    await expect(h.run(client, (ctx) => rules.DefineRule(ctx, '{'))).rejects.toThrow(AccessDeniedError);
  });

  it('refuses bad input from an admin, naming the field', async () => {
    const h = new ContractHarness();
    const bad = JSON.stringify({ ...ruleInput, textHash: 'nothex' });
    await expect(h.run(admin, (ctx) => rules.DefineRule(ctx, bad))).rejects.toThrow(InvalidArgumentError);
    await expect(h.run(admin, (ctx) => rules.DefineRule(ctx, bad))).rejects.toThrow(
      'ruleJson: field "textHash"',
    );
  });

  it('refuses to redefine an existing rule id', async () => {
    const h = new ContractHarness();
    await h.run(admin, (ctx) => rules.DefineRule(ctx, JSON.stringify(ruleInput)));
    const v2 = JSON.stringify({ ...ruleInput, version: 2 });
    await expect(h.run(admin, (ctx) => rules.DefineRule(ctx, v2))).rejects.toThrow(AlreadyExistsError);
    await expect(h.run(admin, (ctx) => rules.DefineRule(ctx, v2))).rejects.toThrow(
      'rule edu-credential-validity already exists (version 1)',
    );
  });

  it('says "rule X does not exist" for an unknown id', async () => {
    const h = new ContractHarness();
    await expect(h.run(client, (ctx) => rules.GetRule(ctx, 'nope'))).rejects.toThrow(
      new NotFoundError('rule nope does not exist'),
    );
  });
});
