import { ledger, type peer } from '@hyperledger/fabric-protos';
import type { StateDB } from '../ledger/statedb';
import type { TxSimulator } from '../ledger/txmgr';
import { hashedKey, hashedNamespace, hashOf } from '../ledger/pvtdatastorage/namespaces';
import type { UnpackedProposal } from '../protoutil';

const kv = ledger.rwset.kvrwset;

/** Reads of an org's own private values (the peer's copy of its implicit collection). */
export interface PrivateValueSource {
  /** The value whose hash is `valueHash`, if this peer holds it. */
  privateValue(ns: string, coll: string, key: string, valueHash: Uint8Array): Promise<Uint8Array | undefined>;
  /** The keys in [start, end) this peer holds a value of (committed or not: callers read them back). */
  privateKeys(ns: string, coll: string, start: string, end: string): Promise<string[]>;
}

interface CollectionBuilder {
  reads: Map<string, ledger.rwset.kvrwset.KVReadHash>;
  writes: Map<string, { value?: Uint8Array }>;
}

/**
 * What a system chaincode sees of its invocation (Fabric's shim stub for in-process SCCs): the
 * proposal, public state through the TxSimulator (reads recorded with versions), and private data of
 * collections as hashed reads/writes, so that the read-write set carries `collection_hashed_rwset`
 * exactly as a chaincode's private writes would, while the private values stay on this peer.
 */
export class SccStub {
  private readonly collections = new Map<string, CollectionBuilder>();

  constructor(
    readonly namespace: string,
    readonly proposal: UnpackedProposal,
    readonly args: Uint8Array[],
    private readonly db: StateDB | undefined,
    private readonly simulator: TxSimulator | undefined,
    private readonly privates?: PrivateValueSource,
  ) {}

  /** The channel name ('' for a channel-less proposal). */
  get channelId(): string {
    return this.proposal.channelHeader.getChannelId();
  }

  /** The transaction id. */
  get txId(): string {
    return this.proposal.channelHeader.getTxId();
  }

  /** The signed proposal (for ACL checks). */
  get signedProposal(): peer.SignedProposal {
    return this.proposal.signedProposal;
  }

  /** A public read of this namespace, recorded in the read set. */
  getState(key: string): Promise<Uint8Array | undefined> {
    return this.sim().getState(this.namespace, key);
  }

  /** A committed public value of this namespace read without recording it (Fabric's separate query executor). */
  async getCommittedState(key: string): Promise<Uint8Array | undefined> {
    if (!this.db) throw new Error('state is not available without a channel');
    return (await this.db.get(this.namespace, key))?.value;
  }

  /** A public write (empty value = delete). */
  putState(key: string, value: Uint8Array): void {
    this.sim().setState(this.namespace, key, value);
  }

  /** A public delete. */
  delState(key: string): void {
    this.sim().deleteState(this.namespace, key);
  }

