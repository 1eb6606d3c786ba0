import { ledger, peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { hashedKey, hashedNamespace, hashOf, privateNamespace } from '../ledger/pvtdatastorage/namespaces';
import type { PurgeMarker, PvtDataStore, StoredPvtData } from '../ledger/pvtdatastorage/pvtdatastore';
import type { StateDB, UpdateBatch } from '../ledger/statedb';
import type { TransientStore } from '../transientstore';
import { readKVRWSet } from '../protoutil/rwsetviews';
import type { DecodedTxRwSet } from '../validator/rwset';
import type { CollectionResolver } from './resolver';

const logger = getLogger('privdata.coordinator');
const rwset = ledger.rwset;

/** Peer-local bookkeeping of when private keys expire (blockToLive); never part of the commit hash. */
export const EXPIRY_NAMESPACE = '$$btl';

/** One collection whose private write set a transaction needs. */
export interface WantedCollection {
  namespace: string;
  collection: string;
  /** pvt_rwset_hash of the collection's hashed rwset. */
  hash: Uint8Array;
}

/** Fetches private write sets this peer missed from other member peers (devnet's pull at commit). */
export interface PvtDataFetcher {
  fetch(txId: string, wanted: WantedCollection[]): Promise<ledger.rwset.TxPvtReadWriteSet[]>;
}

/** A validated transaction as the committer knows it. */
export interface CommitTx {
  txNum: number;
  txId?: string;
  code: number;
  rwset?: DecodedTxRwSet;
}

/** Construction options of {@link PrivateDataCoordinator}. */
export interface CoordinatorOptions {
  resolver: CollectionResolver;
  transient: TransientStore;
  store: PvtDataStore;
  state: StateDB;
  fetcher?: PvtDataFetcher;
}

const pad = (n: number): string => n.toString().padStart(20, '0');

/**
 * The private data side of endorsement and commit (Fabric's gossip/privdata coordinator + the ledger's
 * pvt data commit and purge manager). At endorsement the private write set goes to the transient store.
 * At commit, for every valid transaction and every collection this peer is a member of, the private
 * write set is taken from the transient store or fetched from another member peer, checked against
 * pvt_rwset_hash, stored in the private data store and applied to the private state; keys whose
 * blockToLive has passed are purged (hashed and private). A member peer that cannot get the data
 * commits the block anyway, as Fabric does: reading such a key then fails with "private data matching
 * public hash version is not available".
 */
export class PrivateDataCoordinator {
  /** Whether the state may hold expiry entries (undefined until looked up at the first block). */
  private mayExpire: boolean | undefined;

  constructor(private readonly opts: CoordinatorOptions) {}

  /** Keeps an endorsed transaction's private write set until it commits. */
  storeTransient(txId: string, height: number, pvt: ledger.rwset.TxPvtReadWriteSet): void {
    this.opts.transient.persist(txId, height, pvt);
  }

  /** What this peer holds of a transaction's private data (transient or committed), for another peer. */
  async lookup(txId: string): Promise<ledger.rwset.TxPvtReadWriteSet[]> {
    const stored = await this.opts.store.getByTxId(txId, { keepPurgeWrites: true });
    return [...this.opts.transient.get(txId), ...(stored ? [stored.pvt] : [])];
  }

  /**
   * Adds the block's private writes and purges to `batch` (call after the commit hash is computed: none of
   * this is shared by all peers) and stores the private write sets durably before the block is appended.
   */
  async prepareCommit(blockNum: number, txs: CommitTx[], batch: UpdateBatch): Promise<void> {
    const stored: StoredPvtData[] = [];
    const metadataUpdated: FoundCollection[] = [];
    const purgeMarkers: PurgeMarker[] = [];
    for (const tx of txs) {
      if (tx.code !== peer.TxValidationCode.VALID || !tx.rwset || !tx.txId) continue;
      purgeMarkers.push(...purgesOf(tx.rwset, tx.txNum));
      const wanted = this.wantedCollections(tx.rwset);
      const found = wanted.length === 0 ? [] : await this.collect(tx.txId, wanted);
      if (found.length > 0) {
        stored.push({ txId: tx.txId, blockNum, txNum: tx.txNum, pvt: assemble(found) });
        for (const f of found) this.applyPvtWrites(batch, f, blockNum, tx.txNum);
        metadataUpdated.push(...found);
      }
      await this.scheduleExpiry(batch, tx.rwset, blockNum, found);
    }
    await this.renewVersionsAfterMetadataUpdates(batch, metadataUpdated);
    // The store purges write sets expiring at this block in the same batch, as the state purge below does.
    await this.opts.store.commit(stored, {
      blockNum,
      blockToLive: (ns, coll) => this.opts.resolver.collection(ns, coll)?.blockToLive ?? 0,
      purgeMarkers,
    });
    await this.purgeExpired(batch, blockNum);
  }

  /** After the block is committed: forget its transactions' transient data and stale entries. */
  afterCommit(blockNum: number, txIds: string[]): void {
    this.opts.transient.purgeByTxIds(txIds);
    this.opts.transient.purgeBelowHeight(blockNum + 1);
  }

  /** Crash recovery: the private writes of a stored block, re-applied from the private data store. */
  async recoveryUpdates(blockNum: number, txs: CommitTx[], batch: UpdateBatch): Promise<void> {
    const stored = new Map(
      (await this.opts.store.getBlock(blockNum, { includePurged: true })).map((s) => [s.txNum, s]),
    );
    for (const tx of txs) {
      if (tx.code !== peer.TxValidationCode.VALID || !tx.rwset) continue;
      const s = stored.get(tx.txNum);
      const found = s ? flatten(s.pvt) : [];
      for (const f of found) this.applyPvtWrites(batch, f, blockNum, tx.txNum);
      await this.scheduleExpiry(batch, tx.rwset, blockNum, found);
      await this.renewVersionsAfterMetadataUpdates(batch, found);
    }
    await this.purgeExpired(batch, blockNum);
  }

  /** The collections of the tx with private writes that this peer is a member of. */
  private wantedCollections(tx: DecodedTxRwSet): WantedCollection[] {
    const wanted: WantedCollection[] = [];
    for (const ns of tx.view.nsRwset) {
      for (const c of ns.collectionHashedRwset) {
        const hash = c.pvtRwsetHash;
        if (hash.length === 0) continue; // reads only
        if (this.opts.resolver.isEligible(ns.namespace, c.collectionName)) {
          wanted.push({ namespace: ns.namespace, collection: c.collectionName, hash });
        }
      }
    }
    return wanted;
  }

  /** Finds each wanted collection's write set: transient store first, then other peers. */
  private async collect(txId: string, wanted: WantedCollection[]): Promise<FoundCollection[]> {
    const found = match(this.opts.transient.get(txId), wanted);
    const missing = wanted.filter(
      (w) => !found.some((f) => f.namespace === w.namespace && f.collection === w.collection),
    );
    if (missing.length > 0 && this.opts.fetcher) {
      try {
        found.push(...match(await this.opts.fetcher.fetch(txId, missing), missing));
      } catch (e) {
        logger.warn({ txId, err: (e as Error).message }, 'could not fetch missing private data');
      }
    }
    const still = wanted.length - found.length;
    if (still > 0) {
      logger.warn(
        { txId, missing: still },
        'committing without private data this peer is eligible for (not available)',
      );
    }
    return found;
  }

  private applyPvtWrites(batch: UpdateBatch, f: FoundCollection, blockNum: number, txNum: number): void {
    const pns = privateNamespace(f.namespace, f.collection);
    for (const w of readKVRWSet(f.rwset).writes) {
      if (w.isDelete) batch.delete(pns, w.key, { blockNum, txNum });
      else batch.put(pns, w.key, w.value, { blockNum, txNum });
    }
  }

  /**
   * Fabric's incrementPvtdataVersionIfNeeded: a metadata-only update gives the hashed key a new version;
   * the private value keeps matching it when its hash still equals the hashed value.
   */
  private async renewVersionsAfterMetadataUpdates(
    batch: UpdateBatch,
    found: FoundCollection[],
  ): Promise<void> {
    for (const f of found) {
      const hns = hashedNamespace(f.namespace, f.collection);
      const pns = privateNamespace(f.namespace, f.collection);
      for (const { key } of readKVRWSet(f.rwset).metadataWrites) {
        const hashed = batch.get(hns, hashedKey(hashOf(key)));
        if (!hashed || hashed.value === undefined) continue; // not updated in the end (deleted, or key absent)
        const pending = batch.get(pns, key);
        const latest = pending
          ? pending.value === undefined
            ? undefined
            : { value: pending.value, version: pending.version }
          : await this.opts.state.get(pns, key);
        if (
          !latest ||
          (latest.version.blockNum === hashed.version.blockNum &&
            latest.version.txNum === hashed.version.txNum)
        )
          continue;
        if (Buffer.from(hashOf(latest.value)).equals(Buffer.from(hashed.value)))
          batch.put(pns, key, latest.value, hashed.version);
      }
    }
  }

  /** Records when each written key of a collection with a blockToLive expires (block + btl + 1). */
  private async scheduleExpiry(
    batch: UpdateBatch,
    tx: DecodedTxRwSet,
    blockNum: number,
    found: FoundCollection[],
  ): Promise<void> {
    for (const ns of tx.namespaces) {
      for (const c of ns.hashed ?? []) {
        const btl = this.opts.resolver.collection(ns.namespace, c.collection)?.blockToLive ?? 0;
        if (btl === 0) continue;
        const keys = keysOf(found.find((f) => f.namespace === ns.namespace && f.collection === c.collection));
        for (const hw of c.rwset.hashedWrites) {
          if (hw.isDelete) continue;
          const kh = hashedKey(hw.keyHash);
          const entry = {
            ns: ns.namespace,
            coll: c.collection,
            keyHash: kh,
            key: keys.get(kh),
            writtenAt: blockNum,
          };
          this.mayExpire = true;
          batch.put(
            EXPIRY_NAMESPACE,
            `${pad(blockNum + btl + 1)}\u0000${ns.namespace}\u0000${c.collection}\u0000${kh}`,
            Buffer.from(JSON.stringify(entry)),
            { blockNum, txNum: 0 },
          );
        }
      }
    }
  }

  /** Whether the state holds any expiry entry (one key looked up). */
  private async hasExpiryEntries(): Promise<boolean> {
    const it = this.opts.state.rangeIterator(EXPIRY_NAMESPACE, '', '', 1);
    try {
      return (await it.next()) !== undefined;
    } finally {
      await it.close();
    }
  }

  /**
   * Purges the keys expiring at this block unless they were written again since. Without any expiry entry
   * (no collection with a blockToLive written to) there is nothing to scan for, block after block.
   */
  private async purgeExpired(batch: UpdateBatch, blockNum: number): Promise<void> {
    this.mayExpire ??= await this.hasExpiryEntries();
    if (!this.mayExpire) return;
    const v = { blockNum, txNum: 0 };
    const expiring: { key: string; value: Uint8Array }[] = [];
    for await (const kv of this.opts.state.getRange(EXPIRY_NAMESPACE, pad(blockNum), pad(blockNum + 1)))
      expiring.push(kv);
    for (const kv of expiring) {
      batch.delete(EXPIRY_NAMESPACE, kv.key, v);
      const e = JSON.parse(Buffer.from(kv.value).toString('utf8')) as {
        ns: string;
        coll: string;
        keyHash: string;
        key?: string;
        writtenAt: number;
      };
      const hns = hashedNamespace(e.ns, e.coll);
      if (batch.exists(hns, e.keyHash)) continue; // rewritten in this block
      const current = await this.opts.state.get(hns, e.keyHash);
      if (!current || current.version.blockNum !== e.writtenAt) continue; // rewritten or deleted since
      batch.delete(hns, e.keyHash, v);
      if (e.key !== undefined) batch.delete(privateNamespace(e.ns, e.coll), e.key, v);
    }
  }
}

interface FoundCollection {
  namespace: string;
  collection: string;
  /** The collection's private KVRWSet bytes (hash-checked). */
  rwset: Uint8Array;
}

/** The PurgePrivateData writes of a valid tx: purge markers for the private data store. */
function purgesOf(tx: DecodedTxRwSet, txNum: number): PurgeMarker[] {
  return tx.namespaces.flatMap((ns) =>
    (ns.hashed ?? []).flatMap((c) =>
      c.rwset.hashedWrites
        .filter((hw) => hw.isPurge)
        .map((hw) => ({
          namespace: ns.namespace,
          collection: c.collection,
          keyHash: hashedKey(hw.keyHash),
          txNum,
        })),
    ),
  );
}

function flatten(pvt: ledger.rwset.TxPvtReadWriteSet): FoundCollection[] {
  return pvt.getNsPvtRwsetList().flatMap((ns) =>
    ns.getCollectionPvtRwsetList().map((c) => ({
      namespace: ns.getNamespace(),
      collection: c.getCollectionName(),
      rwset: c.getRwset_asU8(),
    })),
  );
}

/** The write sets among `sets` whose hash matches a wanted collection's pvt_rwset_hash (first match each). */
function match(sets: ledger.rwset.TxPvtReadWriteSet[], wanted: WantedCollection[]): FoundCollection[] {
  const out: FoundCollection[] = [];
  for (const w of wanted) {
    const hit = sets
      .flatMap(flatten)
      .find(
        (f) =>
          f.namespace === w.namespace &&
          f.collection === w.collection &&
          Buffer.from(hashOf(f.rwset)).equals(Buffer.from(w.hash)),
      );
    if (hit) out.push(hit);
  }
  return out;
}

function keysOf(f: FoundCollection | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (!f) return m;
  for (const { key } of readKVRWSet(f.rwset).writes) m.set(hashedKey(hashOf(key)), key);
  return m;
}

/** A TxPvtReadWriteSet of the given collections (namespaces and collections sorted). */
function assemble(found: FoundCollection[]): ledger.rwset.TxPvtReadWriteSet {
  const byNs = new Map<string, FoundCollection[]>();
  for (const f of found) byNs.set(f.namespace, [...(byNs.get(f.namespace) ?? []), f]);
  const tx = new rwset.TxPvtReadWriteSet();
  tx.setDataModel(rwset.TxReadWriteSet.DataModel.KV);
  tx.setNsPvtRwsetList(
    [...byNs.keys()].sort().map((ns) => {
      const n = new rwset.NsPvtReadWriteSet();
      n.setNamespace(ns);
      n.setCollectionPvtRwsetList(
        (byNs.get(ns) as FoundCollection[])
          .sort((a, b) => (a.collection < b.collection ? -1 : 1))
          .map((f) => {
            const c = new rwset.CollectionPvtReadWriteSet();
            c.setCollectionName(f.collection);
            c.setRwset(f.rwset);
            return c;
          }),
      );
      return n;
    }),
  );
  return tx;
}
