import { common, peer } from '@hyperledger/fabric-protos';
import { endorserActionOf } from '../../protoutil/endorseraction';
import { readKVRWSet, readTxReadWriteSet, type KVRWSetView } from '../../protoutil/rwsetviews';
import type { TimestampView } from '../../protoutil/views';
import {
  bytesFieldSize,
  delimitedFieldSize,
  stringFieldSize,
  varintFieldSize,
} from '../../protoutil/wiresize';
import { WireWriter } from '../../protoutil/wirewriter';

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
    for (const { namespace, kv } of tx.namespaces) {
      for (const w of kv.writes) {
        out.push({
          ns: namespace,
          key: w.key,
          blockNum,
          txNum,
          modification: encodeKeyModification(tx.txId, w.value, tx.timestamp, w.isDelete),
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

/**
 * A serialized ledger.queryresult.KeyModification {1 tx_id, 2 value, 3 timestamp {1 seconds, 2 nanos},
 * 4 is_delete}, byte for byte as google-protobuf writes it (defaults left out; a present timestamp always
 * written). `txId` comes from a UTF-8 decode, so it holds no lone surrogates (Node's and google-protobuf's
 * UTF-8 agree on it).
 */
export function encodeKeyModification(
  txId: string,
  value: Uint8Array,
  timestamp: TimestampView | undefined,
  isDelete: boolean,
): Uint8Array {
  const tsLen =
    timestamp === undefined ? 0 : varintFieldSize(timestamp.seconds) + varintFieldSize(timestamp.nanos);
  const total =
    stringFieldSize(txId) +
    bytesFieldSize(value.length) +
    (timestamp !== undefined ? delimitedFieldSize(tsLen) : 0) +
    varintFieldSize(Number(isDelete));
  const w = new WireWriter(total);
  w.string(0x0a, txId);
  w.bytes(0x12, value);
  if (timestamp !== undefined) {
    w.head(0x1a, tsLen);
    w.varintField(0x08, timestamp.seconds);
    w.varintField(0x10, timestamp.nanos);
  }
  w.varintField(0x20, Number(isDelete));
  return w.done('encodeKeyModification');
}
