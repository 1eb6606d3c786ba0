import type { CollectionConfigJson } from './collections';
import { CollectionResolver, type ResolverSources } from './resolver';

/** A resolver whose chaincode definition and channel orgs the test replaces. */
function resolverOf(state: {
  collections?: CollectionConfigJson[];
  orgs: { mspId: string; name?: string }[];
}) {
  const src: ResolverSources = {
    localMspId: 'Org1MSP',
    collectionsConfig: () => ({ defined: true, collections: state.collections }),
    bundle: () => ({
      applicationOrgs: state.orgs,
      msps: undefined as never,
      policies: { getPolicy: () => undefined },
    }),
  };
  return new CollectionResolver(src);
}

describe('CollectionResolver', () => {
  const c1: CollectionConfigJson = { name: 'c1', policy: "OR('Org1MSP.member')" };
  const c2: CollectionConfigJson = { name: 'c2', policy: "OR('Org2MSP.member')" };

  it('keeps its collection set while the definition and the orgs are the same, and an equal copy of them', () => {
    const state = { collections: [c1], orgs: [{ mspId: 'Org1MSP' }, { mspId: 'Org2MSP' }] };
    const r = resolverOf(state);
    const first = r.collections('cc');
    expect(r.collections('cc')).toBe(first);
    state.collections = [{ ...c1 }];
    state.orgs = state.orgs.map((o) => ({ ...o }));
    expect(r.collections('cc')).toBe(first);
  });

  it('answers from a changed definition or a changed channel config at once', () => {
    const state = { collections: [c1], orgs: [{ mspId: 'Org1MSP' }, { mspId: 'Org2MSP' }] };
    const r = resolverOf(state);
    expect(r.collection('cc', 'c2')).toBeUndefined();
    state.collections = [c1, c2];
    expect(r.collection('cc', 'c2')?.memberOrgs).toEqual(['Org2MSP']);
    expect(r.collection('cc', '_implicit_org_Org3MSP')).toBeUndefined();
    state.orgs = [...state.orgs, { mspId: 'Org3MSP' }];
    expect(r.collection('cc', '_implicit_org_Org3MSP')?.memberOrgs).toEqual(['Org3MSP']);
    expect(r.isEligible('cc', '_implicit_org_Org1MSP')).toBe(true);
  });
});
