import { ChaincodeStub, ClientIdentity, type Iterators, type Timestamp } from 'fabric-shim';
import { Context } from 'fabric-contract-api';
import { createHash } from 'node:crypto';
import Long from 'long';
import type { TestIdentity } from './identities';

/**
 * Test-only in-memory world state and ChaincodeStub (not part of the chaincode build). It keeps
 * Fabric's semantics that matter to egov: reads see committed state only (never the transaction's
 * own writes), range results come in UTF-8 byte order of the key, a partial composite key range ends
 * at U+10FFFF, open iterators are counted so tests can check each one was closed. It has no rich
 * query method: egov must never make one (unsupported on LevelDB), so a call would throw TypeError.
 */

/** Committed world state of one chaincode namespace, shared by successive fake transactions. */
export class FakeWorldState {
  /** key → committed value. */
  readonly state = new Map<string, Uint8Array>();
  /** collection → key → committed private value (what the collection's member peers hold). */
  readonly privateState = new Map<string, Map<string, Uint8Array>>();
  /** key → committed validation parameter (key-level endorsement policy bytes). */
  readonly validationParameters = new Map<string, Uint8Array>();
  /** key → committed changes, oldest first (the peer's history database). */
  readonly history = new Map<string, FakeKeyModification[]>();

  /** Starts a transaction against this state. */
  newTransaction(tx: FakeTxOptions): FakeStub {
    return new FakeStub(this, tx);
  }

