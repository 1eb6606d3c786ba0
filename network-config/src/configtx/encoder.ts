import { common, orderer, peer } from '@hyperledger/fabric-protos';
import { getVerifyingMspConfig } from './mspconfig';
import { encodePolicy, type PolicySpec } from './policies';
import { readProfileFile, type GenesisProfile, type OrganizationProfile } from './profile';

/** mod_policy of nearly every element, as configtxgen sets it (`channelconfig.AdminsPolicyKey`). */
const ADMINS = 'Admins';
/** mod_policy of Channel/OrdererAddresses (`ordererAdminsPolicyName`). */
const ORDERER_ADMINS = '/Channel/Orderer/Admins';
/** `math.MaxUint32`: BlockDataHashingStructure width configtxgen always writes. */
const BLOCK_DATA_HASHING_WIDTH = 0xffffffff;

/** A serializable protobuf message (google-protobuf generated class). */
interface Message {
  serializeBinary(): Uint8Array;
}

/** configtxgen's `addValue`: a ConfigValue holding the marshalled message. */
function addValue(group: common.ConfigGroup, key: string, value: Message, modPolicy: string = ADMINS): void {
  const v = new common.ConfigValue();
  v.setValue(value.serializeBinary());
  v.setModPolicy(modPolicy);
  group.getValuesMap().set(key, v);
}

/**
 * configtxgen's `AddPolicies`: every policy of the map, encoded, with the given mod_policy.
 * @throws Error when Readers, Writers or Admins is missing (configtxgen refuses such a group).
 */
function addPolicies(group: common.ConfigGroup, policies: Record<string, PolicySpec>, where: string): void {
  for (const required of ['Admins', 'Readers', 'Writers']) {
    if (!policies[required])
      throw new Error(`error adding policies to ${where}: no ${required} policy defined`);
  }
  for (const [name, spec] of Object.entries(policies)) {
    const p = new common.ConfigPolicy();
    p.setPolicy(encodePolicy(spec));
    p.setModPolicy(ADMINS);
    group.getPoliciesMap().set(name, p);
  }
}

/** `channelconfig.CapabilitiesValue`: each required capability as an empty Capability message. */
function capabilities(names: string[]): common.Capabilities {
  const c = new common.Capabilities();
  for (const name of names) c.getCapabilitiesMap().set(name, new common.Capability());
  return c;
}

/** `common.OrdererAddresses` (also the type of an orderer org's Endpoints value). */
function ordererAddresses(addresses: string[]): common.OrdererAddresses {
  const a = new common.OrdererAddresses();
  a.setAddressesList(addresses);
  return a;
}

/** A new group with mod_policy Admins, as every configtxgen group. */
function newGroup(): common.ConfigGroup {
  const g = new common.ConfigGroup();
  g.setModPolicy(ADMINS);
  return g;
}

/** The etcdraft ConfigMetadata: consenters with their TLS certificates loaded from disk (`MarshalEtcdRaftMetadata`). */
function etcdRaftMetadata(raft: GenesisProfile['orderer']['etcdRaft']): orderer.etcdraft.ConfigMetadata {
  const md = new orderer.etcdraft.ConfigMetadata();
  md.setConsentersList(
    raft.consenters.map((c) => {
      const consenter = new orderer.etcdraft.Consenter();
      consenter.setHost(c.host);
      consenter.setPort(c.port);
      consenter.setClientTlsCert(
        readProfileFile(c.clientTlsCertPath, `client cert for consenter ${c.host}:${c.port}`),
      );
      consenter.setServerTlsCert(
        readProfileFile(c.serverTlsCertPath, `server cert for consenter ${c.host}:${c.port}`),
      );
      return consenter;
    }),
  );
  const options = new orderer.etcdraft.Options();
  options.setTickInterval(raft.options.tickInterval);
  options.setElectionTick(raft.options.electionTick);
  options.setHeartbeatTick(raft.options.heartbeatTick);
  options.setMaxInflightBlocks(raft.options.maxInflightBlocks);
  options.setSnapshotIntervalSize(raft.options.snapshotIntervalSize);
  md.setOptions(options);
  return md;
}

/** configtxgen's `NewOrdererOrgGroup`: MSP, policies and Endpoints of an orderer organization. */
export function newOrdererOrgGroup(org: OrganizationProfile): common.ConfigGroup {
  const group = newGroup();
  addPolicies(group, org.policies, `orderer org group '${org.name}'`);
  addValue(group, 'MSP', getVerifyingMspConfig(org.mspDir, org.id));
  if (org.ordererEndpoints && org.ordererEndpoints.length > 0)
    addValue(group, 'Endpoints', ordererAddresses(org.ordererEndpoints));
  return group;
}

