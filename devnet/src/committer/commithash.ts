import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import type { UpdateBatch } from '../ledger/statedb';
import { bytesFieldSize, delimitedFieldSize, stringFieldSize, varintSize } from '../protoutil/wiresize';
import { WireWriter } from '../protoutil/wirewriter';

/**
 * Fabric's EncodeOrderPreservingVarUint64 (common/ledger/util): one length byte, then the number's
 * big-endian bytes without leading zeros.
 */
export function encodeOrderPreservingVarUint64(n: number): Uint8Array {
  let size = 0;
  for (let v = n; v > 0; v = Math.floor(v / 256)) size++;
  const out = new Uint8Array(1 + size);
  out[0] = size;
  for (let i = size, v = n; i > 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
  return out;
}

/** A version's bytes as Fabric's `version.Height.ToBytes()`. */
export function versionBytes(blockNum: number, txNum: number): Uint8Array {
  const a = encodeOrderPreservingVarUint64(blockNum);
  const b = encodeOrderPreservingVarUint64(txNum);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The deterministic bytes of a block's public state updates (fabric txmgr/update_batch_bytes.go): a
 * `txmgr.Updates{repeated KVWrite kvwrites = 1}` with KVWrite{namespace = 1 (only on a namespace's first
 * write), collection = 2, key = 3, isDelete = 4, value = 5, version_bytes = 6}, namespaces and keys sorted,
 * the empty namespace (channel config) skipped. Private (hashed) writes are not supported yet. Sizes
 * first, then the bytes into one buffer of that size (every peer computes this for every block).
 */
export function updateBatchBytes(batch: UpdateBatch): Uint8Array {
  const writes: {
    ns: string;
    key: string;
    value: Uint8Array | undefined;
    version: Uint8Array;
    size: number;
  }[] = [];
  let total = 0;
  for (const ns of batch.namespaces()) {
    if (ns === '') continue;
    batch.namespaceUpdates(ns).forEach((u, i) => {
      const version = versionBytes(u.version.blockNum, u.version.txNum);
      const size =
        (i === 0 ? stringFieldSize(ns) : 0) +
        stringFieldSize(u.key) +
        (u.value === undefined ? 2 : bytesFieldSize(u.value.length)) +
        delimitedFieldSize(version.length);
      writes.push({ ns: i === 0 ? ns : '', key: u.key, value: u.value, version, size });
      total += delimitedFieldSize(size);
    });
  }
  const w8 = new WireWriter(total);
  for (const w of writes) {
    w8.head(0x0a, w.size); // kvwrites = 1
    w8.string(0x0a, w.ns); // namespace = 1
    w8.string(0x1a, w.key); // key = 3
    if (w.value === undefined) {
      w8.byte(0x20); // is_delete = 4
      w8.byte(1);
    } else {
      w8.bytes(0x2a, w.value); // value = 5
    }
    w8.bytes(0x32, w.version); // version_bytes = 6
  }
  return w8.done('updateBatchBytes');
}

/**
 * Fabric's addBlockCommitHash (core/ledger/kvledger/kv_ledger.go): SHA-256(varint(len(filter)) ‖ filter ‖
 * update batch bytes ‖ previous commit hash).
 */
export function computeCommitHash(
  filter: Uint8Array,
  updateBytes: Uint8Array,
  previous: Uint8Array,
): Uint8Array {
  const len = new WireWriter(varintSize(filter.length));
  len.varint(filter.length);
  return createHash('sha256')
    .update(len.done('computeCommitHash'))
    .update(filter)
    .update(updateBytes)
    .update(previous)
    .digest();
}

/** The COMMIT_HASH metadata entry: a serialized common.Metadata{value: hash}. */
export function commitHashMetadata(hash: Uint8Array): Uint8Array {
  const md = new common.Metadata();
  md.setValue(hash);
  return md.serializeBinary();
}

/** Reads the commit hash stored in a block's COMMIT_HASH metadata, or an empty array when it has none. */
export function commitHashOf(block: common.Block): Uint8Array {
  const entries = block.getMetadata()?.getMetadataList_asU8() ?? [];
  const raw = entries[common.BlockMetadataIndex.COMMIT_HASH];
  if (!raw || raw.length === 0) return new Uint8Array();
  return common.Metadata.deserializeBinary(raw).getValue_asU8();
}
