import { ClassicLevel } from 'classic-level';
import type { common } from '@hyperledger/fabric-protos';
import { getLogger } from '../../common/logging';
import { historyEntriesOfBlock, type DecodedHistoryTx } from './entries';
import { HISTORY_SAVEPOINT_KEY, decodePosition, historyKey, historyKeyPrefix, prefixEnd } from './keys';

const logger = getLogger('ledger.history');

type LevelDB = ClassicLevel<Uint8Array, Uint8Array>;

/** One result of a history query: where the write is and its serialized KeyModification. */
export interface HistoryResult {
  blockNum: number;
  txNum: number;
  /** Serialized ledger.queryresult.KeyModification. */
  modification: Uint8Array;
}

/** An open history scan, newest write first; close() is idempotent and called at the end. */
export interface HistoryIterator {
  next(): Promise<HistoryResult | undefined>;
  close(): Promise<void>;
}

/**
 * The history index of one channel (Fabric's kvledger/history DB) in its own LevelDB: for every write
 * of a valid transaction, (ns, key, blockNum, txNum) → KeyModification, plus a savepoint. It is written
 * after the block is durable and may lag the block store after a crash: {@link HistoryDB.commit} is
 * idempotent and the peer re-derives missing blocks at start, as Fabric's recoverer does.
 */
export class HistoryDB {
  private constructor(private readonly db: LevelDB) {}

  /** Opens (creating if needed) the history database in `dir`. */
  static async open(dir: string): Promise<HistoryDB> {
    const db: LevelDB = new ClassicLevel<Uint8Array, Uint8Array>(dir, {
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await db.open();
    return new HistoryDB(db);
  }

  /**
   * Indexes a committed block (its TRANSACTIONS_FILTER) and moves the savepoint, in one synced batch; `decoded`
   * is what the validation of the block decoded of its transactions, by tx number.
   */
  async commit(
    block: common.Block,
    filter: Uint8Array,
    decoded?: readonly (DecodedHistoryTx | undefined)[],
  ): Promise<void> {
    const n = block.getHeader()!.getNumber();
    const batch = this.db.batch();
    const entries = historyEntriesOfBlock(block, filter, decoded);
    for (const e of entries) batch.put(historyKey(e.ns, e.key, e.blockNum, e.txNum), e.modification);
    const sp = Buffer.alloc(8);
    sp.writeBigUInt64BE(BigInt(n));
    batch.put(HISTORY_SAVEPOINT_KEY, sp);
    await batch.write({ sync: true });
    logger.debug({ block: n, entries: entries.length }, 'indexed block history');
  }

  /** The last block indexed, or undefined for a new database. */
  async savepoint(): Promise<number | undefined> {
    const bytes = await this.db.get(HISTORY_SAVEPOINT_KEY);
    return bytes === undefined ? undefined : Number(Buffer.from(bytes).readBigUInt64BE(0));
  }

  /** The writes of (ns, key), newest first (Fabric 2.x order). */
  getHistoryForKey(ns: string, key: string): HistoryIterator {
    const prefix = historyKeyPrefix(ns, key);
    const it = this.db.iterator({ gt: prefix, lt: prefixEnd(prefix), reverse: true });
    let closed = false;
    const close = async (): Promise<void> => {
      if (!closed) {
        closed = true;
        await it.close();
      }
    };
    return {
      next: async () => {
        if (closed) return undefined;
        const entry = await it.next();
        if (entry === undefined) {
          await close();
          return undefined;
        }
        const [k, v] = entry as [Uint8Array, Uint8Array];
        return { ...decodePosition(k), modification: v };
      },
      close,
    };
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.db.close();
  }
}
