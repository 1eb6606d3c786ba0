import { ClassicLevel } from 'classic-level';
import { ledger } from '@hyperledger/fabric-protos';
import { hashedKey, hashOf } from './namespaces';

type LevelDB = ClassicLevel<string, Uint8Array>;

/** The private write set of one committed transaction, as this peer keeps it (eligible collections only). */
export interface StoredPvtData {
  txId: string;
  blockNum: number;
  txNum: number;
  pvt: ledger.rwset.TxPvtReadWriteSet;
}

const pad = (n: number): string => n.toString().padStart(20, '0');

/** How a block's commit treats expiry (Fabric's BTL policy of the private data store). */
export interface PvtCommitOptions {
  /** The block being committed: write sets whose expiring block is <= it are purged in the same batch. */
  blockNum: number;
  /** A collection's blockToLive (0 = kept forever). */
  blockToLive(namespace: string, collection: string): number;
  /** The keys PurgePrivateData purged in this block's valid transactions. */
  purgeMarkers?: PurgeMarker[];
}

/** A key purged by PurgePrivateData (Fabric's pvtdatastorage.PurgeMarker) at (blockNum, txNum). */
export interface PurgeMarker {
  namespace: string;
  collection: string;
  /** hashedKey(hashOf(key)): the hex key hash of the hashed write. */
  keyHash: string;
  txNum: number;
}

/** A height as the purge markers keep it. */
interface Height {
  blockNum: number;
  txNum: number;
}

/** One tx's collections that expire together (value of an expiry key). */
type ExpiryEntry = [namespace: string, collection: string][];

/**
 * The private data store (Fabric's core/ledger/pvtdatastorage): the private write sets of committed
 * transactions for the collections this peer is a member of, by tx id and by block. It serves other member
 * peers that missed the data at commit, and replays private writes when the peer recovers blocks above the
 * state savepoint. Written before the block is appended, as Fabric commits pvt data before the block.
 * A collection's write set with a blockToLive expires at block `written + blockToLive + 1`: an expiry key
 * records it at commit, and the commit of that block removes it (Fabric keeps expiry keys the same way; it
 * deletes lazily every purgeInterval blocks but never returns expired data, so the effect is the same).
 * A key purged by PurgePrivateData leaves a purge marker (the purge's height, per key and per collection):
 * reads drop the key's writes at or below that height from the write sets, keeping the collection, as
 * Fabric's removePurgedDataFromCollPvtRWset does.
 */
export class PvtDataStore {
  /**
   * Whether an expiry key may exist: without one (no collection with a blockToLive ever written) the commit
   * of a block skips the scan for expired write sets, a LevelDB iterator per block.
   */
  private mayExpire: boolean;

  private constructor(
    private readonly db: LevelDB,
    hasExpiryKeys: boolean,
  ) {
    this.mayExpire = hasExpiryKeys;
  }

