import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { endorserActionOf } from '../../protoutil/endorseraction';
import { readKVRWSet, readTxReadWriteSet, type KVRWSetView } from '../../protoutil/rwsetviews';
import type { TimestampView } from '../../protoutil/views';

/** One history entry: the write of (ns, key) by a valid transaction, as Fabric's KeyModification. */
export interface HistoryEntry {
  ns: string;
  key: string;
  blockNum: number;
  txNum: number;
  /** Serialized ledger.queryresult.KeyModification {tx_id, value, timestamp, is_delete}. */
  modification: Uint8Array;
}

/**
 * What the validator already decoded of a block's transaction (validator ValidatedTx), so the history need
 * not decode the envelope again: its tx id, channel header timestamp and public read-write sets.
 */
export interface DecodedHistoryTx {
  txId?: string;
  timestamp?: TimestampView;
  rwset?: { namespaces: { namespace: string; kv: KVRWSetView }[] };
}

/**
 * The history entries of a block (Fabric's historydb Commit): every public write of every VALID
 * endorser transaction, in block order. Config and invalid transactions write no history. `decoded`
 * (by tx number, from the validation of this block) spares decoding the transactions that have a rwset there.
 */
export function historyEntriesOfBlock(
  block: common.Block,
  filter: Uint8Array,
  decoded?: readonly (DecodedHistoryTx | undefined)[],
): HistoryEntry[] {
  const blockNum = block.getHeader()!.getNumber();
  const out: HistoryEntry[] = [];
  (block.getData()?.getDataList_asU8() ?? []).forEach((envBytes, txNum) => {
    if (filter[txNum] !== peer.TxValidationCode.VALID) return;
    const known = decoded?.[txNum];
    const tx =
      known?.rwset !== undefined && known.txId !== undefined
        ? { txId: known.txId, timestamp: known.timestamp, namespaces: known.rwset.namespaces }
        : parseEndorserTx(envBytes);
    if (tx === undefined) return;
    const timestamp = tx.timestamp && toTimestamp(tx.timestamp);
    for (const { namespace, kv } of tx.namespaces) {
      for (const w of kv.writes) {
        const m = new ledger.queryresult.KeyModification();
        m.setTxId(tx.txId);
        m.setValue(w.value);
        if (timestamp) m.setTimestamp(timestamp);
        m.setIsDelete(w.isDelete);
        out.push({
          ns: namespace,
          key: w.key,
          blockNum,
          txNum,
          modification: m.serializeBinary(),
        });
      }
    }
  });
  return out;
}

function parseEndorserTx(envBytes: Uint8Array):
  | {
      txId: string;
      timestamp: TimestampView | undefined;
      namespaces: { namespace: string; kv: KVRWSetView }[];
    }
  | undefined {
  const action = endorserActionOf(envBytes);
  if (action === undefined) return undefined;
  const chdr = action.channelHeader;
  const results = readTxReadWriteSet(action.chaincodeAction.results);
  return {
    txId: chdr.txId,
    timestamp: chdr.timestamp,
    namespaces: results.nsRwset.map((ns) => ({ namespace: ns.namespace, kv: readKVRWSet(ns.rwset) })),
  };
}

function toTimestamp(t: TimestampView): Timestamp {
  const ts = new Timestamp();
  ts.setSeconds(t.seconds);
  ts.setNanos(t.nanos);
  return ts;
}
