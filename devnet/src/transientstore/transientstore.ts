import type { ledger } from '@hyperledger/fabric-protos';

interface Entry {
  /** Ledger height when the data was endorsed or received. */
  height: number;
  pvt: ledger.rwset.TxPvtReadWriteSet;
}

/** Fabric's default peer.gossip.pvtData.transientstoreMaxBlockRetention. */
export const DEFAULT_MAX_BLOCK_RETENTION = 1000;

/**
 * The peer's transient store (Fabric's core/transientstore): private write sets of transactions that
 * are endorsed but not yet committed, by tx id, kept until the transaction commits or the ledger has
 * grown by `maxBlockRetention` blocks. Kept in memory: after a restart a missing write set is pulled
 * from another member peer at commit, as Fabric's coordinator does for data it does not hold.
 */
export class TransientStore {
  private readonly entries = new Map<string, Entry[]>();

  constructor(private readonly maxBlockRetention = DEFAULT_MAX_BLOCK_RETENTION) {}

  /** Keeps a transaction's private write set (several endorsements of one tx may each add one). */
  persist(txId: string, height: number, pvt: ledger.rwset.TxPvtReadWriteSet): void {
    const list = this.entries.get(txId) ?? [];
    list.push({ height, pvt });
    this.entries.set(txId, list);
  }

  /** Every private write set held for the transaction. */
  get(txId: string): ledger.rwset.TxPvtReadWriteSet[] {
    return (this.entries.get(txId) ?? []).map((e) => e.pvt);
  }

  /** Forgets committed transactions. */
  purgeByTxIds(txIds: Iterable<string>): void {
    for (const id of txIds) this.entries.delete(id);
  }

  /** Forgets what was stored below `height - maxBlockRetention` (transactions that never committed). */
  purgeBelowHeight(height: number): void {
    const limit = height - this.maxBlockRetention;
    if (limit <= 0) return;
    for (const [txId, list] of this.entries) {
      const kept = list.filter((e) => e.height >= limit);
      if (kept.length === 0) this.entries.delete(txId);
      else this.entries.set(txId, kept);
    }
  }

  /** Number of transactions held (for tests and metrics). */
  size(): number {
    return this.entries.size;
  }
}
