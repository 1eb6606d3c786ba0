import { ledger } from '@hyperledger/fabric-protos';

/**
 * Key metadata is stored as a serialized KVMetadataWrite (Fabric's statemetadata package); the
 * chaincode sees it as a name → value map (e.g. VALIDATION_PARAMETER for state-based endorsement).
 */
export type StateMetadata = Record<string, Uint8Array>;

/** Serializes metadata entries as Fabric's `statemetadata.Serialize`. */
export function serializeMetadata(entries: ledger.rwset.kvrwset.KVMetadataEntry[]): Uint8Array {
  const m = new ledger.rwset.kvrwset.KVMetadataWrite();
  m.setEntriesList(entries);
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
