import { peer } from '@hyperledger/fabric-protos';
import {
  isSerialized,
  metadataBytes,
  readInt64Field,
  serialize,
  sha256,
  stateDataBytes,
  type OpaqueState,
  type ReadWritableState,
  type Structure,
} from './serializer';

/** An in-memory state recording writes and deletes in order. */
function memState(
  initial: Record<string, Uint8Array> = {},
): ReadWritableState & { data: Map<string, Uint8Array>; ops: string[] } {
  const data = new Map(Object.entries(initial));
  const ops: string[] = [];
  return {
    data,
    ops,
    getState: async (k) => data.get(k),
    putState: (k, v) => {
      ops.push(`put ${k}`);
      data.set(k, v);
    },
    delState: (k) => {
      ops.push(`del ${k}`);
      data.delete(k);
    },
  };
}

/** The hashed view of a state, as another org's implicit collection is seen. */
function opaque(s: { data: Map<string, Uint8Array> }): OpaqueState {
  return {
    collectionName: '_implicit_org_X',
    getStateHash: async (k) => (s.data.has(k) ? sha256(s.data.get(k)!) : undefined),
  };
}

const params = (version: string): Structure => ({
  datatype: 'ChaincodeParameters',
  fields: [
    ['EndorsementInfo', { bytes: Buffer.from(version) }],
    ['ValidationInfo', { bytes: Buffer.from('v') }],
    ['Collections', { bytes: new Uint8Array() }],
  ],
});

describe("Fabric's lifecycle serializer", () => {
  it('encodes a set oneof even when empty, as Go does (StateData bytes field 2, length 0)', () => {
    expect(Buffer.from(stateDataBytes({ bytes: new Uint8Array() }))).toEqual(Buffer.from([0x12, 0x00]));
    expect(Buffer.from(stateDataBytes({ int64: 1 }))).toEqual(Buffer.from([0x08, 0x01]));
    expect(Buffer.from(stateDataBytes({ string: 'a' }))).toEqual(Buffer.from([0x1a, 0x01, 0x61]));
    const md = peer.lifecycle.StateMetadata.deserializeBinary(metadataBytes(params('1')));
    expect([md.getDatatype(), md.getFieldsList()]).toEqual([
      'ChaincodeParameters',
      ['EndorsementInfo', 'ValidationInfo', 'Collections'],
    ]);
  });

  it('writes every field and the metadata the first time, then only what changed', async () => {
    const s = memState();
    await serialize('namespaces', 'cc#1', params('1'), s);
    expect(s.ops).toEqual([
      'put namespaces/fields/cc#1/EndorsementInfo',
      'put namespaces/fields/cc#1/ValidationInfo',
      'put namespaces/fields/cc#1/Collections',
      'put namespaces/metadata/cc#1',
    ]);
    s.ops.length = 0;
    await serialize('namespaces', 'cc#1', params('2'), s);
    expect(s.ops).toEqual(['put namespaces/fields/cc#1/EndorsementInfo']);
  });

  it('deletes fields a new structure no longer has and rewrites the metadata', async () => {
    const s = memState();
    await serialize(
      'p',
      'n',
      {
        datatype: 'T',
        fields: [
          ['A', { int64: 1 }],
          ['B', { int64: 2 }],
        ],
      },
      s,
    );
    s.ops.length = 0;
    await serialize('p', 'n', { datatype: 'T', fields: [['A', { int64: 1 }]] }, s);
    expect(s.ops).toEqual(['put p/metadata/n', 'del p/fields/n/B']);
  });

  it('compares a structure with hashes only, naming the fields that differ', async () => {
    const s = memState();
    await serialize('namespaces', 'cc#1', params('1'), s);
    expect(await isSerialized('namespaces', 'cc#1', params('1'), opaque(s))).toEqual({
      match: true,
      mismatches: [],
    });
    expect(await isSerialized('namespaces', 'cc#1', params('2'), opaque(s))).toEqual({
      match: false,
      mismatches: ['EndorsementInfo'],
    });
    expect(await isSerialized('namespaces', 'cc#2', params('1'), opaque(s))).toEqual({
      match: false,
      mismatches: ['ChaincodeParameters'],
    });
  });

  it('reads an absent Int64 field as 0 and refuses a field of another type', async () => {
    const s = memState({
      'namespaces/fields/cc/Sequence': stateDataBytes({ int64: 7 }),
      'namespaces/fields/cc/Name': stateDataBytes({ string: 'x' }),
    });
    expect(await readInt64Field('namespaces', 'cc', 'Sequence', s)).toBe(7);
    expect(await readInt64Field('namespaces', 'other', 'Sequence', s)).toBe(0);
    await expect(readInt64Field('namespaces', 'cc', 'Name', s)).rejects.toThrow(
      /expected key namespaces\/fields\/cc\/Name to encode a value of type Int64/,
    );
  });
});
