import { common, msp as mspProto, orderer, peer } from '@hyperledger/fabric-protos';
import { fromString } from '../policies/policydsl';
import { blockDataHash, newBlock, setMetadataEntry } from '../protoutil/blockutils';
import { makeChannelHeader, makePayloadHeader } from '../protoutil/txutils';
import { computeTxId, newNonce } from '../protoutil/txid';
import { ConfigKeys as K } from './keys';

/** An organization of the channel, as configtxgen's Organizations section. */
export interface OrgSpec {
  /** Config group name; the MSP ID when omitted. */
  name?: string;
  mspId: string;
  /** The verifying MSP config (see msp `mspConfigFromDir`). */
  msp: mspProto.MSPConfig;
  /** Application orgs: anchor peers. */
  anchorPeers?: { host: string; port: number }[];
  /** Orderer orgs: orderer endpoints "host:port". */
  ordererEndpoints?: string[];
}

/** What configtxgen reads from a profile, for one application channel with one orderer org. */
export interface ChannelConfigSpec {
  ordererOrg: OrgSpec;
  applicationOrgs: OrgSpec[];
  /** Go duration, e.g. "100ms". */
  batchTimeout: string;
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
  /** Default 'etcdraft'. */
  consensusType?: string;
  /** Rule of /Channel/Application/Endorsement and LifecycleEndorsement; default 'MAJORITY'. */
  endorsementRule?: 'ANY' | 'ALL' | 'MAJORITY';
  /** Defaults: channel V3_0, orderer V2_0, application V2_5. */
  capabilities?: { channel?: string[]; orderer?: string[]; application?: string[] };
}

function configValue(msg: { serializeBinary(): Uint8Array }): common.ConfigValue {
  const v = new common.ConfigValue();
  v.setValue(msg.serializeBinary());
  v.setModPolicy('Admins');
  return v;
}

function signaturePolicy(dsl: string): common.ConfigPolicy {
  const p = new common.Policy();
  p.setType(common.Policy.PolicyType.SIGNATURE);
  p.setValue(fromString(dsl).serializeBinary());
  const cp = new common.ConfigPolicy();
  cp.setPolicy(p);
  cp.setModPolicy('Admins');
  return cp;
}

function implicitMeta(rule: 'ANY' | 'ALL' | 'MAJORITY', subPolicy: string): common.ConfigPolicy {
  const imp = new common.ImplicitMetaPolicy();
  imp.setRule(common.ImplicitMetaPolicy.Rule[rule]);
  imp.setSubPolicy(subPolicy);
  const p = new common.Policy();
  p.setType(common.Policy.PolicyType.IMPLICIT_META);
  p.setValue(imp.serializeBinary());
  const cp = new common.ConfigPolicy();
  cp.setPolicy(p);
  cp.setModPolicy('Admins');
  return cp;
}

function capabilities(names: string[]): common.ConfigValue {
  const caps = new common.Capabilities();
  for (const n of names) caps.getCapabilitiesMap().set(n, new common.Capability());
  return configValue(caps);
}

function group(
  values: Record<string, common.ConfigValue>,
  policies: Record<string, common.ConfigPolicy>,
  groups: Record<string, common.ConfigGroup> = {},
): common.ConfigGroup {
  const g = new common.ConfigGroup();
  g.setModPolicy('Admins');
  for (const [k, v] of Object.entries(values)) g.getValuesMap().set(k, v);
  for (const [k, v] of Object.entries(policies)) g.getPoliciesMap().set(k, v);
  for (const [k, v] of Object.entries(groups)) g.getGroupsMap().set(k, v);
  return g;
}

function ordererOrgGroup(org: OrgSpec): common.ConfigGroup {
  const values: Record<string, common.ConfigValue> = { [K.MSP]: configValue(org.msp) };
  if (org.ordererEndpoints?.length) {
    const endpoints = new common.OrdererAddresses();
    endpoints.setAddressesList(org.ordererEndpoints);
    values[K.Endpoints] = configValue(endpoints);
  }
  const id = org.mspId;
  return group(values, {
    Readers: signaturePolicy(`OR('${id}.member')`),
    Writers: signaturePolicy(`OR('${id}.member')`),
    Admins: signaturePolicy(`OR('${id}.admin')`),
  });
}

function applicationOrgGroup(org: OrgSpec): common.ConfigGroup {
  const values: Record<string, common.ConfigValue> = { [K.MSP]: configValue(org.msp) };
  if (org.anchorPeers?.length) {
    const aps = new peer.AnchorPeers();
    aps.setAnchorPeersList(
      org.anchorPeers.map((a) => {
        const ap = new peer.AnchorPeer();
        ap.setHost(a.host);
        ap.setPort(a.port);
        return ap;
      }),
    );
    values[K.AnchorPeers] = configValue(aps);
  }
  const id = org.mspId;
  return group(values, {
    Readers: signaturePolicy(`OR('${id}.admin', '${id}.peer', '${id}.client')`),
    Writers: signaturePolicy(`OR('${id}.admin', '${id}.client')`),
    Admins: signaturePolicy(`OR('${id}.admin')`),
    Endorsement: signaturePolicy(`OR('${id}.peer')`),
  });
}

