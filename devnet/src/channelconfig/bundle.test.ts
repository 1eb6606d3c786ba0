import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import { generateNetwork, type NetworkDescriptor } from '@govfabric/network-config';
import { SigningIdentity } from '../msp/signingidentity';
import { createOrg, type TestOrg } from '../msp/testing/certs';
import { blockHeaderHash, newBlock } from '../protoutil/blockutils';
import { Bundle } from './bundle';
import { buildChannelConfig, newGenesisBlock } from './configbuilder';

function wrap(
  o: TestOrg,
  extra: { anchorPeers?: { host: string; port: number }[]; ordererEndpoints?: string[] } = {},
) {
  const w = new mspProto.MSPConfig();
  w.setConfig(o.config.serializeBinary());
  return { mspId: o.mspId, msp: w, ...extra };
}

describe('Bundle.fromConfigBlock over a configtxgen-style genesis block', () => {
  let orderer: TestOrg;
  let a: TestOrg;
  let b: TestOrg;
  let bundle: Bundle;
  let block: common.Block;

  beforeAll(async () => {
    [orderer, a, b] = await Promise.all([createOrg('OrdererMSP'), createOrg('AMSP'), createOrg('BMSP')]);
    const config = buildChannelConfig({
      ordererOrg: wrap(orderer, { ordererEndpoints: ['orderer.example:7050'] }),
      applicationOrgs: [wrap(a, { anchorPeers: [{ host: 'peer0.a', port: 7051 }] }), wrap(b)],
      batchTimeout: '250ms',
      maxMessageCount: 50,
      absoluteMaxBytes: 10 * 1024 * 1024,
      preferredMaxBytes: 2 * 1024 * 1024,
    });
    block = common.Block.deserializeBinary(newGenesisBlock('egov', config).serializeBinary());
    bundle = Bundle.fromConfigBlock(block);
  });

  it('reads channel, orderer settings, orgs and capabilities', () => {
    expect(bundle.channelId).toBe('egov');
    expect(bundle.msps.getMSPIds().sort()).toEqual(['AMSP', 'BMSP', 'OrdererMSP']);
    expect(bundle.orderer).toMatchObject({
      batchTimeoutMs: 250,
      maxMessageCount: 50,
      absoluteMaxBytes: 10 * 1024 * 1024,
      preferredMaxBytes: 2 * 1024 * 1024,
      addresses: ['orderer.example:7050'],
      consensusType: 'etcdraft',
    });
    expect(bundle.applicationOrgs).toEqual([
      { name: 'AMSP', mspId: 'AMSP', anchorPeers: [{ host: 'peer0.a', port: 7051 }] },
      { name: 'BMSP', mspId: 'BMSP', anchorPeers: [] },
    ]);
    expect(bundle.capabilities).toEqual({ channel: ['V3_0'], orderer: ['V2_0'], application: ['V2_5'] });
    expect(bundle.ordererEndpoint()).toEqual({ host: 'orderer.example', port: 7050 });
  });

  it('evaluates channel policies with the MSPs of the config', () => {
    const data = Buffer.from('x');
    const sd = (s: SigningIdentity) => ({ data, identity: s.serialize(), signature: s.sign(data) });
    expect(() =>
      bundle.policies.getPolicy('/Channel/Application/Writers')!.evaluate([sd(b.client)]),
    ).not.toThrow();
    expect(() =>
      bundle.policies.getPolicy('/Channel/Orderer/BlockValidation')!.evaluate([sd(orderer.peer)]),
    ).not.toThrow();
    expect(() =>
      bundle.policies.getPolicy('/Channel/Orderer/BlockValidation')!.evaluate([sd(a.peer)]),
    ).toThrow();
    expect(() =>
      bundle.policies.getPolicy('/Channel/Application/Endorsement')!.evaluate([sd(a.peer), sd(b.peer)]),
    ).not.toThrow();
  });

  it('writes the genesis block as fabric genesis.Factory does', () => {
    expect(block.getHeader()!.getNumber()).toBe(0);
    expect(block.getMetadata()!.getMetadataList_asU8()).toHaveLength(5);
    expect(blockHeaderHash(block.getHeader()!)).toHaveLength(32);
  });

  it('refuses blocks that are not config blocks', () => {
    expect(() => Bundle.fromConfigBlock(newBlock(1, new Uint8Array(0)))).toThrow(/not a config block/);
  });
});

describe("Bundle over network-config's generated network", () => {
  let tmp: string;
  let network: NetworkDescriptor;
  let bundle: Bundle;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-net-'));
    network = await generateNetwork({ home: tmp });
    bundle = Bundle.fromConfigBlock(
      common.Block.deserializeBinary(fs.readFileSync(network.genesisBlockPath)),
    );
  }, 60_000);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('knows every organization and the orderer batch settings', () => {
    expect(bundle.channelId).toBe(network.channel);
    expect(bundle.msps.getMSPIds().sort()).toEqual(
      [network.orderer.mspId, ...network.organizations.map((o) => o.mspId)].sort(),
    );
    expect(bundle.orderer.maxMessageCount).toBe(network.orderer.maxMessageCount);
    expect(bundle.orderer.addresses.length).toBeGreaterThan(0);
    expect(bundle.applicationOrgs.map((o) => o.mspId).sort()).toEqual(
      network.organizations.map((o) => o.mspId).sort(),
    );
  });

  it('validates the generated identities with their NodeOU roles', () => {
    for (const org of network.organizations) {
      const role = (dir: string) =>
        bundle.msps.deserializeIdentity(SigningIdentity.fromMSPDir(dir, org.mspId).serialize()).role;
      expect(role(org.admin.mspDir)).toBe('admin');
      expect(role(org.user.mspDir)).toBe('client');
      expect(role(org.peers[0].mspDir)).toBe('peer');
    }
    const o = network.orderer;
    expect(
      bundle.msps.deserializeIdentity(SigningIdentity.fromMSPDir(o.mspDir, o.mspId).serialize()).role,
    ).toBe('orderer');
  });

  it('lets a ministry user write and a peer sign blocks only if it is the orderer', () => {
    const user = SigningIdentity.fromMSPDir(
      network.organizations[0].user.mspDir,
      network.organizations[0].mspId,
    );
    const ord = SigningIdentity.fromMSPDir(network.orderer.mspDir, network.orderer.mspId);
    const data = Buffer.from('block');
    const sd = (s: SigningIdentity) => [{ data, identity: s.serialize(), signature: s.sign(data) }];
    expect(() => bundle.policies.getPolicy('/Channel/Writers')!.evaluate(sd(user))).not.toThrow();
    expect(() =>
      bundle.policies.getPolicy('/Channel/Orderer/BlockValidation')!.evaluate(sd(ord)),
    ).not.toThrow();
    expect(() => bundle.policies.getPolicy('/Channel/Orderer/BlockValidation')!.evaluate(sd(user))).toThrow();
  });
});