  /** Opens (creating) the store in `dir`. */
  static async open(dir: string): Promise<PvtDataStore> {
    const db: LevelDB = new ClassicLevel<string, Uint8Array>(dir, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
    await db.open();
    const expiryKeys = await db.keys({ gte: 'x', lt: 'y', limit: 1 }).all();
    return new PvtDataStore(db, expiryKeys.length > 0);
  }

  /**
   * Stores the private write sets of a block's transactions (durable: LevelDB sync write). With `options`,
   * also records when each collection's write set expires and purges what expires at `options.blockNum`.
   */
  async commit(entries: StoredPvtData[], options?: PvtCommitOptions): Promise<void> {
    const ops: BatchOp[] = entries.flatMap((e) => [
      { type: 'put' as const, key: `t${e.txId}`, value: encode(e) },
      { type: 'put' as const, key: `b${pad(e.blockNum)}${pad(e.txNum)}`, value: Buffer.from(e.txId, 'utf8') },
    ]);
    if (options) {
      for (const e of entries) ops.push(...expiryOps(e, options.blockToLive));
      // Set before the batch: a failed batch leaves the flag on, which only costs a scan.
      if (ops.some((op) => op.key.startsWith('x'))) this.mayExpire = true;
      if (this.mayExpire) ops.push(...(await this.purgeOps(options.blockNum)));
      ops.push(...purgeMarkerOps(options.blockNum, options.purgeMarkers ?? []));
    }
    if (ops.length === 0) return;
    await this.db.batch(ops, { sync: true });
  }

  /** The deletes and rewrites that drop every write set expiring at or before `blockNum`. */
  private async purgeOps(blockNum: number): Promise<BatchOp[]> {
    const ops: BatchOp[] = [];
    const pending = new Map<string, StoredPvtData>(); // a tx with several expiries is rewritten once
    for await (const [key, value] of this.db.iterator({ gte: 'x', lt: `x${pad(blockNum + 1)}` })) {
      ops.push({ type: 'del', key });
      const txKey = `b${key.slice(1 + 20)}`;
      const txIdBytes = await this.db.get(txKey).catch(() => undefined);
      if (txIdBytes === undefined) continue;
      const txId = Buffer.from(txIdBytes).toString('utf8');
      const stored = pending.get(txId) ?? (await this.getRaw(txId));
      if (!stored) continue;
      const expired = JSON.parse(Buffer.from(value).toString('utf8')) as ExpiryEntry;
      pending.set(txId, { ...stored, pvt: withoutCollections(stored.pvt, expired) });
    }
    for (const [txId, e] of pending) {
      if (e.pvt.getNsPvtRwsetList().length > 0) ops.push({ type: 'put', key: `t${txId}`, value: encode(e) });
      else
        ops.push(
          { type: 'del', key: `t${txId}` },
          { type: 'del', key: `b${pad(e.blockNum)}${pad(e.txNum)}` },
        );
    }
    return ops;
  }

  /**
   * The stored private write set of a committed transaction (purged keys left out), or undefined. With
   * `keepPurgeWrites`, the tx's own PurgePrivateData writes (a key and no value) stay: a member peer that
   * missed a purge transaction's private write set can still pull it (devnet's stand-in for gossip).
   */
  async getByTxId(
    txId: string,
    options: { keepPurgeWrites?: boolean } = {},
  ): Promise<StoredPvtData | undefined> {
    const raw = await this.getRaw(txId);
    return raw && (await this.withoutPurgedKeys(raw, options.keepPurgeWrites === true));
  }

  /**
   * Every stored private write set of a block, in tx order; purged keys are left out unless `includePurged`
   * (crash recovery replays the block's writes exactly as they were committed).
   */
  async getBlock(blockNum: number, options: { includePurged?: boolean } = {}): Promise<StoredPvtData[]> {
    const out: StoredPvtData[] = [];
    const prefix = `b${pad(blockNum)}`;
    for await (const [, txIdBytes] of this.db.iterator({ gte: prefix, lt: `${prefix}~` })) {
      const got = await this.getRaw(Buffer.from(txIdBytes).toString('utf8'));
      if (got) out.push(options.includePurged ? got : await this.withoutPurgedKeys(got));
    }
    return out;
  }

  private async getRaw(txId: string): Promise<StoredPvtData | undefined> {
    const bytes = await this.db.get(`t${txId}`).catch(() => undefined);
    return bytes === undefined ? undefined : decode(txId, bytes);
  }

  /** The write set without the writes of keys purged at or after their height (fabric removePurgedDataFromCollPvtRWset). */
  private async withoutPurgedKeys(e: StoredPvtData, keepPurgeWrites = false): Promise<StoredPvtData> {
    const at: Height = { blockNum: e.blockNum, txNum: e.txNum };
    let changed = false;
    const out = new ledger.rwset.TxPvtReadWriteSet();
    out.setDataModel(e.pvt.getDataModel());
    for (const ns of e.pvt.getNsPvtRwsetList()) {
      const n = new ledger.rwset.NsPvtReadWriteSet();
      n.setNamespace(ns.getNamespace());
      for (const c of ns.getCollectionPvtRwsetList()) {
        const collMarker = await this.marker(collMarkerKey(ns.getNamespace(), c.getCollectionName()));
        if (!collMarker || above(at, collMarker)) {
          n.addCollectionPvtRwset(c); // no purge in this collection at or after the write set
          continue;
        }
        const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(c.getRwset_asU8());
        const keep: ledger.rwset.kvrwset.KVWrite[] = [];
        for (const w of kv.getWritesList()) {
          const m = await this.marker(
            keyMarkerKey(ns.getNamespace(), c.getCollectionName(), hashedKey(hashOf(w.getKey()))),
          );
          const ownPurge =
            keepPurgeWrites && m !== undefined && m.blockNum === at.blockNum && m.txNum === at.txNum;
          if (!m || above(at, m) || ownPurge) keep.push(w);
        }
        if (keep.length === kv.getWritesList().length) {
          n.addCollectionPvtRwset(c);
          continue;
        }
        changed = true;
        kv.setWritesList(keep);
        const filtered = new ledger.rwset.CollectionPvtReadWriteSet();
        filtered.setCollectionName(c.getCollectionName());
        filtered.setRwset(kv.serializeBinary());
        n.addCollectionPvtRwset(filtered);
      }
      out.addNsPvtRwset(n);
    }
    return changed ? { ...e, pvt: out } : e;
  }

  private async marker(key: string): Promise<Height | undefined> {
    const bytes = await this.db.get(key).catch(() => undefined);
    return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as Height);
  }

