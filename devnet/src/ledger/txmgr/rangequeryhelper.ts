import { ledger } from '@hyperledger/fabric-protos';
import { sha256 } from './hash';

const { kvrwset } = ledger.rwset;
type KVRead = ledger.rwset.kvrwset.KVRead;
type MerkleSummary = ledger.rwset.kvrwset.QueryReadsMerkleSummary;

/** Fabric hashes a range query's reads once there are more than this many (txmgr's `maxDegreeQueryReadsHashing`). */
export const MAX_DEGREE_QUERY_READS_HASHING = 50;

function combinedHash(hashes: Uint8Array[]): Uint8Array {
  return sha256(Buffer.concat(hashes));
}

/**
 * Fabric's Merkle tree over range-query reads (rwsetutil/query_results_helper.go): leaves are hashes
 * of QueryReads batches; a level that grows beyond maxDegree is folded into one hash one level up.
 */
class MerkleTree {
  private readonly tree = new Map<number, Uint8Array[]>();
  private maxLevel = 1;

  constructor(private readonly maxDegree: number) {
    if (maxDegree < 2) {
      throw new Error(`maxDegree [${maxDegree}] should not be less than 2 in the merkle tree`);
    }
  }

  update(leafHash: Uint8Array): void {
    this.level(1).push(leafHash);
    let current = 1;
    for (;;) {
      const hashes = this.level(current);
      if (hashes.length <= this.maxDegree) {
        return;
      }
      const next = combinedHash(hashes);
      this.tree.delete(current);
      current++;
      this.level(current).push(next);
      this.maxLevel = Math.max(this.maxLevel, current);
    }
  }

  done(): void {
    let current = 1;
    while (current < this.maxLevel) {
      const hashes = this.level(current);
      if (hashes.length === 0) {
        current++;
        continue;
      }
      const h = hashes.length === 1 ? hashes[0] : combinedHash(hashes);
      this.tree.delete(current);
      current++;
      this.level(current).push(h);
    }
    const finalHashes = this.level(this.maxLevel);
    if (finalHashes.length > this.maxDegree) {
      this.tree.delete(this.maxLevel);
      this.maxLevel++;
      this.tree.set(this.maxLevel, [combinedHash(finalHashes)]);
    }
  }

  summary(): MerkleSummary {
    const s = new kvrwset.QueryReadsMerkleSummary();
    s.setMaxDegree(this.maxDegree);
    s.setMaxLevel(this.maxLevel);
    s.setMaxLevelHashesList(this.level(this.maxLevel).slice());
    return s;
  }

  isEmpty(): boolean {
    return this.maxLevel === 1 && this.level(1).length === 0;
  }

  private level(n: number): Uint8Array[] {
    let l = this.tree.get(n);
    if (!l) {
      l = [];
      this.tree.set(n, l);
    }
    return l;
  }
}

/**
 * Collects the reads of one range query (Fabric's `RangeQueryResultsHelper`): up to maxDegree reads
 * are kept raw; beyond that they are hashed into a Merkle summary, so large scans keep rwsets small.
 */
export class RangeQueryResultsHelper {
  private pending: KVRead[] = [];
  private readonly mt: MerkleTree;

  constructor(private readonly maxDegree: number = MAX_DEGREE_QUERY_READS_HASHING) {
    this.mt = new MerkleTree(maxDegree);
  }

  /** Adds the next read in scan order. */
  addResult(read: KVRead): void {
    this.pending.push(read);
    if (this.pending.length > this.maxDegree) {
      this.processPending();
    }
  }

  /** Finishes: raw reads when the scan was small, else the Merkle summary (and any raw remainder). */
  done(): { rawReads: KVRead[]; summary?: MerkleSummary } {
    if (this.mt.isEmpty()) {
      return { rawReads: this.pending };
    }
    if (this.pending.length !== 0) {
      this.processPending();
    }
    this.mt.done();
    return { rawReads: this.pending, summary: this.mt.summary() };
  }

  /** The summary so far (used while validating incrementally). */
  merkleSummary(): MerkleSummary {
    return this.mt.summary();
  }

  private processPending(): void {
    const reads = new kvrwset.QueryReads();
    reads.setKvReadsList(this.pending);
    this.pending = [];
    this.mt.update(sha256(reads.serializeBinary()));
  }
}
