import type { Contract } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { testNetwork } from '../support/devnet';
import { errorText, submitJson } from '../support/calls';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import { newRecord, registration } from '../support/records';

/** Submits and returns the parsed result once every peer has its block. */
async function submit(
  contract: Contract,
  name: string,
  ...args: string[]
): Promise<ReturnType<typeof JSON.parse>> {
  return submitJson(testNetwork(), contract, name, ...args);
}

/** Registers the caller's ministry unless an earlier test file already did. */
async function registerMinistry(contract: Contract): Promise<void> {
  await submitJson(testNetwork(), contract, 'governance:RegisterMinistry').catch((err: unknown) => {
    if (!/is already registered/.test(errorText(err))) throw err;
  });
}

// Issue 11 on the devnet: governance by ministries, then the ledger checking the enacted rule.
describe('rules repository and governance', () => {
  const run = Date.now().toString(36);
  const recordType = `education.rules-${run}`;
  const hash = 'c'.repeat(64);
  let net: NetworkDescriptor;
  let edu: GatewayConnection;
  let health: GatewayConnection;
  let imm: GatewayConnection;
  let eduUser: GatewayConnection;
  const cc = (g: GatewayConnection) => g.gateway.getNetwork(net.channel).getContract(net.chaincode.name);

  beforeAll(async () => {
    net = testNetwork();
    edu = connectGateway(net, 'EducationMSP', 'admin');
    health = connectGateway(net, 'HealthMSP', 'admin');
    imm = connectGateway(net, 'ImmigrationMSP', 'admin');
    eduUser = connectGateway(net, 'EducationMSP');
    for (const g of [edu, health, imm]) await registerMinistry(cc(g));
    await submit(
      cc(edu),
      'schemas:RegisterSchema',
      recordType,
      JSON.stringify({ schema: { type: 'object', properties: { accredited: { type: 'boolean' } } } }),
    );
  });

  afterAll(() => {
    for (const g of [edu, health, imm, eduUser]) g?.close();
  });

  /**
   * Proposes as Education, approves by Education, then Health and Immigration (three of the four
   * registered organizations, the central bank being the fourth), tallies as Immigration.
   */
  async function enactByMajority(
    id: string,
    kind: string,
    content: object,
  ): Promise<ReturnType<typeof JSON.parse>> {
    await submit(cc(edu), 'governance:Propose', JSON.stringify({ id, kind, content }));
    await submit(cc(edu), 'governance:Approve', id);
    const early = await cc(imm)
      .submitTransaction('governance:Tally', id)
      .catch((e: unknown) => e);
    expect(errorText(early)).toContain(`proposal ${id} is still open: 1 of 3 approvals`);
    await submit(cc(health), 'governance:Approve', id);
    await submit(cc(imm), 'governance:Approve', id);
    return submit(cc(imm), 'governance:Tally', id);
  }

  it('enacts a law, an article and a rule approved by three of four organizations', async () => {
    const law = await enactByMajority(`p-law-${run}`, 'law', {
      id: `L-${run}`,
      title: 'Higher Education Act',
      textHash: hash,
      effectiveFrom: '2020-01-01',
    });
    expect(law).toMatchObject({
      status: 'ENACTED',
      outcome: { approvals: ['EducationMSP', 'HealthMSP', 'ImmigrationMSP'], required: 3, registered: 4 },
    });
    await enactByMajority(`p-art-${run}`, 'article', {
      lawId: `L-${run}`,
      id: 'art-12',
      title: 'Accreditation',
      textHash: hash,
      effectiveFrom: '2020-01-01',
    });
    const rule = await enactByMajority(`p-rule-${run}`, 'rule', {
      id: `R-${run}`,
      lawId: `L-${run}`,
      articleId: 'art-12',
      title: 'Degrees come from accredited institutions',
      textHash: hash,
      appliesTo: [`G2C/${recordType}`],
      condition: { '==': [{ var: 'payload.accredited' }, true] },
      effectiveFrom: '2020-01-01',
    });
    expect(rule.outcome.enacted).toEqual({ kind: 'rule', id: `R-${run}`, version: 1 });
    const tree = JSON.parse(
      Buffer.from(await cc(eduUser).evaluateTransaction('rules:GetLawTree', `L-${run}`, '')).toString(),
    );
    expect(tree.articles[0].rules[0]).toMatchObject({ id: `R-${run}`, inForce: { version: 1 } });
  });

  it('rejects a non-conforming record at RegisterRecord, naming the rule, version and article', async () => {
    const record = newRecord({ recordType, payload: { accredited: false } });
    const err = await cc(edu)
      .submit('ledger:RegisterRecord', {
        arguments: [JSON.stringify(record)],
        ...registration(net, 'EducationMSP', record.id),
      })
      .catch((e: unknown) => e);
    expect(errorText(err)).toContain(
      `record violates rule R-${run} version 1 (article art-12 of law L-${run}): Degrees come from accredited institutions`,
    );
    const dryRun = await cc(eduUser)
      .evaluateTransaction(
        'rules:EvaluateRecord',
        JSON.stringify({ category: 'G2C', recordType, payload: { accredited: false } }),
      )
      .catch((e: unknown) => e);
    expect(errorText(dryRun)).toContain(`rule R-${run} version 1`);
    const refused = await cc(eduUser)
      .evaluateTransaction('ledger:GetRecord', record.id)
      .catch((e: unknown) => e);
    expect(errorText(refused)).toContain(`record ${record.id} does not exist`);
  });

  it('registers a conforming record that cites the rule version as its legal basis', async () => {
    const record = newRecord({ recordType, payload: { accredited: true } });
    await cc(edu).submit('ledger:RegisterRecord', {
      arguments: [JSON.stringify(record)],
      ...registration(net, 'EducationMSP', record.id),
    });
    const stored = JSON.parse(
      Buffer.from(await cc(eduUser).evaluateTransaction('ledger:GetRecord', record.id)).toString(),
    );
    expect(stored.legalBasis).toEqual([
      { ruleId: `R-${run}`, version: 1, articleId: 'art-12', lawId: `L-${run}` },
    ]);
  });
});
