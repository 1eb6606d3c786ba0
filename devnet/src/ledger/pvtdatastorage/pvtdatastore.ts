import { ClassicLevel } from 'classic-level';
import { ledger } from '@hyperledger/fabric-protos';

type LevelDB = ClassicLevel<string, Uint8Array>;

/** The private write set of one committed transaction, as this peer keeps it (eligible collections only). */
export interface StoredPvtData {
  txId: string;
  blockNum: number;
  txNum: number;
  pvt: ledger.rwset.TxPvtReadWriteSet;
}

const pad = (n: number): string => n.toString().padStart(20, '0');

/**
 * The private data store (Fabric's core/ledger/pvtdatastorage): the private write sets of committed
 * transactions for the collections this peer is a member of, by tx id and by block. It serves other member
 * peers that missed the data at commit, and replays private writes when the peer recovers blocks above the
 * state savepoint. Written before the block is appended, as Fabric commits pvt data before the block.
 */
export class PvtDataStore {
  private constructor(private readonly db: LevelDB) {}

  /** Opens (creating) the store in `dir`. */
  static async open(dir: string): Promise<PvtDataStore> {
    const db: LevelDB = new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open();
    return new PvtDataStore(db);
  }

  /** Stores the private write sets of a block's transactions (durable: LevelDB sync write). */
  async commit(entries: StoredPvtData[]): Promise<void> {
    if (entries.length === 0) return;
    const ops = entries.flatMap((e) => [
      { type: 'put' as const, key: `t${e.txId}`, value: encode(e) },
      { type: 'put' as const, key: `b${pad(e.blockNum)}${pad(e.txNum)}`, value: Buffer.from(e.txId, 'utf8') },
    ]);
    await this.db.batch(ops, { sync: true });
  }

  /** The stored private write set of a committed transaction, or undefined. */
  async getByTxId(txId: string): Promise<StoredPvtData | undefined> {
    const bytes = await this.db.get(`t${txId}`).catch(() => undefined);
    return bytes === undefined ? undefined : decode(txId, bytes);
  }

  /** Every stored private write set of a block, in tx order. */
  async getBlock(blockNum: number): Promise<StoredPvtData[]> {
    const out: StoredPvtData[] = [];
    const prefix = `b${pad(blockNum)}`;
    for await (const [, txIdBytes] of this.db.iterator({ gte: prefix, lt: `${prefix}~` })) {
      const got = await this.getByTxId(Buffer.from(txIdBytes).toString('utf8'));
      if (got) out.push(got);
    }
    return out;
  }

  /** Closes the store. */
  async close(): Promise<void> {
    await this.db.close();
  }
}

function encode(e: StoredPvtData): Uint8Array {
  return Buffer.from(JSON.stringify({ blockNum: e.blockNum, txNum: e.txNum, pvt: Buffer.from(e.pvt.serializeBinary()).toString('base64') }));
}

function decode(txId: string, bytes: Uint8Array): StoredPvtData {
  const j = JSON.parse(Buffer.from(bytes).toString('utf8')) as { blockNum: number; txNum: number; pvt: string };
  return { txId, blockNum: j.blockNum, txNum: j.txNum, pvt: ledger.rwset.TxPvtReadWriteSet.deserializeBinary(Buffer.from(j.pvt, 'base64')) };
}
