import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor, OrganizationDescriptor } from '@govfabric/network-config';
import { Bundle } from '../channelconfig/bundle';
import { buildChannelConfig } from '../channelconfig/configbuilder';
import { mapConfig } from '../configtx/configmap';
import { computeConfigUpdate, configUpdateEnvelope } from '../configtx/update';
import { ConfigValidator } from '../configtx/validator';
import { createOrg, type TestOrg } from '../msp/testing/certs';
import { majorityWith } from './channelupdate';
import {
  addApplicationOrg,
  anchorPeersOf,
  applicationOrgs,
  parseAnchorPeers,
  setAnchorPeers,
} from './orgconfig';

const wrap = (o: TestOrg, anchorPort?: number) => {
  const w = new mspProto.MSPConfig();
  w.setConfig(o.config.serializeBinary());
  return {
    mspId: o.mspId,
    msp: w,
    ...(anchorPort ? { anchorPeers: [{ host: '127.0.0.1', port: anchorPort }] } : {}),
  };
};

const copy = (c: common.Config): common.Config => common.Config.deserializeBinary(c.serializeBinary());

describe('ministry config updates: adding an organization, anchor peers (node/orgconfig)', () => {
  let orderer: TestOrg;
  let a: TestOrg;
  let b: TestOrg;
  let c: TestOrg;
  let d: TestOrg;
  let config: common.Config;
  let validator: ConfigValidator;
  let dGroup: common.ConfigGroup;

  beforeAll(async () => {
    [orderer, a, b, c, d] = await Promise.all(
      ['OrdererMSP', 'AMSP', 'BMSP', 'CMSP', 'DMSP'].map((id) => createOrg(id)),
    );
    const spec = {
      ordererOrg: wrap(orderer),
      batchTimeout: '100ms',
      maxMessageCount: 10,
      absoluteMaxBytes: 1_000_000,
      preferredMaxBytes: 500_000,
    };
    config = buildChannelConfig({ ...spec, applicationOrgs: [wrap(a, 7051), wrap(b, 8051), wrap(c, 9051)] });
    validator = new ConfigValidator('egov', config, new Bundle('egov', config).policies);
    // The new org's group as a channel with it would hold it (configtxgen -printOrg).
    const withD = buildChannelConfig({ ...spec, applicationOrgs: [wrap(d, 10051)] });
    dGroup = withD.getChannelGroup()!.getGroupsMap().get('Application')!.getGroupsMap().get('DMSP')!;
  });

  it('adds an org: the write set bumps /Channel/Application and adds the group at version 0', () => {
    const updated = copy(config);
    addApplicationOrg(updated, 'DMSP', dGroup);
    const update = computeConfigUpdate('egov', config, updated);
    const write = mapConfig(update.getWriteSet());
    expect(write.get('[Group]  /Channel/Application')!.group!.getVersion()).toBe(1);
    expect(write.get('[Group]  /Channel/Application/DMSP')!.group!.getVersion()).toBe(0);
    expect(write.get('[Value]  /Channel/Application/DMSP/AnchorPeers')!.value!.getVersion()).toBe(0);
    // The existing orgs are in the write set by version only, unchanged.
    expect(write.get('[Group]  /Channel/Application/AMSP')!.group!.getVersion()).toBe(0);
    expect(write.has('[Value]  /Channel/Application/AMSP/MSP')).toBe(false);
  });

  it('needs the admins of a majority of the member orgs (MAJORITY Admins): 2 of 3', () => {
    const updated = copy(config);
    addApplicationOrg(updated, 'DMSP', dGroup);
    const update = computeConfigUpdate('egov', config, updated);
    expect(() => validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin], a.admin))).toThrow(
      /policy for \[Group\] {2}\/Channel\/Application not satisfied/,
    );
    // Clients of two orgs are not admins.
    expect(() =>
      validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.client, b.client], a.client)),
    ).toThrow(/not satisfied/);
    // The new org cannot vouch for itself.
    expect(() =>
      validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin, d.admin], a.admin)),
    ).toThrow(/not satisfied/);
    const next = validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin, c.admin], a.admin));
    const nextConfig = next.getConfig()!;
    expect(nextConfig.getSequence()).toBe(config.getSequence() + 1);
    const bundle = new Bundle('egov', nextConfig);
    expect(bundle.applicationOrgs.map((o) => o.mspId).sort()).toEqual(['AMSP', 'BMSP', 'CMSP', 'DMSP']);
    expect(bundle.applicationOrgs.find((o) => o.mspId === 'DMSP')!.anchorPeers).toEqual([
      { host: '127.0.0.1', port: 10051 },
    ]);
    // The new org's identities are members of the channel under the new config only.
    expect(() => new Bundle('egov', config).msps.deserializeIdentity(d.client.serialize())).toThrow(
      'MSP DMSP is not defined on channel',
    );
    expect(() => bundle.msps.deserializeIdentity(d.client.serialize())).not.toThrow();
    // A peer re-derives the same config from last_update.
    expect(() => validator.validate(next)).not.toThrow();
  });

  it('refuses to add a group name or an MSP ID the channel already has', () => {
    expect(() => addApplicationOrg(copy(config), 'AMSP', dGroup)).toThrow(
      'AMSP is already a group of /Channel/Application',
    );
    const aGroup = config.getChannelGroup()!.getGroupsMap().get('Application')!.getGroupsMap().get('AMSP')!;
    expect(() => addApplicationOrg(copy(config), 'OtherName', aGroup)).toThrow(
      'an organization with MSP ID AMSP is already in /Channel/Application',
    );
    expect(() => addApplicationOrg(copy(config), 'Empty', new common.ConfigGroup())).toThrow(
      'the group of Empty has no MSP value',
    );
  });

  it("sets an org's anchor peers: only its AnchorPeers value changes, and its own admin signs", () => {
    const anchors = [
      { host: '127.0.0.1', port: 8051 },
      { host: 'peer1.b.example', port: 8151 },
    ];
    const updated = copy(config);
    setAnchorPeers(updated, 'BMSP', anchors);
    expect(anchorPeersOf(updated, 'BMSP')).toEqual(anchors);
    const update = computeConfigUpdate('egov', config, updated);
    const write = mapConfig(update.getWriteSet());
    expect([...write.keys()].filter((k) => k.startsWith('[Value]'))).toEqual([
      '[Value]  /Channel/Application/BMSP/AnchorPeers',
    ]);
    expect(write.get('[Value]  /Channel/Application/BMSP/AnchorPeers')!.value!.getVersion()).toBe(1);
    expect(() => validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin], a.admin))).toThrow(
      /policy for \[Value\] {2}\/Channel\/Application\/BMSP\/AnchorPeers not satisfied/,
    );
    const next = validator.proposeConfigUpdate(configUpdateEnvelope(update, [b.admin], b.admin)).getConfig()!;
    expect(new Bundle('egov', next).applicationOrgs.find((o) => o.mspId === 'BMSP')!.anchorPeers).toEqual(
      anchors,
    );
  });

  it('removes the AnchorPeers value for an empty list, and refuses bad anchors and unknown orgs', () => {
    const updated = copy(config);
    setAnchorPeers(updated, 'CMSP', []);
    expect(anchorPeersOf(updated, 'CMSP')).toEqual([]);
    expect(() => setAnchorPeers(copy(config), 'CMSP', [{ host: 'h', port: 70000 }])).toThrow(
      'invalid anchor peer h:70000',
    );
    expect(() => setAnchorPeers(copy(config), 'XMSP', [])).toThrow(
      'no organization with MSP ID XMSP in /Channel/Application',
    );
    expect(applicationOrgs(config).map((o) => o.mspId)).toEqual(['AMSP', 'BMSP', 'CMSP']);
  });

  it('parses host:port arguments, naming a malformed one', () => {
    expect(parseAnchorPeers(['127.0.0.1:7051', 'peer0.x.local:8051'])).toEqual([
      { host: '127.0.0.1', port: 7051 },
      { host: 'peer0.x.local', port: 8051 },
    ]);
    expect(() => parseAnchorPeers(['127.0.0.1'])).toThrow('anchor peer 127.0.0.1 is not host:port');
    expect(() => parseAnchorPeers(['h:p'])).toThrow('anchor peer h:p is not host:port');
  });

  it("signs with the ministry's admin first, then others up to a majority (3 of 4, 3 of 5)", () => {
    const org = (mspId: string) => ({ mspId }) as OrganizationDescriptor;
    const net = (n: number) =>
      ({ organizations: ['A', 'B', 'C', 'D', 'E'].slice(0, n).map(org) }) as unknown as NetworkDescriptor;
    expect(majorityWith(net(4), org('C')).map((o) => o.mspId)).toEqual(['C', 'A', 'B']);
    expect(majorityWith(net(5), org('A')).map((o) => o.mspId)).toEqual(['A', 'B', 'C']);
    expect(majorityWith(net(2), org('A')).map((o) => o.mspId)).toEqual(['A', 'B']);
  });
});
