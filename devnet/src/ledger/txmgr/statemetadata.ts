import { ledger } from '@hyperledger/fabric-protos';

/**
 * Key metadata is stored as a serialized KVMetadataWrite (Fabric's statemetadata package); the
 * chaincode sees it as a name → value map (e.g. VALIDATION_PARAMETER for state-based endorsement).
 */
export type StateMetadata = Record<string, Uint8Array>;

/** Serializes metadata entries (as a read-write set's views hold them) as Fabric's `statemetadata.Serialize`. */
export function serializeMetadata(entries: readonly { name: string; value: Uint8Array }[]): Uint8Array {
  const m = new ledger.rwset.kvrwset.KVMetadataWrite();
  m.setEntriesList(
    entries.map((e) => {
      const p = new ledger.rwset.kvrwset.KVMetadataEntry();
      p.setName(e.name);
      p.setValue(e.value);
      return p;
    }),
  );
  return m.serializeBinary();
}

/** Parses stored metadata bytes into a map (undefined bytes → undefined, as Fabric returns nil). */
export function deserializeMetadata(bytes: Uint8Array | undefined): StateMetadata | undefined {
  if (bytes === undefined) {
    return undefined;
  }
  const m = ledger.rwset.kvrwset.KVMetadataWrite.deserializeBinary(bytes);
  const out: StateMetadata = {};
  for (const e of m.getEntriesList()) {
    out[e.getName()] = e.getValue_asU8();
  }
  return out;
}