  /** Closes the store. */
  async close(): Promise<void> {
    await this.db.close();
  }
}

/** Purge marker keys: per key, and per collection (the latest purge in it, to skip per-key lookups). */
const keyMarkerKey = (ns: string, coll: string, keyHash: string): string =>
  `m${ns}\u0000${coll}\u0000${keyHash}`;
const collMarkerKey = (ns: string, coll: string): string => `c${ns}\u0000${coll}`;

/** True when height `a` is above `b`. */
function above(a: Height, b: Height): boolean {
  return a.blockNum > b.blockNum || (a.blockNum === b.blockNum && a.txNum > b.txNum);
}

/** The markers of a block's purges; a later purge of a key replaces its marker. */
function purgeMarkerOps(blockNum: number, markers: PurgeMarker[]): BatchOp[] {
  const latest = new Map<string, Height>();
  for (const m of markers) {
    const h = { blockNum, txNum: m.txNum };
    for (const k of [
      keyMarkerKey(m.namespace, m.collection, m.keyHash),
      collMarkerKey(m.namespace, m.collection),
    ]) {
      const prev = latest.get(k);
      if (!prev || above(h, prev)) latest.set(k, h);
    }
  }
  return [...latest].map(([key, h]) => ({
    type: 'put' as const,
    key,
    value: Buffer.from(JSON.stringify(h)),
  }));
}

type BatchOp = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/** Expiry keys `x<expiring block><block><tx>` → the tx's collections expiring then. */
function expiryOps(e: StoredPvtData, blockToLive: PvtCommitOptions['blockToLive']): BatchOp[] {
  const byBlock = new Map<number, ExpiryEntry>();
  for (const ns of e.pvt.getNsPvtRwsetList()) {
    for (const c of ns.getCollectionPvtRwsetList()) {
      const btl = blockToLive(ns.getNamespace(), c.getCollectionName());
      if (btl <= 0) continue;
      const at = e.blockNum + btl + 1;
      byBlock.set(at, [...(byBlock.get(at) ?? []), [ns.getNamespace(), c.getCollectionName()]]);
    }
  }
  return [...byBlock].map(([at, colls]) => ({
    type: 'put' as const,
    key: `x${pad(at)}${pad(e.blockNum)}${pad(e.txNum)}`,
    value: Buffer.from(JSON.stringify(colls)),
  }));
}

/** The write set without the listed (namespace, collection) pairs; namespaces left empty are dropped. */
function withoutCollections(
  pvt: ledger.rwset.TxPvtReadWriteSet,
  drop: ExpiryEntry,
): ledger.rwset.TxPvtReadWriteSet {
  const out = new ledger.rwset.TxPvtReadWriteSet();
  out.setDataModel(pvt.getDataModel());
  for (const ns of pvt.getNsPvtRwsetList()) {
    const keep = ns
      .getCollectionPvtRwsetList()
      .filter((c) => !drop.some(([n, coll]) => n === ns.getNamespace() && coll === c.getCollectionName()));
    if (keep.length === 0) continue;
    const n = new ledger.rwset.NsPvtReadWriteSet();
    n.setNamespace(ns.getNamespace());
    n.setCollectionPvtRwsetList(keep);
    out.addNsPvtRwset(n);
  }
  return out;
}

function encode(e: StoredPvtData): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      blockNum: e.blockNum,
      txNum: e.txNum,
      pvt: Buffer.from(e.pvt.serializeBinary()).toString('base64'),
    }),
  );
}

function decode(txId: string, bytes: Uint8Array): StoredPvtData {
  const j = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
    blockNum: number;
    txNum: number;
    pvt: string;
  };
  return {
    txId,
    blockNum: j.blockNum,
    txNum: j.txNum,
    pvt: ledger.rwset.TxPvtReadWriteSet.deserializeBinary(Buffer.from(j.pvt, 'base64')),
  };
}