  /** Committed keys in Fabric's order (bytes of UTF-8). */
  sortedKeys(): string[] {
    return [...this.state.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /** A byte-exact dump of the state, for determinism checks. */
  snapshot(): [string, string][] {
    return this.sortedKeys().map((key) => [key, Buffer.from(this.state.get(key)!).toString('hex')]);
  }
}

/** What identifies a fake transaction. */
export interface FakeTxOptions {
  txId: string;
  /** Transaction time (proposal header timestamp). */
  timestamp: Date;
  creator: TestIdentity;
  /** Function name and string arguments, for dispatch through fabric-shim. */
  args?: string[];
  channelId?: string;
  /** The proposal's transient map (never part of the transaction). */
  transient?: Map<string, Uint8Array>;
  /**
   * MSP of the endorsing peer: private data of another organization's implicit collection then
   * reads as absent, as on a peer that is not a member. Undefined = a member of every collection.
   */
  peerMsp?: string;
}

/** One committed change of a key, as getHistoryForKey yields it. */
export interface FakeKeyModification {
  txId: string;
  timestamp: Timestamp;
  isDelete: boolean;
  value: Uint8Array;
}

/** Prefix of Fabric's implicit per-organization collections. */
const IMPLICIT_COLLECTION_PREFIX = '_implicit_org_';
/** Prefix of the citizens' accounts collections (members: the ministry and the central bank). */
const ACCOUNTS_COLLECTION_PREFIX = 'accounts';
const CENTRAL_BANK_MSP = 'CentralBankMSP';

/** One chaincode event as set by the transaction. */
export interface FakeEvent {
  name: string;
  payload: Uint8Array;
}

/** In-memory ChaincodeStub for one transaction. */
export class FakeStub {
  /** Pending writes of this transaction (undefined value = delete). */
  readonly writes = new Map<string, Uint8Array | undefined>();
  /** The transaction's chaincode event (Fabric keeps only the last one). */
  event: FakeEvent | undefined;
  /** Iterators handed out and not yet closed. */
  openIterators = 0;
  /** Pending private data writes: collection → key → value (undefined = delete). */
  readonly privateWrites = new Map<string, Map<string, Uint8Array | undefined>>();
  /** Pending validation parameter writes. */
  readonly validationWrites = new Map<string, Uint8Array>();
  /** Set by a paginated query: Fabric then refuses writes in the same transaction. */
  private paginatedQueryPerformed = false;
  /** Set by a private data range query: Fabric then refuses writes too. */
  private pvtQueryPerformed = false;

  constructor(
    private readonly world: FakeWorldState,
    private readonly tx: FakeTxOptions,
  ) {}

  getTxID(): string {
    return this.tx.txId;
  }

  getChannelID(): string {
    return this.tx.channelId ?? 'egov';
  }

  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return { mspid: this.tx.creator.mspId, idBytes: Buffer.from(this.tx.creator.certPem) };
  }

  getTxTimestamp(): Timestamp {
    const millis = this.tx.timestamp.getTime();
    return { seconds: Long.fromNumber(Math.floor(millis / 1000), true), nanos: (millis % 1000) * 1_000_000 };
  }

  getBufferArgs(): Buffer[] {
    return (this.tx.args ?? []).map((arg) => Buffer.from(arg));
  }

  async getState(key: string): Promise<Uint8Array> {
    checkKey(key);
    // like the shim: a missing key reads as empty bytes
    return this.world.state.get(key) ?? new Uint8Array(0);
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    checkKey(key);
    if (this.paginatedQueryPerformed) {
      throw new Error('transaction has already performed a paginated query; writes are not allowed');
    }
    this.refuseWriteAfterPvtQuery();
    if (!(value instanceof Uint8Array) || value.length === 0) {
      throw new Error(`putState ${JSON.stringify(key)}: value must be non-empty bytes`);
    }
    this.writes.set(key, Buffer.from(value));
  }

  async deleteState(key: string): Promise<void> {
    checkKey(key);
    this.writes.set(key, undefined);
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return ChaincodeStub.prototype.createCompositeKey.call(this, objectType, attributes);
  }

  splitCompositeKey(compositeKey: string): { objectType: string; attributes: string[] } {
    return ChaincodeStub.prototype.splitCompositeKey.call(this, compositeKey);
  }

  async getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<Iterators.StateQueryIterator> {
    const start = this.createCompositeKey(objectType, attributes);
    return this.rangeIterator(start, start + String.fromCodePoint(0x10ffff));
  }

  /**
   * Like Fabric's paginated partial composite key query: at most pageSize keys from the bookmark
   * (inclusive; '' = start); the returned bookmark is the next key, '' when none is left. As on
   * Fabric, a transaction that ran a paginated query may not write.
   */
  async getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark: string,
  ): Promise<{
    iterator: Iterators.StateQueryIterator;
    metadata: { fetchedRecordsCount: number; bookmark: string };
  }> {
    this.paginatedQueryPerformed = true;
    const prefix = this.createCompositeKey(objectType, attributes);
    const start = bookmark && bookmark > prefix ? bookmark : prefix;
    const end = prefix + String.fromCodePoint(0x10ffff);
    const keys = this.keysInRange(start, end);
    const page = keys.slice(0, pageSize);
    const next = keys.length > pageSize ? keys[pageSize] : '';
    return {
      iterator: this.rangeIterator(start, page.length > 0 ? next || end : start),
      metadata: { fetchedRecordsCount: page.length, bookmark: next },
    };
  }

  async getStateByRange(startKey: string, endKey: string): Promise<Iterators.StateQueryIterator> {
    return this.rangeIterator(startKey, endKey);
  }

  /**
   * Like Fabric's paginated range query over simple keys: at most pageSize keys of [start, end);
   * the returned bookmark is the next key, '' when none is left. No writes after it, as on Fabric.
   */
  async getStateByRangeWithPagination(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark: string,
  ): Promise<{
    iterator: Iterators.StateQueryIterator;
    metadata: { fetchedRecordsCount: number; bookmark: string };
  }> {
    this.paginatedQueryPerformed = true;
    const start = bookmark && bookmark > startKey ? bookmark : startKey;
    const keys = this.keysInRange(start, endKey);
    const page = keys.slice(0, pageSize);
    const next = keys.length > pageSize ? keys[pageSize] : '';
    return {
      iterator: this.rangeIterator(start, page.length > 0 ? next || endKey : start),
      metadata: { fetchedRecordsCount: page.length, bookmark: next },
    };
  }

  setEvent(name: string, payload: Uint8Array): void {
    this.event = { name, payload: Buffer.from(payload) };
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map(this.tx.transient ?? []);
  }

