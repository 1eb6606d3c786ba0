import { ledger } from '@hyperledger/fabric-protos';
import { versionsEqual } from '../statedb';
import type { CombinedIterator } from './combinediterator';
import { fromProtoVersion, newKVRead } from './kvread';
import { RangeQueryResultsHelper } from './rangequeryhelper';

type RangeQueryInfo = ledger.rwset.kvrwset.RangeQueryInfo;
type MerkleSummary = ledger.rwset.kvrwset.QueryReadsMerkleSummary;

/** Raw reads: the re-executed scan must return exactly the same keys at the same versions. */
async function validateRawReads(info: RangeQueryInfo, itr: CombinedIterator): Promise<boolean> {
  const reads = info.getRawReads()?.getKvReadsList() ?? [];
  for (const read of reads) {
    const result = await itr.next();
    if (result === undefined || result.key !== read.getKey()) {
      return false;
    }
    if (!versionsEqual(result.version, fromProtoVersion(read.getVersion()) ?? { blockNum: 0, txNum: 0 })) {
      return false;
    }
  }
  return (await itr.next()) === undefined;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

function summariesEqual(a: MerkleSummary, b: MerkleSummary): boolean {
  const ha = a.getMaxLevelHashesList_asU8();
  const hb = b.getMaxLevelHashesList_asU8();
  return (
    a.getMaxDegree() === b.getMaxDegree() &&
    a.getMaxLevel() === b.getMaxLevel() &&
    ha.length === hb.length &&
    ha.every((h, i) => bytesEqual(h, hb[i]))
  );
}

/** Merkle summary: rebuild the summary from the re-executed scan and compare (Fabric's rangeQueryHashValidator). */
async function validateMerkle(inMerkle: MerkleSummary, itr: CombinedIterator): Promise<boolean> {
  const helper = new RangeQueryResultsHelper(inMerkle.getMaxDegree());
  const inHashes = inMerkle.getMaxLevelHashesList_asU8();
  let lastMatched = -1;
  for (;;) {
    const result = await itr.next();
    if (result === undefined) {
      const { summary } = helper.done();
      return summary !== undefined && summariesEqual(inMerkle, summary);
    }
    helper.addResult(newKVRead(result.key, result.version));
    const merkle = helper.merkleSummary();
    if (merkle.getMaxLevel() < inMerkle.getMaxLevel()) {
      continue;
    }
    const hashes = merkle.getMaxLevelHashesList_asU8();
    if (lastMatched === hashes.length - 1) {
      continue;
    }
    if (hashes.length > inHashes.length) {
      return false;
    }
    lastMatched++;
    if (!bytesEqual(hashes[lastMatched], inHashes[lastMatched])) {
      return false;
    }
  }
}

/** Validates one range query against the merged scan; false = phantom read. */
export async function validateRangeQuery(info: RangeQueryInfo, itr: CombinedIterator): Promise<boolean> {
  const merkle = info.getReadsMerkleHashes();
  return merkle !== undefined ? validateMerkle(merkle, itr) : validateRawReads(info, itr);
}