/**
 * A channel config with configtxgen's sample policies (fabric internal/configtxgen encoder):
 * Readers/Writers ANY, Admins MAJORITY at each level; org Readers admin|peer|client, Writers
 * admin|client, Admins admin, Endorsement peer; Application Endorsement and LifecycleEndorsement
 * MAJORITY Endorsement; Orderer BlockValidation ANY Writers.
 */
export function buildChannelConfig(spec: ChannelConfigSpec): common.Config {
  const caps = spec.capabilities ?? {};
  const batchSize = new orderer.BatchSize();
  batchSize.setMaxMessageCount(spec.maxMessageCount);
  batchSize.setAbsoluteMaxBytes(spec.absoluteMaxBytes);
  batchSize.setPreferredMaxBytes(spec.preferredMaxBytes);
  const batchTimeout = new orderer.BatchTimeout();
  batchTimeout.setTimeout(spec.batchTimeout);
  const consensus = new orderer.ConsensusType();
  consensus.setType(spec.consensusType ?? 'etcdraft');
  const ordererGroup = group(
    {
      [K.ConsensusType]: configValue(consensus),
      [K.BatchSize]: configValue(batchSize),
      [K.BatchTimeout]: configValue(batchTimeout),
      [K.Capabilities]: capabilities(caps.orderer ?? ['V2_0']),
    },
    {
      Readers: implicitMeta('ANY', 'Readers'),
      Writers: implicitMeta('ANY', 'Writers'),
      Admins: implicitMeta('MAJORITY', 'Admins'),
      BlockValidation: implicitMeta('ANY', 'Writers'),
    },
    { [spec.ordererOrg.name ?? spec.ordererOrg.mspId]: ordererOrgGroup(spec.ordererOrg) },
  );
  const rule = spec.endorsementRule ?? 'MAJORITY';
  const appGroup = group(
    { [K.Capabilities]: capabilities(caps.application ?? ['V2_5']) },
    {
      Readers: implicitMeta('ANY', 'Readers'),
      Writers: implicitMeta('ANY', 'Writers'),
      Admins: implicitMeta('MAJORITY', 'Admins'),
      Endorsement: implicitMeta(rule, 'Endorsement'),
      LifecycleEndorsement: implicitMeta(rule, 'Endorsement'),
    },
    Object.fromEntries(spec.applicationOrgs.map((o) => [o.name ?? o.mspId, applicationOrgGroup(o)])),
  );
  const hashing = new common.HashingAlgorithm();
  hashing.setName('SHA256');
  const bdhs = new common.BlockDataHashingStructure();
  bdhs.setWidth(0xffffffff);
  const channelGroup = group(
    {
      [K.HashingAlgorithm]: configValue(hashing),
      [K.BlockDataHashingStructure]: configValue(bdhs),
      [K.Capabilities]: capabilities(caps.channel ?? ['V3_0']),
    },
    {
      Readers: implicitMeta('ANY', 'Readers'),
      Writers: implicitMeta('ANY', 'Writers'),
      Admins: implicitMeta('MAJORITY', 'Admins'),
    },
    { [K.OrdererGroup]: ordererGroup, [K.ApplicationGroup]: appGroup },
  );
  const config = new common.Config();
  config.setChannelGroup(channelGroup);
  return config;
}

/**
 * The genesis block of a channel (fabric common/genesis factory.Block): one unsigned CONFIG
 * envelope (msg version 1, txid from a fresh nonce and no creator), LAST_CONFIG and SIGNATURES
 * metadata pointing at block 0.
 */
export function newGenesisBlock(channelId: string, config: common.Config): common.Block {
  const nonce = newNonce();
  const chdr = makeChannelHeader({
    type: common.HeaderType.CONFIG,
    channelId,
    version: 1,
    txId: computeTxId(nonce, new Uint8Array(0)),
  });
  const shdr = new common.SignatureHeader();
  shdr.setNonce(nonce);
  const configEnvelope = new common.ConfigEnvelope();
  configEnvelope.setConfig(config);
  const payload = new common.Payload();
  payload.setHeader(makePayloadHeader(chdr, shdr));
  payload.setData(configEnvelope.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  const block = newBlock(0, new Uint8Array(0));
  block.getData()!.setDataList([envelope.serializeBinary()]);
  block.getHeader()!.setDataHash(blockDataHash(block.getData()!));
  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(0);
  const lcMeta = new common.Metadata();
  lcMeta.setValue(lastConfig.serializeBinary());
  setMetadataEntry(block, common.BlockMetadataIndex.LAST_CONFIG, lcMeta.serializeBinary());
  const obm = new common.OrdererBlockMetadata();
  obm.setLastConfig(lastConfig);
  const sigMeta = new common.Metadata();
  sigMeta.setValue(obm.serializeBinary());
  setMetadataEntry(block, common.BlockMetadataIndex.SIGNATURES, sigMeta.serializeBinary());
  return block;
}