  async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    checkCollection(collection);
    checkKey(key);
    const committed = this.world.privateState.get(collection)?.get(key);
    if (committed && !this.holds(collection)) {
      // a non-member peer holds only the hash; Fabric's query executor then fails like this
      throw new Error(
        'private data matching public hash version is not available. Public hash version = {BlockNum: 1, TxNum: 0}, Private data version = <nil>',
      );
    }
    return this.world.privateState.get(collection)?.get(key) ?? new Uint8Array(0);
  }

  /**
   * Like Fabric's private range query over a partial composite key (committed values only; a peer
   * outside the collection fails as Fabric's does). Like fabric-shim's, it resolves to an object
   * holding the iterator, and Fabric's rule holds: no private query after a write, no write after one.
   */
  async getPrivateDataByPartialCompositeKey(
    collection: string,
    objectType: string,
    attributes: string[],
  ): Promise<{ iterator: Iterators.StateQueryIterator }> {
    checkCollection(collection);
    if (this.writes.size > 0 || this.privateWrites.size > 0) {
      throw new Error(
        `txid [${this.tx.txId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction`,
      );
    }
    this.pvtQueryPerformed = true;
    if (!this.holds(collection)) {
      throw new Error(
        `private data of collection ${collection} is not available on a peer of ${this.tx.peerMsp}`,
      );
    }
    const values = this.world.privateState.get(collection) ?? new Map<string, Uint8Array>();
    const start = this.createCompositeKey(objectType, attributes);
    const end = start + String.fromCodePoint(0x10ffff);
    const keys = [...values.keys()]
      .filter((k) => k >= start && k < end)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return { iterator: this.iterate(keys, (key) => values.get(key)!) };
  }

  async deletePrivateData(collection: string, key: string): Promise<void> {
    checkCollection(collection);
    checkKey(key);
    this.refuseWriteAfterPvtQuery();
    const writes = this.privateWrites.get(collection) ?? new Map<string, Uint8Array | undefined>();
    writes.set(key, undefined);
    this.privateWrites.set(collection, writes);
  }

  /** Fabric refuses writes after a private data range query. */
  private refuseWriteAfterPvtQuery(): void {
    if (this.pvtQueryPerformed) {
      throw new Error(
        `txid [${this.tx.txId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed`,
      );
    }
  }

  /** Whether the endorsing peer is a member of a collection (undefined peer: of every one). */
  private holds(collection: string): boolean {
    const peer = this.tx.peerMsp;
    if (peer === undefined) return true;
    if (collection.startsWith(IMPLICIT_COLLECTION_PREFIX))
      return collection === IMPLICIT_COLLECTION_PREFIX + peer;
    return collection === ACCOUNTS_COLLECTION_PREFIX + peer || peer === CENTRAL_BANK_MSP;
  }

  async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    checkCollection(collection);
    checkKey(key);
    const value = this.world.privateState.get(collection)?.get(key);
    return value === undefined ? new Uint8Array(0) : createHash('sha256').update(value).digest();
  }

  async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    checkCollection(collection);
    checkKey(key);
    this.refuseWriteAfterPvtQuery();
    if (!(value instanceof Uint8Array) || value.length === 0) {
      throw new Error(`putPrivateData ${JSON.stringify(key)}: value must be non-empty bytes`);
    }
    const writes = this.privateWrites.get(collection) ?? new Map<string, Uint8Array | undefined>();
    writes.set(key, Buffer.from(value));
    this.privateWrites.set(collection, writes);
  }

  async setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    checkKey(key);
    this.validationWrites.set(key, Buffer.from(ep));
  }

  async getStateValidationParameter(key: string): Promise<Uint8Array> {
    checkKey(key);
    return this.world.validationParameters.get(key) ?? new Uint8Array(0);
  }

  /** Like Fabric's history query: the committed changes of a key, newest first. */
  async getHistoryForKey(key: string): Promise<Iterators.HistoryQueryIterator> {
    checkKey(key);
    const changes = [...(this.world.history.get(key) ?? [])].reverse();
    this.openIterators++;
    let next = 0;
    let closed = false;
    return {
      next: async () => {
        if (closed) throw new Error('iterator used after close');
        if (next >= changes.length) return { done: true } as Iterators.NextResult<Iterators.KeyModification>;
        return { done: false, value: changes[next++] } as Iterators.NextResult<Iterators.KeyModification>;
      },
      close: async () => {
        if (!closed) this.openIterators--;
        closed = true;
      },
    } as Iterators.HistoryQueryIterator;
  }

  /** Applies this transaction's writes to the world state (the transaction was valid). */
  commit(): void {
    const timestamp = this.getTxTimestamp();
    for (const [key, value] of this.writes) {
      const changes = this.world.history.get(key) ?? [];
      changes.push({
        txId: this.tx.txId,
        timestamp,
        isDelete: value === undefined,
        value: value ?? new Uint8Array(0),
      });
      this.world.history.set(key, changes);
    }
    for (const [collection, writes] of this.privateWrites) {
      const committed = this.world.privateState.get(collection) ?? new Map<string, Uint8Array>();
      for (const [key, value] of writes) {
        if (value === undefined) committed.delete(key);
        else committed.set(key, value);
      }
      this.world.privateState.set(collection, committed);
    }
    for (const [key, ep] of this.validationWrites) {
      this.world.validationParameters.set(key, ep);
    }
    for (const [key, value] of this.writes) {
      if (value === undefined) {
        this.world.state.delete(key);
      } else {
        this.world.state.set(key, value);
      }
    }
  }

  /** Committed keys in [start, end) by UTF-8 bytes ('' end = open). */
  private keysInRange(start: string, end: string): string[] {
    const from = Buffer.from(start);
    const to = Buffer.from(end);
    return this.world
      .sortedKeys()
      .filter(
        (k) =>
          Buffer.compare(Buffer.from(k), from) >= 0 && (end === '' || Buffer.compare(Buffer.from(k), to) < 0),
      );
  }

  /** Committed keys in [start, end) by UTF-8 bytes ('' end = open), as an iterator that must be closed. */
  private rangeIterator(start: string, end: string): Iterators.StateQueryIterator {
    return this.iterate(this.keysInRange(start, end), (key) => this.world.state.get(key)!);
  }

  /**
   * An iterator over `keys` that must be closed, unless read to its end: as on Fabric, the peer
   * drops a query once it has sent the last results (has_more = false), and a later close is a no-op.
   */
  private iterate(keys: string[], valueOf: (key: string) => Uint8Array): Iterators.StateQueryIterator {
    this.openIterators++;
    let next = 0;
    let closed = false;
    let exhausted = false;
    const release = () => {
      if (!closed && !exhausted) this.openIterators--;
    };
    return {
      next: async () => {
        if (closed) throw new Error('iterator used after close');
        if (next >= keys.length) {
          release();
          exhausted = true;
          return { done: true } as Iterators.NextResult<Iterators.KV>;
        }
        const key = keys[next++];
        return { done: false, value: { namespace: 'egov', key, value: valueOf(key) } };
      },
      close: async () => {
        release();
        closed = true;
      },
    };
  }
}

/** Rejects collections egov never defines (implicit per-organization ones and `accounts<MSP>`). */
function checkCollection(collection: string): void {
  if (
    !collection.startsWith(IMPLICIT_COLLECTION_PREFIX) &&
    !(
      collection.startsWith(ACCOUNTS_COLLECTION_PREFIX) &&
      collection !== ACCOUNTS_COLLECTION_PREFIX + CENTRAL_BANK_MSP
    )
  ) {
    throw new Error(`collection ${collection} is not defined for chaincode egov`);
  }
}

/** Rejects keys Fabric would reject. */
function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new Error('key must be a non-empty string');
  }
}

/** A contract Context over a fake stub, with fabric-shim's real ClientIdentity. */
export function newContext(stub: FakeStub): Context {
  const ctx = new Context();
  ctx.stub = stub as unknown as Context['stub'];
  ctx.clientIdentity = new ClientIdentity(stub as unknown as ChaincodeStub);
  return ctx;
}