/** configtxgen's `NewOrdererGroup`: batch settings, consensus type with Raft metadata, capabilities, orgs. */
export function newOrdererGroup(conf: GenesisProfile['orderer']): common.ConfigGroup {
  const group = newGroup();
  if (!conf.policies.BlockValidation)
    throw new Error('error adding policies to orderer group: no BlockValidation policy defined');
  addPolicies(group, conf.policies, 'orderer group');

  const batchSize = new orderer.BatchSize();
  batchSize.setMaxMessageCount(conf.batchSize.maxMessageCount);
  batchSize.setAbsoluteMaxBytes(conf.batchSize.absoluteMaxBytes);
  batchSize.setPreferredMaxBytes(conf.batchSize.preferredMaxBytes);
  addValue(group, 'BatchSize', batchSize);

  const batchTimeout = new orderer.BatchTimeout();
  batchTimeout.setTimeout(conf.batchTimeout);
  addValue(group, 'BatchTimeout', batchTimeout);

  const restrictions = new orderer.ChannelRestrictions();
  restrictions.setMaxCount(conf.maxChannels);
  addValue(group, 'ChannelRestrictions', restrictions);

  if (conf.capabilities.length > 0) addValue(group, 'Capabilities', capabilities(conf.capabilities));

  const consensus = new orderer.ConsensusType();
  consensus.setType(conf.ordererType);
  consensus.setMetadata(etcdRaftMetadata(conf.etcdRaft).serializeBinary());
  consensus.setState(orderer.ConsensusType.State.STATE_NORMAL);
  addValue(group, 'ConsensusType', consensus);

  for (const org of conf.organizations) group.getGroupsMap().set(org.name, newOrdererOrgGroup(org));
  return group;
}

/** configtxgen's `NewApplicationOrgGroup`: MSP, policies and AnchorPeers of a ministry. */
export function newApplicationOrgGroup(org: OrganizationProfile): common.ConfigGroup {
  const group = newGroup();
  addPolicies(group, org.policies, `application org group ${org.name}`);
  addValue(group, 'MSP', getVerifyingMspConfig(org.mspDir, org.id));
  if (org.anchorPeers && org.anchorPeers.length > 0) {
    const anchors = new peer.AnchorPeers();
    anchors.setAnchorPeersList(
      org.anchorPeers.map((a) => {
        const ap = new peer.AnchorPeer();
        ap.setHost(a.host);
        ap.setPort(a.port);
        return ap;
      }),
    );
    addValue(group, 'AnchorPeers', anchors);
  }
  return group;
}

/** configtxgen's `NewApplicationGroup`: policies, ACLs, capabilities and one group per ministry. */
export function newApplicationGroup(conf: GenesisProfile['application']): common.ConfigGroup {
  const group = newGroup();
  addPolicies(group, conf.policies, 'application group');
  if (Object.keys(conf.acls).length > 0) {
    const acls = new peer.ACLs();
    for (const [resource, policyRef] of Object.entries(conf.acls)) {
      const r = new peer.APIResource();
      r.setPolicyRef(policyRef);
      acls.getAclsMap().set(resource, r);
    }
    addValue(group, 'ACLs', acls);
  }
  if (conf.capabilities.length > 0) addValue(group, 'Capabilities', capabilities(conf.capabilities));
  for (const org of conf.organizations) group.getGroupsMap().set(org.name, newApplicationOrgGroup(org));
  return group;
}

/**
 * configtxgen's `NewChannelGroup`: the root /Channel group with HashingAlgorithm SHA256,
 * BlockDataHashingStructure, OrdererAddresses (mod_policy /Channel/Orderer/Admins), Capabilities,
 * and the Orderer and Application groups.
 */
export function newChannelGroup(profile: GenesisProfile): common.ConfigGroup {
  const group = newGroup();
  addPolicies(group, profile.policies, 'channel group');

  const hashing = new common.HashingAlgorithm();
  hashing.setName('SHA256');
  addValue(group, 'HashingAlgorithm', hashing);

  const structure = new common.BlockDataHashingStructure();
  structure.setWidth(BLOCK_DATA_HASHING_WIDTH);
  addValue(group, 'BlockDataHashingStructure', structure);

  if (profile.orderer.addresses.length > 0) {
    if (profile.capabilities.includes('V3_0')) {
      throw new Error('global orderer endpoints exist, but can not be used with V3_0 capability');
    }
    addValue(group, 'OrdererAddresses', ordererAddresses(profile.orderer.addresses), ORDERER_ADMINS);
  }
  if (profile.capabilities.length > 0) addValue(group, 'Capabilities', capabilities(profile.capabilities));

  group.getGroupsMap().set('Orderer', newOrdererGroup(profile.orderer));
  group.getGroupsMap().set('Application', newApplicationGroup(profile.application));
  return group;
}
