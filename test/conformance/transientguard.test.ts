import { conformanceNetwork, failureOf, text, uniqueKey } from './support';

// The gateway protects transient data: with no endorsing organisations named, it sends a proposal
// carrying transient data only to members of the collections the transaction writes, and says so
// when they alone cannot satisfy the endorsement policy (fabric internal/pkg/gateway/endorse.go).
const c = conformanceNetwork();
const [org1, org2] = c.mspIds;
const conn = c.gateway(org1);
const cc = c.contract(conn);
afterAll(() => conn.close());

const implicit = `_implicit_org_${org1}`;
// A collection of org1 alone (test/fixtures/conformance-cc/collections_config.json).
const org1Only = 'ImmigrationShortLived';

describe('transient data and the endorsement plan', () => {
  it("refuses to ask organisations outside the written collection's distribution policy", async () => {
    const key = uniqueKey('guard');
    const msg = await failureOf(
      cc.submit('PutPrivate', {
        arguments: [org1Only, key, ''],
        transientData: { [key]: Buffer.from('secret') },
      }),
    );
    expect(msg).toContain(
      `requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [${org1Only}]; retry specifying trusted endorsing organizations to protect transient data`,
    );
  });

  it('does not restrict the plan for an implicit organisation collection, which discovery does not know', async () => {
    const key = uniqueKey('guard-implicit');
    await cc.submit('PutPrivate', {
      arguments: [implicit, key, ''],
      transientData: { [key]: Buffer.from('secret') },
    });
    expect(text(await cc.evaluateTransaction('GetPrivate', implicit, key))).toBe('secret');
  });

  it('endorses on the organisations the client names, and the member reads the value back', async () => {
    const key = uniqueKey('guard-named');
    await cc.submit('PutPrivate', {
      arguments: [implicit, key, ''],
      transientData: { [key]: Buffer.from('secret') },
      endorsingOrganizations: [org1, org2],
    });
    expect(text(await cc.evaluateTransaction('GetPrivate', implicit, key))).toBe('secret');
  });
});
