import { common } from '@hyperledger/fabric-protos';

/** One element of a config tree by its fully qualified key (fabric configtx `comparable`). */
export interface ConfigItem {
  kind: 'Group' | 'Value' | 'Policy';
  /** The element's name in its parent (`Application`, `MSP`, `Admins`, ...). */
  key: string;
  /** The path of its parent group, root first (`['Channel', 'Application']`). */
  path: string[];
  group?: common.ConfigGroup;
  value?: common.ConfigValue;
  policy?: common.ConfigPolicy;
}

/** Fabric's config ID rule (configtx.validateConfigID): `[a-zA-Z0-9.-]+`, at most 249, not `.`/`..`. */
const CONFIG_ID = /^[a-zA-Z0-9.-]{1,249}$/;

/** Fabric's map keys: `[Group]  /Channel/Application`, `[Value]  /Channel/...`, `[Policy] /Channel/...`. */
export function itemKey(kind: ConfigItem['kind'], path: string[], key: string): string {
  const prefix = kind === 'Group' ? '[Group]  ' : kind === 'Value' ? '[Value]  ' : '[Policy] ';
  return `${prefix}/${[...path, key].join('/')}`;
}

export function versionOf(item: ConfigItem): number {
  return (item.group ?? item.value ?? item.policy)!.getVersion();
}

export function modPolicyOf(item: ConfigItem): string {
  return (item.group ?? item.value ?? item.policy)!.getModPolicy();
}

function add(result: Map<string, ConfigItem>, item: ConfigItem): void {
  if (!CONFIG_ID.test(item.key) || item.key === '.' || item.key === '..') {
    throw new Error(`illegal characters in key: config ID '${item.key}' is not allowed`);
  }
  result.set(itemKey(item.kind, item.path, item.key), item);
}

function recurse(result: Map<string, ConfigItem>, path: string[], group: common.ConfigGroup): void {
  add(result, { kind: 'Group', key: path[path.length - 1], path: path.slice(0, -1), group });
  for (const [key, child] of group.getGroupsMap().entries()) recurse(result, [...path, key], child);
  for (const [key, value] of group.getValuesMap().entries()) add(result, { kind: 'Value', key, path, value });
  for (const [key, policy] of group.getPoliciesMap().entries())
    add(result, { kind: 'Policy', key, path, policy });
}

/** Flattens a config tree into its elements by key (fabric configtx.mapConfig). */
export function mapConfig(
  channelGroup: common.ConfigGroup | undefined,
  rootKey = 'Channel',
): Map<string, ConfigItem> {
  const result = new Map<string, ConfigItem>();
  if (channelGroup !== undefined) recurse(result, [rootKey], channelGroup);
  return result;
}

const clone = <T extends { serializeBinary(): Uint8Array }>(m: T, decode: (b: Uint8Array) => T): T =>
  decode(m.serializeBinary());

/**
 * Rebuilds the tree from a map (fabric configtx.configMapToConfig): each group's members are the
 * names its own element lists, their contents come from the map.
 * @throws Error naming a member that the map lacks.
 */
export function configMapToConfig(map: Map<string, ConfigItem>, rootKey = 'Channel'): common.ConfigGroup {
  return rebuild([rootKey], map);
}

function rebuild(path: string[], map: Map<string, ConfigItem>): common.ConfigGroup {
  const key = itemKey('Group', path.slice(0, -1), path[path.length - 1]);
  const item = map.get(key);
  if (item?.group === undefined) throw new Error(`missing group at path: ${key}`);
  const out = new common.ConfigGroup();
  out.setVersion(item.group.getVersion());
  out.setModPolicy(item.group.getModPolicy());
  for (const name of item.group.getGroupsMap().keys())
    out.getGroupsMap().set(name, rebuild([...path, name], map));
  for (const name of item.group.getValuesMap().keys()) {
    const v = map.get(itemKey('Value', path, name))?.value;
    if (v === undefined) throw new Error(`missing value at path: ${itemKey('Value', path, name)}`);
    out.getValuesMap().set(name, clone(v, common.ConfigValue.deserializeBinary));
  }
  for (const name of item.group.getPoliciesMap().keys()) {
    const p = map.get(itemKey('Policy', path, name))?.policy;
    if (p === undefined) throw new Error(`missing policy at path: ${itemKey('Policy', path, name)}`);
    out.getPoliciesMap().set(name, clone(p, common.ConfigPolicy.deserializeBinary));
  }
  return out;
}

/** Structural equality of two config trees (proto.Equal, independent of map order). */
export function groupsEqual(a: common.ConfigGroup, b: common.ConfigGroup): boolean {
  const ma = mapConfig(a);
  const mb = mapConfig(b);
  if (ma.size !== mb.size) return false;
  for (const [key, item] of ma) {
    const other = mb.get(key);
    if (other === undefined || other.kind !== item.kind) return false;
    if (versionOf(item) !== versionOf(other) || modPolicyOf(item) !== modPolicyOf(other)) return false;
    if (
      item.value &&
      !Buffer.from(item.value.getValue_asU8()).equals(Buffer.from(other.value!.getValue_asU8()))
    )
      return false;
    if (item.policy && !policyBytes(item.policy).equals(policyBytes(other.policy!))) return false;
  }
  return true;
}

/** A ConfigPolicy's Policy as bytes (type + value; no maps inside, so serialization is canonical). */
export function policyBytes(p: common.ConfigPolicy): Buffer {
  return Buffer.from(p.getPolicy()?.serializeBinary() ?? new Uint8Array(0));
}
