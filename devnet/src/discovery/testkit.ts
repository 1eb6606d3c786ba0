import { msp as mspProto, peer } from '@hyperledger/fabric-protos';
import { Bundle } from '../channelconfig';
import { buildChannelConfig } from '../channelconfig/configbuilder';
import type { ChaincodeMetadata } from '../lifecycle/metadataprovider';
import { createOrg, type TestOrg } from '../msp/testing/certs';
import { fromString } from '../policies/policydsl';
import { selfMember, type AdvertisedChaincode, type NetworkMember } from './member';

/** A test channel: application orgs A, B, C (and D when asked), an orderer org, its Bundle. */
export interface TestChannel {
  bundle: Bundle;
  orgs: TestOrg[];
  orderer: TestOrg;
}

const wrap = (o: TestOrg, i: number, orderer = false) => {
  const conf = new mspProto.MSPConfig();
  conf.setType(0);
  conf.setConfig(o.config.serializeBinary());
  return orderer
    ? { mspId: o.mspId, msp: conf, ordererEndpoints: ['orderer.test:7050'] }
    : { mspId: o.mspId, msp: conf, anchorPeers: [{ host: '127.0.0.1', port: 7051 + 1000 * i }] };
};

/** A channel `ch` of `n` application orgs (AMSP, BMSP, ...) with configtxgen's sample policies. */
export async function testChannel(n = 3): Promise<TestChannel> {
  const names = ['AMSP', 'BMSP', 'CMSP', 'DMSP'].slice(0, n);
  const [orderer, ...orgs] = await Promise.all([createOrg('OrdererMSP'), ...names.map((m) => createOrg(m))]);
  const config = buildChannelConfig({
    ordererOrg: wrap(orderer, 0, true),
    applicationOrgs: orgs.map((o, i) => wrap(o, i)),
    batchTimeout: '100ms',
    maxMessageCount: 10,
    absoluteMaxBytes: 1 << 20,
    preferredMaxBytes: 1 << 19,
  });
  return { bundle: new Bundle('ch', config), orgs, orderer };
}

/** An org's peer as discovery sees it, with the chaincodes it advertises. */
export function testMember(org: TestOrg, chaincodes: AdvertisedChaincode[], height = 5): NetworkMember {
  return selfMember(org.peer, {
    endpoint: `peer0.${org.mspId}:7051`,
    incNum: 1,
    seqNum: 1,
    channel: { id: 'ch', ledgerHeight: height, chaincodes },
  });
}

/** Metadata of a chaincode `cc` at sequence 1 with a policy in Fabric's DSL and optional collections. */
export function testMetadata(
  policy: string,
  collections: { name: string; members: string; endorsement?: string }[] = [],
): ChaincodeMetadata {
  const pkg = new peer.CollectionConfigPackage();
  for (const c of collections) {
    const members = new peer.CollectionPolicyConfig();
    members.setSignaturePolicy(fromString(c.members));
    const stat = new peer.StaticCollectionConfig();
    stat.setName(c.name);
    stat.setMemberOrgsPolicy(members);
    if (c.endorsement) {
      const ep = new peer.ApplicationPolicy();
      ep.setSignaturePolicy(fromString(c.endorsement));
      stat.setEndorsementPolicy(ep);
    }
    const conf = new peer.CollectionConfig();
    conf.setStaticCollectionConfig(stat);
    pkg.addConfig(conf);
  }
  return {
    name: 'cc',
    version: '1',
    policy: fromString(policy),
    collectionPolicies: new Map(
      collections.filter((c) => c.endorsement).map((c) => [c.name, fromString(c.endorsement!)]),
    ),
    collectionsConfig: collections.length > 0 ? pkg : undefined,
  };
}
