import { common, msp as mspProto, peer } from '@hyperledger/fabric-protos';

/** An application organization's group in a channel config, by the MSP ID its MSP value names. */
export interface ApplicationOrgGroup {
  /** Its key under /Channel/Application (configtxgen uses the organization's name). */
  name: string;
  mspId: string;
  group: common.ConfigGroup;
}

/** The /Channel/Application group of a config. @throws Error when the config has none. */
function applicationGroup(config: common.Config): common.ConfigGroup {
  const app = config.getChannelGroup()?.getGroupsMap().get('Application');
  if (app === undefined) throw new Error('the channel config has no /Channel/Application group');
  return app;
}

/** The MSP ID an organization group's MSP value names (FabricMSPConfig.name), if it has one. */
export function mspIdOf(group: common.ConfigGroup): string | undefined {
  const value = group.getValuesMap().get('MSP');
  if (value === undefined) return undefined;
  const conf = mspProto.MSPConfig.deserializeBinary(value.getValue_asU8());
  return mspProto.FabricMSPConfig.deserializeBinary(conf.getConfig_asU8()).getName();
}

/** The channel's application organizations, in the config's map order. */
export function applicationOrgs(config: common.Config): ApplicationOrgGroup[] {
  return [...applicationGroup(config).getGroupsMap().entries()].flatMap(([name, group]) => {
    const mspId = mspIdOf(group);
    return mspId === undefined ? [] : [{ name, mspId, group }];
  });
}

/**
 * Adds an organization group under /Channel/Application (what `jq` does with `configtxgen
 * -printOrg`'s output in Fabric's "adding an org to a channel" tutorial).
 * @throws Error when the group name or the MSP ID is already in the channel.
 */
export function addApplicationOrg(config: common.Config, name: string, group: common.ConfigGroup): void {
  const mspId = mspIdOf(group);
  if (mspId === undefined) throw new Error(`the group of ${name} has no MSP value`);
  const app = applicationGroup(config);
  if (app.getGroupsMap().has(name)) throw new Error(`${name} is already a group of /Channel/Application`);
  if (applicationOrgs(config).some((o) => o.mspId === mspId))
    throw new Error(`an organization with MSP ID ${mspId} is already in /Channel/Application`);
  app.getGroupsMap().set(name, group);
}

/**
 * Sets an organization's AnchorPeers value (peer.AnchorPeers; mod_policy Admins of its group, so its
 * own admins sign the update, as for `peer channel update -f <org>anchors.tx`). Empty `anchors`
 * removes the value.
 * @throws Error when no application organization has this MSP ID, or an anchor is malformed.
 */
export function setAnchorPeers(
  config: common.Config,
  mspId: string,
  anchors: { host: string; port: number }[],
): void {
  const org = applicationOrgs(config).find((o) => o.mspId === mspId);
  if (org === undefined) throw new Error(`no organization with MSP ID ${mspId} in /Channel/Application`);
  for (const a of anchors) {
    if (a.host === '' || !Number.isInteger(a.port) || a.port < 1 || a.port > 65535)
      throw new Error(`invalid anchor peer ${a.host}:${a.port}: want host:port with a port 1-65535`);
  }
  const values = org.group.getValuesMap();
  if (anchors.length === 0) {
    values.del('AnchorPeers');
    return;
  }
  const list = new peer.AnchorPeers();
  list.setAnchorPeersList(
    anchors.map((a) => {
      const ap = new peer.AnchorPeer();
      ap.setHost(a.host);
      ap.setPort(a.port);
      return ap;
    }),
  );
  const value = values.get('AnchorPeers') ?? new common.ConfigValue();
  if (!values.has('AnchorPeers')) value.setModPolicy('Admins');
  value.setValue(list.serializeBinary());
  values.set('AnchorPeers', value);
}

/** An organization's anchor peers in a config (empty without an AnchorPeers value). */
export function anchorPeersOf(config: common.Config, mspId: string): { host: string; port: number }[] {
  const org = applicationOrgs(config).find((o) => o.mspId === mspId);
  const value = org?.group.getValuesMap().get('AnchorPeers');
  if (value === undefined) return [];
  return peer.AnchorPeers.deserializeBinary(value.getValue_asU8())
    .getAnchorPeersList()
    .map((a) => ({ host: a.getHost(), port: a.getPort() }));
}

/**
 * Parses `host:port` anchor peer arguments.
 * @throws Error naming the argument that is not host:port.
 */
export function parseAnchorPeers(args: string[]): { host: string; port: number }[] {
  return args.map((arg) => {
    const m = /^([^\s:]+):(\d{1,5})$/.exec(arg);
    if (m === null) throw new Error(`anchor peer ${arg} is not host:port`);
    return { host: m[1], port: Number(m[2]) };
  });
}
