import { CollectionSet, implicitCollection, parseCollectionsConfig } from './collections';

const entry = (over: Record<string, unknown> = {}) => ({
  name: 'c1',
  policy: "OR('Org1MSP.member','Org2MSP.member')",
  ...over,
});

describe('parseCollectionsConfig', () => {
  it('reads the peer CLI format with Fabric defaults and the member orgs of the policy', () => {
    const [c] = parseCollectionsConfig([
      entry({ requiredPeerCount: 1, maxPeerCount: 2, blockToLive: 5, memberOnlyRead: true }),
    ]);
    expect(c).toMatchObject({
      name: 'c1',
      memberOrgs: ['Org1MSP', 'Org2MSP'],
      requiredPeerCount: 1,
      maxPeerCount: 2,
      blockToLive: 5,
      memberOnlyRead: true,
      memberOnlyWrite: false,
      implicit: false,
    });
    expect(c.endorsementPolicy).toBeUndefined();
  });

  it('reads a collection endorsement policy as a signature policy or a channel policy reference', () => {
    const [a, b] = parseCollectionsConfig([
      entry({ name: 'a', endorsementPolicy: { signaturePolicy: "OR('Org1MSP.peer')" } }),
      entry({ name: 'b', endorsementPolicy: { channelConfigPolicy: 'Endorsement' } }),
    ]);
    expect(a.endorsementPolicy?.signaturePolicy?.getIdentitiesList()).toHaveLength(1);
    expect(b.endorsementPolicy).toEqual({ channelConfigPolicy: '/Channel/Application/Endorsement' });
  });

  it.each([
    [[entry(), entry()], 'found duplicate collection configuration'],
    [
      [entry({ requiredPeerCount: 3, maxPeerCount: 2 })],
      'maximum peer count (2) cannot be less than the required peer count (3)',
    ],
    [[entry({ name: 'bad name' })], 'invalid collection name'],
    [[entry({ name: '_implicit_org_Org1MSP' })], 'reserved prefix'],
    [[entry({ policy: undefined })], 'policy is required'],
    [[entry({ blockToLive: -1 })], 'blockToLive must be a non-negative integer'],
    [{}, 'must be a JSON array'],
  ])('refuses %j', (json, message) => {
    expect(() => parseCollectionsConfig(json)).toThrow(message);
  });
});

describe('implicit collections', () => {
  it('one per org: members that org, kept forever, not member-only, the org Endorsement policy', () => {
    const c = implicitCollection('Org1MSP', 'Org1', 'Org1MSP');
    expect(c).toMatchObject({
      name: '_implicit_org_Org1MSP',
      memberOrgs: ['Org1MSP'],
      blockToLive: 0,
      memberOnlyRead: false,
      memberOnlyWrite: false,
      maxPeerCount: 1,
      implicit: true,
    });
    expect(c.endorsementPolicy).toEqual({ channelConfigPolicy: '/Channel/Application/Org1/Endorsement' });
    expect(implicitCollection('Org2MSP', 'Org2', 'Org1MSP').maxPeerCount).toBe(0);
  });

  it('a CollectionSet has the explicit and every org implicit collection, nothing else', () => {
    const set = new CollectionSet(parseCollectionsConfig([entry()]), [
      { mspId: 'Org1MSP' },
      { mspId: 'Org2MSP' },
    ]);
    expect(
      set
        .all()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['_implicit_org_Org1MSP', '_implicit_org_Org2MSP', 'c1']);
    expect(set.get('c2')).toBeUndefined();
  });
});