  /** All public keys of this namespace in [start, end), read through the simulator (range recorded). */
  async getStateRange(start: string, end: string): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    const it = this.sim().getStateRange(this.namespace, start, end);
    try {
      for (let r = await it.next(); r !== undefined; r = await it.next()) out.set(r.key, r.value);
    } finally {
      await it.close();
    }
    return out;
  }

  /** The committed hash of a private key (recorded as a hashed read), or undefined. */
  async getPrivateDataHash(coll: string, key: string): Promise<Uint8Array | undefined> {
    const pending = this.coll(coll).writes.get(key);
    if (pending) return pending.value === undefined ? undefined : hashOf(pending.value);
    const vv = await this.committedHash(coll, key);
    this.recordHashedRead(coll, key, vv?.version);
    return vv?.value;
  }

  /** This peer's private value of a key (own org's collection), or undefined; recorded as a hashed read. */
  async getPrivateData(coll: string, key: string): Promise<Uint8Array | undefined> {
    const pending = this.coll(coll).writes.get(key);
    if (pending) return pending.value;
    const vv = await this.committedHash(coll, key);
    this.recordHashedRead(coll, key, vv?.version);
    if (vv === undefined || this.privates === undefined) return undefined;
    return this.privates.privateValue(this.namespace, coll, key, vv.value);
  }

  /**
   * This peer's private keys of a collection in [start, end) whose committed hash matches a value it holds,
   * with those values (Fabric's GetPrivateDataByRange on a member peer; not recorded, as Fabric does not
   * record private range queries).
   */
  async getPrivateDataRange(coll: string, start: string, end: string): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    if (!this.privates) return out;
    for (const key of await this.privates.privateKeys(this.namespace, coll, start, end)) {
      const vv = await this.committedHash(coll, key);
      const value = vv && (await this.privates.privateValue(this.namespace, coll, key, vv.value));
      if (value) out.set(key, value);
    }
    return out;
  }

  /** A private write: only its hashes go to the public read-write set. */
  putPrivateData(coll: string, key: string, value: Uint8Array): void {
    this.coll(coll).writes.set(key, value.length === 0 ? {} : { value });
  }

  /** A private delete. */
  delPrivateData(coll: string, key: string): void {
    this.coll(coll).writes.set(key, {});
  }

  /** Private writes by collection (for the peer's own copy), keys sorted. */
  privateWrites(): { collection: string; key: string; value?: Uint8Array }[] {
    const out: { collection: string; key: string; value?: Uint8Array }[] = [];
    for (const coll of [...this.collections.keys()].sort()) {
      const writes = this.collections.get(coll)!.writes;
      for (const key of [...writes.keys()].sort())
        out.push({ collection: coll, key, value: writes.get(key)!.value });
    }
    return out;
  }

  /**
   * The serialized TxReadWriteSet: the simulator's public results with this namespace's
   * collection_hashed_rwset added (collections sorted by name, keys sorted, pvt_rwset_hash set).
   */
  results(): Uint8Array {
    const tx = this.sim().getResults();
    if (this.collections.size === 0) return tx.serializeBinary();
    const list = tx.getNsRwsetList();
    let ns = list.find((n) => n.getNamespace() === this.namespace);
    if (!ns) {
      ns = new ledger.rwset.NsReadWriteSet();
      ns.setNamespace(this.namespace);
      ns.setRwset(new kv.KVRWSet().serializeBinary());
      list.push(ns);
      list.sort((a, b) =>
        a.getNamespace() < b.getNamespace() ? -1 : a.getNamespace() > b.getNamespace() ? 1 : 0,
      );
      tx.setNsRwsetList(list);
    }
    ns.setCollectionHashedRwsetList([...this.collections.keys()].sort().map((c) => this.hashedRwSet(c)));
    return tx.serializeBinary();
  }

  /**
   * The private write set (Fabric's TxPvtReadWriteSet) for the collections written, whose KVRWSet bytes
   * hash to the `pvt_rwset_hash` of {@link results}; undefined when nothing private was written.
   */
  pvtResults(): ledger.rwset.TxPvtReadWriteSet | undefined {
    const colls = [...this.collections.keys()].sort().filter((c) => this.collections.get(c)!.writes.size > 0);
    if (colls.length === 0) return undefined;
    const ns = new ledger.rwset.NsPvtReadWriteSet();
    ns.setNamespace(this.namespace);
    ns.setCollectionPvtRwsetList(
      colls.map((c) => {
        const cp = new ledger.rwset.CollectionPvtReadWriteSet();
        cp.setCollectionName(c);
        cp.setRwset(this.pvtKVRWSet(c).serializeBinary());
        return cp;
      }),
    );
    const tx = new ledger.rwset.TxPvtReadWriteSet();
    tx.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    tx.setNsPvtRwsetList([ns]);
    return tx;
  }

  private pvtKVRWSet(coll: string): ledger.rwset.kvrwset.KVRWSet {
    const b = this.collections.get(coll)!;
    const pvt = new kv.KVRWSet();
    pvt.setWritesList(
      [...b.writes.keys()].sort().map((k) => {
        const w = new kv.KVWrite();
        w.setKey(k);
        const v = b.writes.get(k)!.value;
        if (v === undefined) w.setIsDelete(true);
        else w.setValue(v);
        return w;
      }),
    );
    return pvt;
  }

  private hashedRwSet(coll: string): ledger.rwset.CollectionHashedReadWriteSet {
    const b = this.collections.get(coll)!;
    const hashed = new kv.HashedRWSet();
    hashed.setHashedReadsList([...b.reads.keys()].sort().map((k) => b.reads.get(k)!));
    const writes = [...b.writes.keys()].sort();
    hashed.setHashedWritesList(
      writes.map((k) => {
        const w = new kv.KVWriteHash();
        w.setKeyHash(hashOf(k));
        const v = b.writes.get(k)!.value;
        if (v === undefined) w.setIsDelete(true);
        else w.setValueHash(hashOf(v));
        return w;
      }),
    );
    const c = new ledger.rwset.CollectionHashedReadWriteSet();
    c.setCollectionName(coll);
    c.setHashedRwset(hashed.serializeBinary());
    if (writes.length > 0) c.setPvtRwsetHash(hashOf(this.pvtKVRWSet(coll).serializeBinary()));
    return c;
  }

  private async committedHash(
    coll: string,
    key: string,
  ): Promise<{ value: Uint8Array; version: { blockNum: number; txNum: number } } | undefined> {
    if (!this.db) throw new Error('private data is not available without a channel');
    const vv = await this.db.get(hashedNamespace(this.namespace, coll), hashedKey(hashOf(key)));
    return vv && vv.value.length > 0 ? { value: vv.value, version: vv.version } : undefined;
  }

  private recordHashedRead(
    coll: string,
    key: string,
    version: { blockNum: number; txNum: number } | undefined,
  ): void {
    const b = this.coll(coll);
    if (b.reads.has(key)) return;
    const r = new kv.KVReadHash();
    r.setKeyHash(hashOf(key));
    if (version) {
      const v = new kv.Version();
      v.setBlockNum(version.blockNum);
      v.setTxNum(version.txNum);
      r.setVersion(v);
    }
    b.reads.set(key, r);
  }

  private coll(name: string): CollectionBuilder {
    let b = this.collections.get(name);
    if (!b) {
      b = { reads: new Map(), writes: new Map() };
      this.collections.set(name, b);
    }
    return b;
  }

  private sim(): TxSimulator {
    if (!this.simulator) throw new Error('state is not available without a channel');
    return this.simulator;
  }
}
