import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import type { UpdateBatch } from '../ledger/statedb';

/** Appends a protobuf varint. */
function pushVarint(out: number[], value: number): void {
  let v = BigInt(value);
  while (v >= 0x80n) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
}

/** Appends a length-delimited field, omitted when empty as proto3 does. */
function pushBytes(out: number[], field: number, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  pushVarint(out, (field << 3) | 2);
  pushVarint(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/**
 * Fabric's EncodeOrderPreservingVarUint64 (common/ledger/util): one length byte, then the number's
 * big-endian bytes without leading zeros.
 */
export function encodeOrderPreservingVarUint64(n: number): Uint8Array {
  const be = Buffer.alloc(8);
  be.writeBigUInt64BE(BigInt(n));
  let start = 0;
  while (start < 8 && be[start] === 0) start++;
  const out = new Uint8Array(1 + 8 - start);
  out[0] = 8 - start;
  out.set(be.subarray(start), 1);
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
 * the empty namespace (channel config) skipped. Private (hashed) writes are not supported yet.
 */
export function updateBatchBytes(batch: UpdateBatch): Uint8Array {
  const out: number[] = [];
  for (const ns of batch.namespaces()) {
    if (ns === '') continue;
    batch.namespaceUpdates(ns).forEach((u, i) => {
      const kv: number[] = [];
      if (i === 0) pushBytes(kv, 1, Buffer.from(ns, 'utf8'));
      pushBytes(kv, 3, Buffer.from(u.key, 'utf8'));
      if (u.value === undefined) {
        pushVarint(kv, (4 << 3) | 0);
        pushVarint(kv, 1);
      } else {
        pushBytes(kv, 5, u.value);
      }
      pushBytes(kv, 6, versionBytes(u.version.blockNum, u.version.txNum));
      pushVarint(out, (1 << 3) | 2);
      pushVarint(out, kv.length);
      out.push(...kv);
    });
  }
  return Uint8Array.from(out);
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
  const len: number[] = [];
  pushVarint(len, filter.length);
  return createHash('sha256')
    .update(Uint8Array.from(len))
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
