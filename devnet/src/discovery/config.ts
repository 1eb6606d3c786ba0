import { common, discovery, msp as mspProto } from '@hyperledger/fabric-protos';
import { unmarshal } from '../protoutil/unmarshalers';

const FABRIC_MSP_TYPE = 0;

function fabricMspConfig(group: common.ConfigGroup): mspProto.FabricMSPConfig | undefined {
  const value = group.getValuesMap().get('MSP');
  if (!value) throw new Error('failed parsing MSPConfig: the group has no MSP value');
  const conf = unmarshal('MSPConfig', mspProto.MSPConfig.deserializeBinary, value.getValue_asU8());
  if (conf.getType() !== FABRIC_MSP_TYPE) return undefined;
  return unmarshal('FabricMSPConfig', mspProto.FabricMSPConfig.deserializeBinary, conf.getConfig_asU8());
}

function orgGroups(config: common.Config, key: 'Orderer' | 'Application'): [string, common.ConfigGroup][] {
  const group = config.getChannelGroup()?.getGroupsMap().get(key);
  if (!group) throw new Error(`key Config.ChannelGroup.Groups[${key}] is missing`);
  return [...group.getGroupsMap().entries()];
}

/**
 * The FABRIC MSP configs of the orderer and application organizations by MSP id, orderer orgs first
 * (fabric discovery/support/config appendMSPConfigs: the first config of an MSP id wins).
 */
export function channelMspConfigs(config: common.Config): Map<string, mspProto.FabricMSPConfig> {
  const out = new Map<string, mspProto.FabricMSPConfig>();
  for (const key of ['Orderer', 'Application'] as const) {
    for (const [, group] of orgGroups(config, key)) {
      const fabric = fabricMspConfig(group);
      if (fabric && !out.has(fabric.getName())) out.set(fabric.getName(), fabric);
    }
  }
  return out;
}

function endpoint(address: string): discovery.Endpoint | undefined {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port)) return undefined;
  const e = new discovery.Endpoint();
  e.setHost(address.slice(0, i));
  e.setPort(port);
  return e;
}

function addresses(group: common.ConfigGroup | undefined, key: string): string[] | undefined {
  const value = group?.getValuesMap().get(key);
  if (!value) return undefined;
  return unmarshal(
    'OrdererAddresses',
    common.OrdererAddresses.deserializeBinary,
    value.getValue_asU8(),
  ).getAddressesList();
}

/**
 * Orderer endpoints by orderer org (fabric computeOrdererEndpoints): each org's own `Endpoints` when
 * any org has some, else the channel's global `OrdererAddresses` for every orderer org.
 */
function ordererEndpoints(config: common.Config): Map<string, discovery.Endpoints> {
  const perOrg = new Map<string, string[]>();
  for (const [, group] of orgGroups(config, 'Orderer')) {
    const fabric = fabricMspConfig(group);
    if (fabric) perOrg.set(fabric.getName(), addresses(group, 'Endpoints') ?? []);
  }
  const anyPerOrg = [...perOrg.values()].some((a) => a.length > 0);
  const global = addresses(config.getChannelGroup(), 'OrdererAddresses') ?? [];
  const out = new Map<string, discovery.Endpoints>();
  for (const [mspId, own] of perOrg) {
    const list = new discovery.Endpoints();
    for (const address of anyPerOrg ? own : global) {
      const e = endpoint(address);
      if (e) list.addEndpoint(e);
      else if (!anyPerOrg) throw new Error(`failed parsing orderer endpoint ${address}`);
    }
    out.set(mspId, list);
  }
  return out;
}

/**
 * The answer to a config query (fabric discovery/support/config Config): every organization's MSP
 * config (root, intermediate and TLS certificates, NodeOUs) and the orderer endpoints by orderer org.
 */
export function configResult(config: common.Config): discovery.ConfigResult {
  const res = new discovery.ConfigResult();
  for (const [mspId, conf] of channelMspConfigs(config)) res.getMspsMap().set(mspId, conf);
  for (const [mspId, list] of ordererEndpoints(config)) res.getOrderersMap().set(mspId, list);
  return res;
}
