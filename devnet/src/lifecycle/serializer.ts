import { createHash } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';

const lb = peer.lifecycle;

/** Fabric's `_lifecycle` namespace (core/chaincode/lifecycle LifecycleNamespace). */
export const LIFECYCLE_NAMESPACE = '_lifecycle';
/** Key prefix of chaincode definitions and approved parameters (NamespacesName). */
export const NAMESPACES_NAME = 'namespaces';
/** Key prefix of an org's approved package (ChaincodeSourcesName). */
export const CHAINCODE_SOURCES_NAME = 'chaincode-sources';

/** `<prefix>/metadata/<name>` (Fabric MetadataKey). */
export function metadataKey(prefix: string, name: string): string {
  return `${prefix}/metadata/${name}`;
}

/** `<prefix>/fields/<name>/<field>` (Fabric FieldKey). */
export function fieldKey(prefix: string, name: string, field: string): string {
  return `${prefix}/fields/${name}/${field}`;
}

/** One serialized field value: Fabric's StateData oneof. */
export type FieldValue = { int64: number } | { bytes: Uint8Array } | { string: string };

/**
 * A structure as Fabric's reflection-based Serializer sees it: its Go type name and its fields in
 * declaration order (the order is part of the metadata, hence of the hashes other orgs compare).
 */
export interface Structure {
  datatype: string;
  fields: [string, FieldValue][];
}

/** StateData bytes of one field, as Go's proto.Marshal writes them (a set oneof is always written). */
export function stateDataBytes(v: FieldValue): Uint8Array {
  const sd = new lb.StateData();
  if ('int64' in v) sd.setInt64(v.int64);
  else if ('bytes' in v) sd.setBytes(v.bytes);
  else sd.setString(v.string);
  return sd.serializeBinary();
}

/** StateMetadata bytes naming the structure's type and fields. */
export function metadataBytes(s: Structure): Uint8Array {
  const md = new lb.StateMetadata();
  md.setDatatype(s.datatype);
  md.setFieldsList(s.fields.map(([f]) => f));
  return md.serializeBinary();
}

/** SHA-256, as Fabric hashes private keys and values (util.ComputeSHA256). */
export function sha256(data: Uint8Array | string): Uint8Array {
  return createHash('sha256').update(data).digest();
}

/** Reads and writes one state (public world state or an org's implicit collection). */
export interface ReadWritableState {
  getState(key: string): Promise<Uint8Array | undefined>;
  putState(key: string, value: Uint8Array): void;
  delState(key: string): void;
}

/** Reads only the hashes of a state (another org's implicit collection). */
export interface OpaqueState {
  getStateHash(key: string): Promise<Uint8Array | undefined>;
  readonly collectionName: string;
}

/** Reads a state's metadata entry, undefined when absent (Fabric DeserializeMetadata). */
export async function readMetadata(
  prefix: string,
  name: string,
  state: { getState(key: string): Promise<Uint8Array | undefined> },
): Promise<peer.lifecycle.StateMetadata | undefined> {
  const bytes = await state.getState(metadataKey(prefix, name));
  if (bytes === undefined || bytes.length === 0) return undefined;
  try {
    return lb.StateMetadata.deserializeBinary(bytes);
  } catch (err) {
    throw new Error(
      `could not unmarshal metadata for namespace ${prefix}/${name}: ${(err as Error).message}`,
    );
  }
}

/** Reads one field's StateData (an absent key reads as empty StateData, as in Fabric). */
export async function readField(
  prefix: string,
  name: string,
  field: string,
  state: { getState(key: string): Promise<Uint8Array | undefined> },
): Promise<peer.lifecycle.StateData> {
  const bytes = await state.getState(fieldKey(prefix, name, field));
  try {
    return lb.StateData.deserializeBinary(bytes ?? new Uint8Array());
  } catch (err) {
    throw new Error(
      `could not unmarshal state for key ${fieldKey(prefix, name, field)}: ${(err as Error).message}`,
    );
  }
}

/** Fabric's DeserializeFieldAsInt64: 0 when the field is absent. */
export async function readInt64Field(
  prefix: string,
  name: string,
  field: string,
  state: { getState(key: string): Promise<Uint8Array | undefined> },
): Promise<number> {
  const sd = await readField(prefix, name, field, state);
  if (
    sd.getTypeCase() !== lb.StateData.TypeCase.INT64 &&
    sd.getTypeCase() !== lb.StateData.TypeCase.TYPE_NOT_SET
  ) {
    throw new Error(
      `expected key ${fieldKey(prefix, name, field)} to encode a value of type Int64, but was ${sd.getTypeCase()}`,
    );
  }
  return sd.getInt64();
}

/**
 * Fabric's Serializer.Serialize: writes each field whose StateData differs from what is stored,
 * deletes fields the structure no longer has, and rewrites the metadata when the type or field
 * list changed.
 */
export async function serialize(
  prefix: string,
  name: string,
  s: Structure,
  state: ReadWritableState,
): Promise<void> {
  const existing = await readMetadata(prefix, name, state);
  const existingKeys = new Map<string, Uint8Array | undefined>();
  for (const f of existing?.getFieldsList() ?? []) {
    const key = fieldKey(prefix, name, f);
    existingKeys.set(key, await state.getState(key));
  }
  for (const [field, value] of s.fields) {
    const key = fieldKey(prefix, name, field);
    const bytes = stateDataBytes(value);
    const old = existingKeys.get(key);
    if (!existingKeys.has(key) || old === undefined || !Buffer.from(old).equals(Buffer.from(bytes))) {
      state.putState(key, bytes);
    }
    existingKeys.delete(key);
  }
  const sameFields = existing !== undefined && existing.getFieldsList().length === s.fields.length;
  if (existingKeys.size > 0 || existing?.getDatatype() !== s.datatype || !sameFields) {
    state.putState(metadataKey(prefix, name), metadataBytes(s));
  }
  for (const key of existingKeys.keys()) state.delState(key);
}

/**
 * Fabric's Serializer.IsSerialized over an opaque (hash-only) state: whether the metadata and every
 * field hash equal the hashes of the structure's serialization; the mismatching field names otherwise
 * (only the datatype when the metadata differs).
 */
export async function isSerialized(
  prefix: string,
  name: string,
  s: Structure,
  state: OpaqueState,
): Promise<{ match: boolean; mismatches: string[] }> {
  const mdHash = await state.getStateHash(metadataKey(prefix, name));
  if (mdHash === undefined || !Buffer.from(sha256(metadataBytes(s))).equals(Buffer.from(mdHash))) {
    return { match: false, mismatches: [s.datatype] };
  }
  const mismatches: string[] = [];
  for (const [field, value] of s.fields) {
    const h = await state.getStateHash(fieldKey(prefix, name, field));
    if (h === undefined || !Buffer.from(sha256(stateDataBytes(value))).equals(Buffer.from(h)))
      mismatches.push(field);
  }
  return { match: mismatches.length === 0, mismatches };
}
