import { ledger } from '@hyperledger/fabric-protos';
import type { Version } from '../statedb';

const { kvrwset } = ledger.rwset;

/** A KVRead of `key` at `version`; an absent key is read with no version (Fabric's `NewKVRead`). */
export function newKVRead(key: string, version: Version | undefined): ledger.rwset.kvrwset.KVRead {
  const read = new kvrwset.KVRead();
  read.setKey(key);
  if (version !== undefined) {
    read.setVersion(newProtoVersion(version));
  }
  return read;
}

/** A kvrwset.Version of a height. */
export function newProtoVersion(version: Version): ledger.rwset.kvrwset.Version {
  const v = new kvrwset.Version();
  v.setBlockNum(version.blockNum);
  v.setTxNum(version.txNum);
  return v;
}

/** The height in a kvrwset.Version, undefined when the read found no value. */
export function fromProtoVersion(v: ledger.rwset.kvrwset.Version | undefined): Version | undefined {
  return v === undefined ? undefined : { blockNum: v.getBlockNum(), txNum: v.getTxNum() };
}
