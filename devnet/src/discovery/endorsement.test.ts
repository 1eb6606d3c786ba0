import { discovery, msp as mspProto, peer } from '@hyperledger/fabric-protos';
import { convertChannelPolicy } from '../policies/convert';
import type { ChaincodeMetadata } from '../lifecycle/metadataprovider';
import { peersByCriteria, peersForEndorsement, type EndorsementSupport } from './endorsement';
import type { NetworkMember } from './member';
import { testChannel, testMember, testMetadata, type TestChannel } from './testkit';

let ch: TestChannel;
beforeAll(async () => {
  ch = await testChannel(4);
}, 60_000);

const installed = [{ name: 'cc', version: '1' }];

function support(
  metadata: Record<string, ChaincodeMetadata>,
  members: NetworkMember[] = ch.orgs.map((o) => testMember(o, installed)),
): EndorsementSupport {
  return {
    channelId: 'ch',
    members,
    metadata: (cc) => metadata[cc],
    satisfiesPrincipal: (identity, principal) => {
      try {
        return ch.bundle.msps.deserializeIdentity(identity).principalMismatch(principal) === undefined;
      } catch {
        return false;
      }
    },
  };
}

function call(name: string, collections: string[] = [], noPrivateReads = false): peer.ChaincodeCall {
  const c = new peer.ChaincodeCall();
  c.setName(name);
  c.setCollectionNamesList(collections);
  c.setNoPrivateReads(noPrivateReads);
  return c;
}

function interest(...calls: peer.ChaincodeCall[]): peer.ChaincodeInterest {
  const i = new peer.ChaincodeInterest();
  i.setChaincodesList(calls);
  return i;
}

/** Each layout as sorted `MSPID:count` of the groups' peers' orgs, sorted. */
function layouts(desc: discovery.EndorsementDescriptor): string[] {
  const orgOf = new Map<string, string>();
  for (const [g, peers] of desc.getEndorsersByGroupsMap().entries()) {
    const ids = peers
      .getPeersList()
      .map((p) => mspProto.SerializedIdentity.deserializeBinary(p.getIdentity_asU8()).getMspid());
    orgOf.set(g, [...new Set(ids)].join('|'));
  }
  return desc
    .getLayoutsList()
    .map((l) =>
      [...l.getQuantitiesByGroupMap().entries()]
        .map(([g, n]) => `${orgOf.get(g) ?? `${g}?`}:${n}`)
        .sort()
        .join(','),
    )
    .sort();
}

describe('endorsement analyzer: policy to layouts', () => {
  it('gives one layout per choice of an OutOf policy, each group with the peers satisfying it', () => {
    const desc = peersForEndorsement(
      support({ cc: testMetadata("OutOf(2, 'AMSP.peer', 'BMSP.peer', 'CMSP.peer')") }),
      interest(call('cc')),
    );
    expect(desc.getChaincode()).toBe('cc');
    expect(layouts(desc)).toEqual(['AMSP:1,BMSP:1', 'AMSP:1,CMSP:1', 'BMSP:1,CMSP:1']);
    expect(desc.getEndorsersByGroupsMap().getLength()).toBe(3);
  });

  it("gives the channel's MAJORITY Endorsement (converted ImplicitMeta) as every 3 of the 4 orgs", () => {
    const md = {
      ...testMetadata("OR('AMSP.peer')"),
      policy: convertChannelPolicy(ch.bundle.config, '/Channel/Application/Endorsement'),
    };
    expect(layouts(peersForEndorsement(support({ cc: md }), interest(call('cc'))))).toEqual([
      'AMSP:1,BMSP:1,CMSP:1',
      'AMSP:1,BMSP:1,DMSP:1',
      'AMSP:1,CMSP:1,DMSP:1',
      'BMSP:1,CMSP:1,DMSP:1',
    ]);
  });

  it("asks for two peers of an org when the policy needs two of its peers' signatures", () => {
    const md = { cc: testMetadata("AND('AMSP.peer', 'AMSP.peer')") };
    // One group with quantity 2: A has a single peer, so no layout can be filled.
    expect(() => peersForEndorsement(support(md), interest(call('cc')))).toThrow(
      /^no peer combination can satisfy the endorsement policy$/,
    );
  });

  it('drops layouts whose peers are not alive, and says so when none is left', () => {
    const alive = ch.orgs.slice(0, 2).map((o) => testMember(o, installed));
    const md = { cc: testMetadata("OutOf(2, 'AMSP.peer', 'BMSP.peer', 'CMSP.peer')") };
    expect(layouts(peersForEndorsement(support(md, alive), interest(call('cc'))))).toEqual(['AMSP:1,BMSP:1']);
    expect(() => peersForEndorsement(support(md, alive.slice(0, 1)), interest(call('cc')))).toThrow(
      /^no peer combination can satisfy the endorsement policy$/,
    );
  });

  it('leaves out peers without the chaincode installed at the defined sequence', () => {
    const members = [
      testMember(ch.orgs[0], installed),
      testMember(ch.orgs[1], [{ name: 'cc', version: '2' }]),
      testMember(ch.orgs[2], installed),
    ];
    const md = { cc: testMetadata("AND('AMSP.peer', 'BMSP.peer')") };
    expect(() => peersForEndorsement(support(md, members), interest(call('cc')))).toThrow(
      /^required chaincodes are not installed on sufficient peers$/,
    );
  });

  it('names a chaincode that is not defined', () => {
    expect(() => peersByCriteria(support({}), interest(call('nope')), false)).toThrow(
      /^No metadata was found for chaincode nope in channel ch$/,
    );
  });
});

describe('endorsement analyzer: collections and chaincode-to-chaincode calls', () => {
  const md = () =>
    testMetadata("OutOf(2, 'AMSP.peer', 'BMSP.peer', 'CMSP.peer')", [
      { name: 'AC', members: "OR('AMSP.member', 'CMSP.member')" },
      { name: 'ABOwn', members: "OR('AMSP.member', 'BMSP.member')", endorsement: "OR('BMSP.peer')" },
    ]);

  it("narrows the peers to the collection's members", () => {
    expect(layouts(peersForEndorsement(support({ cc: md() }), interest(call('cc', ['AC']))))).toEqual([
      'AMSP:1,CMSP:1',
    ]);
  });

  it("uses a collection's own endorsement policy instead of the chaincode's", () => {
    expect(layouts(peersForEndorsement(support({ cc: md() }), interest(call('cc', ['ABOwn']))))).toEqual([
      'BMSP:1',
    ]);
  });

  it('does not narrow to members when the call reads no private data', () => {
    expect(
      layouts(peersForEndorsement(support({ cc: md() }), interest(call('cc', ['AC'], true)))),
    ).toHaveLength(3);
  });

  it("refuses a collection the chaincode doesn't have", () => {
    expect(() => peersForEndorsement(support({ cc: md() }), interest(call('cc', ['XX'])))).toThrow(
      /^collection XX doesn't exist in collection config for chaincode cc$/,
    );
  });

  it("merges the called chaincodes' policies into sets that satisfy both", () => {
    const two = {
      cc: testMetadata("OR('AMSP.peer', 'BMSP.peer')"),
      cc2: { ...testMetadata("OR('BMSP.peer', 'CMSP.peer')"), name: 'cc2' },
    };
    const members = ch.orgs.map((o) => testMember(o, [...installed, { name: 'cc2', version: '1' }]));
    const desc = peersForEndorsement(support(two, members), interest(call('cc'), call('cc2')));
    expect(layouts(desc)).toEqual(['AMSP:1,CMSP:1', 'BMSP:1']);
  });
});
