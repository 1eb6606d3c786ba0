import { common, msp as mspProto, orderer, peer } from '@hyperledger/fabric-protos';
import { MSPManager } from '../msp/mspmgr';
import { PolicyManager } from '../policies/manager';
import { unmarshal, unpackEnvelope } from '../protoutil/unmarshalers';
import { parseDuration } from './duration';
import { ConfigKeys as K } from './keys';

/** Orderer settings of the channel (fabric channelconfig.Orderer). */
export interface OrdererConfig {
  consensusType: string;
  batchTimeoutMs: number;
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
  /** host:port of every orderer: per-org Endpoints, else the channel's OrdererAddresses. */
  addresses: string[];
  orgs: { mspId: string; endpoints: string[] }[];
}

/** An application organization with its anchor peers. */
export interface ApplicationOrg {
  /** The config group's name (configtxgen uses the org Name, often the MSP ID). */
  name: string;
  mspId: string;
  anchorPeers: { host: string; port: number }[];
}

/** Capability names enabled at each level. */
export interface Capabilities {
  channel: string[];
  orderer: string[];
  application: string[];
}

function value<T>(
  group: common.ConfigGroup | undefined,
  key: string,
  typeName: string,
  decode: (b: Uint8Array) => T,
): T | undefined {
  const v = group?.getValuesMap().get(key);
  return v ? unmarshal(typeName, decode, v.getValue_asU8()) : undefined;
}

function capabilityNames(group: common.ConfigGroup | undefined): string[] {
  const caps = value(group, K.Capabilities, 'Capabilities', common.Capabilities.deserializeBinary);
  return caps ? [...caps.getCapabilitiesMap().keys()].sort() : [];
}

function mspConfigOf(groupPath: string, group: common.ConfigGroup): mspProto.MSPConfig {
  const conf = value(group, K.MSP, 'MSPConfig', mspProto.MSPConfig.deserializeBinary);
  if (!conf) throw new Error(`organization group ${groupPath} has no MSP value`);
  return conf;
}

function mspIdOf(conf: mspProto.MSPConfig): string {
  return unmarshal(
    'FabricMSPConfig',
    mspProto.FabricMSPConfig.deserializeBinary,
    conf.getConfig_asU8(),
  ).getName();
}

/** Splits "host:port" (IPv6 in brackets not needed on devnet). */
function hostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}

/**
 * Everything a node derives from the channel's current config (fabric common/channelconfig
 * Bundle): MSPs of every organization, the policy tree, orderer batch settings and addresses,
 * application organizations with anchor peers, capabilities and ACLs.
 */
export class Bundle {
  readonly msps: MSPManager;
  readonly policies: PolicyManager;
  readonly orderer: OrdererConfig;
  readonly applicationOrgs: ApplicationOrg[];
  readonly capabilities: Capabilities;
  /** ACL resource name → policy reference (Application 'ACLs' value). */
  readonly acls: Map<string, string>;

  /** @param channelId the channel's name  @param config the channel config */
  constructor(
    readonly channelId: string,
    readonly config: common.Config,
  ) {
    const channel = config.getChannelGroup();
    if (!channel) throw new Error(`config of channel ${channelId} has no channel group`);
    const ordererGroup = channel.getGroupsMap().get(K.OrdererGroup);
    const appGroup = channel.getGroupsMap().get(K.ApplicationGroup);
    const configs: mspProto.MSPConfig[] = [];
    for (const [parentName, parent] of [
      [K.OrdererGroup, ordererGroup],
      [K.ApplicationGroup, appGroup],
    ] as const) {
      for (const [name, org] of parent?.getGroupsMap().entries() ?? [])
        configs.push(mspConfigOf(`/Channel/${parentName}/${name}`, org));
    }
    this.msps = MSPManager.fromConfigs(dedupeById(configs));
    this.policies = PolicyManager.fromChannelConfig(config, this.msps);
    this.orderer = Bundle.ordererConfig(channel, ordererGroup);
    this.applicationOrgs = [...(appGroup?.getGroupsMap().entries() ?? [])].map(([name, org]) => ({
      name,
      mspId: mspIdOf(mspConfigOf(`/Channel/Application/${name}`, org)),
      anchorPeers: (
        value(org, K.AnchorPeers, 'AnchorPeers', peer.AnchorPeers.deserializeBinary)?.getAnchorPeersList() ??
        []
      ).map((a) => ({
        host: a.getHost(),
        port: a.getPort(),
      })),
    }));
    this.capabilities = {
      channel: capabilityNames(channel),
      orderer: capabilityNames(ordererGroup),
      application: capabilityNames(appGroup),
    };
    const acls = value(appGroup, K.ACLs, 'ACLs', peer.ACLs.deserializeBinary);
    this.acls = new Map([...(acls?.getAclsMap().entries() ?? [])].map(([k, v]) => [k, v.getPolicyRef()]));
  }

