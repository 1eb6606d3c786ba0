import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { endorserActionOf } from '../../protoutil';

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
 * The history entries of a block (Fabric's historydb Commit): every public write of every VALID
 * endorser transaction, in block order. Config and invalid transactions write no history.
 */
export function historyEntriesOfBlock(block: common.Block, filter: Uint8Array): HistoryEntry[] {
  const blockNum = block.getHeader()!.getNumber();
  const out: HistoryEntry[] = [];
  (block.getData()?.getDataList_asU8() ?? []).forEach((envBytes, txNum) => {
    if (filter[txNum] !== peer.TxValidationCode.VALID) return;
    const tx = parseEndorserTx(envBytes);
    if (tx === undefined) return;
    for (const ns of ledger.rwset.TxReadWriteSet.deserializeBinary(tx.results).getNsRwsetList()) {
      const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
      for (const w of kv.getWritesList()) {
        const m = new ledger.queryresult.KeyModification();
        m.setTxId(tx.txId);
        m.setValue(w.getValue_asU8());
        if (tx.timestamp) m.setTimestamp(tx.timestamp);
        m.setIsDelete(w.getIsDelete());
        out.push({
          ns: ns.getNamespace(),
          key: w.getKey(),
          blockNum,
          txNum,
          modification: m.serializeBinary(),
        });
      }
    }
  });
  return out;
}

function parseEndorserTx(
  envBytes: Uint8Array,
):
  | { txId: string; timestamp: ReturnType<common.ChannelHeader['getTimestamp']>; results: Uint8Array }
  | undefined {
  const action = endorserActionOf(envBytes);
  if (action === undefined) return undefined;
  const chdr = action.channelHeader;
  return {
    txId: chdr.getTxId(),
    timestamp: chdr.getTimestamp(),
    results: action.chaincodeAction.getResults_asU8(),
  };
}
