import type { StateDB, UpdateBatch, Version } from '../statedb';
import type { TxRwSet } from './rwsetparse';
import { hashedKey, hashedNamespace } from '../pvtdatastorage/namespaces';
import { serializeMetadata } from './statemetadata';

interface KeyOps {
  upsert?: Uint8Array;
  delete?: boolean;
  /** Serialized new metadata; null = metadata deleted. */
  metadata?: Uint8Array | null;
}

function collectOps(rwset: TxRwSet): Map<string, Map<string, KeyOps>> {
  const ops = new Map<string, Map<string, KeyOps>>();
  const entry = (ns: string, key: string): KeyOps => {
    let m = ops.get(ns);
    if (!m) {
      m = new Map();
      ops.set(ns, m);
    }
    let o = m.get(key);
    if (!o) {
      o = {};
      m.set(key, o);
    }
    return o;
  };
  for (const ns of rwset.nsRwSets) {
    for (const w of ns.kvRwSet.writes) {
      const o = entry(ns.namespace, w.key);
      if (w.isDelete) {
        o.delete = true;
      } else {
        o.upsert = w.value;
      }
    }
    for (const mw of ns.kvRwSet.metadataWrites) {
      const entries = mw.entries;
      entry(ns.namespace, mw.key).metadata = entries.length === 0 ? null : serializeMetadata(entries);
    }
    // Private data: the hashed writes go to the collection's hashed state on every peer.
    for (const c of ns.collHashed ?? []) {
      const hns = hashedNamespace(ns.namespace, c.collection);
      for (const hw of c.rwset.hashedWrites) {
        const o = entry(hns, hashedKey(hw.keyHash));
        if (hw.isDelete) o.delete = true;
        else o.upsert = hw.valueHash;
      }
      for (const mw of c.rwset.metadataWrites) {
        const entries = mw.entries;
        entry(hns, hashedKey(mw.keyHash)).metadata = entries.length === 0 ? null : serializeMetadata(entries);
      }
    }
  }
  return ops;
}

/** The key's latest value and metadata: from earlier in this block, else committed. */
async function latest(
  state: StateDB,
  batch: UpdateBatch,
  ns: string,
  key: string,
): Promise<{ value?: Uint8Array; metadata?: Uint8Array }> {
  const upd = batch.get(ns, key);
  if (upd !== undefined) {
    return { value: upd.value, metadata: upd.metadata };
  }
  const committed = await state.get(ns, key);
  return { value: committed?.value, metadata: committed?.metadata };
}

/**
 * Adds a VALID transaction's writes to the block's update batch at version (blockNum, txNum), as
 * Fabric's validation/tx_ops.go: a delete removes the key (and its metadata); a value write keeps the
 * key's latest metadata unless the transaction also wrote metadata; a metadata-only write keeps the
 * latest value, and is dropped when the key does not exist. `state` is read for those latest values.
 */
export async function applyWrites(
  batch: UpdateBatch,
  rwset: TxRwSet,
  blockNum: number,
  txNum: number,
  state: StateDB,
): Promise<void> {
  const version: Version = { blockNum, txNum };
  for (const [ns, keys] of collectOps(rwset)) {
    for (const [key, op] of keys) {
      await applyKeyOps(batch, state, ns, key, op, version);
    }
  }
}

async function applyKeyOps(
  batch: UpdateBatch,
  state: StateDB,
  ns: string,
  key: string,
  op: KeyOps,
  version: Version,
): Promise<void> {
  if (op.delete) {
    batch.delete(ns, key, version);
    return;
  }
  const prior =
    op.upsert === undefined || op.metadata === undefined ? await latest(state, batch, ns, key) : {};
  const value = op.upsert ?? prior.value;
  if (value === undefined) {
    return; // metadata for a key that does not exist
  }
  const metadata = op.metadata === undefined ? prior.metadata : (op.metadata ?? undefined);
  batch.put(ns, key, value, version, metadata);
}