  /**
   * The bundle of a config block (the genesis block or any later config block):
   * data[0] Envelope → Payload (type CONFIG) → ConfigEnvelope → Config.
   */
  static fromConfigBlock(block: common.Block): Bundle {
    const data = block.getData()?.getDataList_asU8() ?? [];
    if (data.length !== 1)
      throw new Error(
        `block ${block.getHeader()?.getNumber()} is not a config block: it has ${data.length} transactions`,
      );
    const env = unpackEnvelope(data[0]);
    if (env.channelHeader.getType() !== common.HeaderType.CONFIG) {
      throw new Error(
        `block ${block.getHeader()?.getNumber()} is not a config block: header type ${env.channelHeader.getType()}`,
      );
    }
    const configEnvelope = unmarshal(
      'ConfigEnvelope',
      common.ConfigEnvelope.deserializeBinary,
      env.payload.getData_asU8(),
    );
    const config = configEnvelope.getConfig();
    if (!config) throw new Error('config envelope has no config');
    return new Bundle(env.channelHeader.getChannelId(), config);
  }

  /** The config sequence (bumped by every config update). */
  get sequence(): number {
    return this.config.getSequence();
  }

  private static ordererConfig(
    channel: common.ConfigGroup,
    group: common.ConfigGroup | undefined,
  ): OrdererConfig {
    if (!group) throw new Error('channel config has no Orderer group');
    const batchSize = value(group, K.BatchSize, 'BatchSize', orderer.BatchSize.deserializeBinary);
    if (!batchSize) throw new Error('orderer config has no BatchSize');
    const timeout = value(group, K.BatchTimeout, 'BatchTimeout', orderer.BatchTimeout.deserializeBinary);
    if (!timeout) throw new Error('orderer config has no BatchTimeout');
    const orgs = [...group.getGroupsMap().entries()].map(([name, org]) => ({
      mspId: mspIdOf(mspConfigOf(`/Channel/Orderer/${name}`, org)),
      endpoints:
        value(
          org,
          K.Endpoints,
          'OrdererAddresses',
          common.OrdererAddresses.deserializeBinary,
        )?.getAddressesList() ?? [],
    }));
    const orgEndpoints = orgs.flatMap((o) => o.endpoints);
    const global =
      value(
        channel,
        K.OrdererAddresses,
        'OrdererAddresses',
        common.OrdererAddresses.deserializeBinary,
      )?.getAddressesList() ?? [];
    let batchTimeoutMs: number;
    try {
      batchTimeoutMs = parseDuration(timeout.getTimeout());
    } catch (err) {
      throw new Error(`orderer BatchTimeout: ${(err as Error).message}`);
    }
    if (batchTimeoutMs <= 0)
      throw new Error(`orderer BatchTimeout must be positive, got "${timeout.getTimeout()}"`);
    return {
      consensusType:
        value(group, K.ConsensusType, 'ConsensusType', orderer.ConsensusType.deserializeBinary)?.getType() ??
        '',
      batchTimeoutMs,
      maxMessageCount: batchSize.getMaxMessageCount(),
      absoluteMaxBytes: batchSize.getAbsoluteMaxBytes(),
      preferredMaxBytes: batchSize.getPreferredMaxBytes(),
      addresses: orgEndpoints.length > 0 ? orgEndpoints : global,
      orgs,
    };
  }

  /** The anchor peers of every application org as host/port pairs. */
  anchorPeerAddresses(): { mspId: string; host: string; port: number }[] {
    return this.applicationOrgs.flatMap((o) => o.anchorPeers.map((a) => ({ mspId: o.mspId, ...a })));
  }

  /** The first orderer address as host and port. */
  ordererEndpoint(): { host: string; port: number } {
    if (this.orderer.addresses.length === 0)
      throw new Error(`channel ${this.channelId} config names no orderer address`);
    return hostPort(this.orderer.addresses[0]);
  }
}

/** The same org may appear under Orderer and Application: keep one MSP per ID. */
function dedupeById(configs: mspProto.MSPConfig[]): mspProto.MSPConfig[] {
  const byId = new Map<string, mspProto.MSPConfig>();
  for (const c of configs) {
    const id = mspIdOf(c);
    if (!byId.has(id)) byId.set(id, c);
  }
  return [...byId.values()];
}
