import type { ledger } from '@hyperledger/fabric-protos';
import type { StateDB, Version } from '../ledger/statedb';
import { hashedKey, hashedNamespace, hashOf, privateNamespace } from '../ledger/pvtdatastorage/namespaces';
import { ResultsIterator, TxSimulator } from '../ledger/txmgr';
import type { QueryResultKV } from '../ledger/txmgr';
import { deserializeMetadata, StateMetadata } from '../ledger/txmgr/statemetadata';
import type { Collection } from './collections';
import { mergeHashedRwSets, PvtRWSetBuilder } from './pvtrwsetbuilder';

/** What the simulator needs to know about collections and the proposal's creator. */
export interface PrivateDataAccess {
  channelId: string;
  /** The collection of a chaincode, or undefined when the chaincode does not define it. */
  collection(ns: string, coll: string): Collection | undefined;
  /** True when the proposal's creator satisfies the collection's member policy. */
  creatorIsMember(c: Collection): boolean;
}

function versionText(v: Version | undefined): string {
  return v ? `{BlockNum: ${v.blockNum}, TxNum: ${v.txNum}}` : '<nil>';
}

function same(a: Version | undefined, b: Version | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.blockNum === b.blockNum && a.txNum === b.txNum;
}

/** A scan of a collection's private values: results carry the chaincode's namespace, as Fabric's. */
class PvtResultsIterator extends ResultsIterator {
  constructor(
    private readonly chaincodeNs: string,
    ...rest: ConstructorParameters<typeof ResultsIterator>
  ) {
    super(...rest);
  }

  override async next(): Promise<QueryResultKV | undefined> {
    const kv = await super.next();
    return kv && { ...kv, namespace: this.chaincodeNs };
  }
}

/**
 * A TxSimulator with Fabric's private data operations (txmgr txSimulator + queryExecutor): private reads
 * return the member peer's value only when it matches the hashed state's version ("private data matching
 * public hash version is not available" otherwise) and are recorded as hashed reads; private writes become
 * hashed writes in the public rwset and plain writes in the private write set ({@link getPvtResults}).
 * The handler's access checks (memberOnlyRead / memberOnlyWrite) are {@link checkReadAccess} and
 * {@link checkWriteAccess}, with Fabric's texts.
 */
export class PvtTxSimulator extends TxSimulator {
  private readonly pvt = new PvtRWSetBuilder();
  private pvtResults?: ledger.rwset.TxPvtReadWriteSet;
  private pvtQueriesPerformed = false;
  private writes = false;
  private readonly pvtIterators: ResultsIterator[] = [];

  constructor(
    private readonly state: StateDB,
    txId: string,
    private readonly access: PrivateDataAccess,
  ) {
    super(state, txId);
  }

  /** Throws Fabric's error when the creator may not read the collection (memberOnlyRead). */
  checkReadAccess(ns: string, coll: string): void {
    const c = this.collectionOrThrow(ns, coll, true);
    if (c.memberOnlyRead && !this.access.creatorIsMember(c)) {
      throw new Error(
        `tx creator does not have read access permission on privatedata in chaincodeName:${ns} collectionName: ${coll}`,
      );
    }
  }

  /** Throws Fabric's error when the creator may not write the collection (memberOnlyWrite). */
  checkWriteAccess(ns: string, coll: string): void {
    const c = this.collectionOrThrow(ns, coll, true);
    if (c.memberOnlyWrite && !this.access.creatorIsMember(c)) {
      throw new Error(
        `tx creator does not have write access permission on privatedata in chaincodeName:${ns} collectionName: ${coll}`,
      );
    }
  }

  /** GetPrivateData: the value (undefined if absent), recorded as a hashed read. */
  async getPrivateData(ns: string, coll: string, key: string): Promise<Uint8Array | undefined> {
    this.collectionOrThrow(ns, coll);
    this.checkDone();
    const pvt = await this.state.get(privateNamespace(ns, coll), key);
    const hashed = await this.state.get(hashedNamespace(ns, coll), hashedKey(hashOf(key)));
    if (!same(hashed?.version, pvt?.version)) {
      throw new Error(
        `private data matching public hash version is not available. Public hash version = ${versionText(hashed?.version)}, Private data version = ${versionText(pvt?.version)}`,
      );
    }
    this.pvt.addToHashedReadSet(ns, coll, key, pvt?.version);
    return pvt?.value;
  }

  /** GetPrivateDataHash: the value hash from the hashed state (every peer has it); not recorded as a read. */
  async getPrivateDataHash(ns: string, coll: string, key: string): Promise<Uint8Array | undefined> {
    this.collectionOrThrow(ns, coll);
    this.checkDone();
    return (await this.state.get(hashedNamespace(ns, coll), hashedKey(hashOf(key))))?.value;
  }

  /** GetPrivateDataMetadata: the metadata of the hashed key. */
  async getPrivateDataMetadata(ns: string, coll: string, key: string): Promise<StateMetadata | undefined> {
    this.collectionOrThrow(ns, coll);
    this.checkDone();
    return deserializeMetadata(
      (await this.state.get(hashedNamespace(ns, coll), hashedKey(hashOf(key))))?.metadata,
    );
  }

  /** PutPrivateData / DelPrivateData (undefined or empty value = delete). */
  setPrivateData(ns: string, coll: string, key: string, value: Uint8Array | undefined): void {
    this.privateWritePrecondition(ns, coll);
    this.pvt.addToPvtAndHashedWriteSet(ns, coll, key, value);
  }

  /** PurgePrivateData: deletes the key and, at commit, its history in the private data store. */
  purgePrivateData(ns: string, coll: string, key: string): void {
    this.privateWritePrecondition(ns, coll);
    this.pvt.addToPvtAndHashedWriteSet(ns, coll, key, undefined, true);
  }

  /** SetPrivateDataValidationParameter & co.: replaces the hashed key's metadata. */
  setPrivateDataMetadata(ns: string, coll: string, key: string, metadata: StateMetadata | undefined): void {
    this.privateWritePrecondition(ns, coll);
    this.pvt.addToHashedMetadataWriteSet(ns, coll, key, metadata);
  }

  /** GetPrivateDataByRange: allowed only before any write (Fabric's rule and text); not recorded. */
  getPrivateDataRange(ns: string, coll: string, start: string, end: string): ResultsIterator {
    this.collectionOrThrow(ns, coll);
    this.checkDone();
    if (this.writes) {
      throw new Error(
        `txid [${this.txId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction`,
      );
    }
    this.pvtQueriesPerformed = true;
    const pns = privateNamespace(ns, coll);
    const it = new PvtResultsIterator(
      ns,
      pns,
      start,
      end,
      this.state.rangeIterator(pns, start, end),
      false,
      0,
    );
    this.pvtIterators.push(it);
    return it;
  }

  override setState(ns: string, key: string, value: Uint8Array): void {
    this.publicWritePrecondition();
    super.setState(ns, key, value);
  }

  override deleteState(ns: string, key: string): void {
    this.publicWritePrecondition();
    super.deleteState(ns, key);
  }

  override setStateMetadata(ns: string, key: string, metadata: StateMetadata | undefined): void {
    this.publicWritePrecondition();
    super.setStateMetadata(ns, key, metadata);
  }

  /** The public rwset with the collections' hashed rwsets merged in. */
  override getResults(): ledger.rwset.TxReadWriteSet {
    const tx = super.getResults();
    if (!this.pvt.isEmpty()) {
      const { hashed, pvt } = this.pvt.build();
      mergeHashedRwSets(tx, hashed);
      this.pvtResults = pvt;
    }
    return tx;
  }

  /** Whether the simulation read or wrote a private data collection (getResults then has private results). */
  get touchedCollections(): boolean {
    return !this.pvt.isEmpty();
  }

  /** The private write set (after {@link getResults}); undefined when nothing was written to a collection. */
  getPvtResults(): ledger.rwset.TxPvtReadWriteSet | undefined {
    return this.pvtResults;
  }

  override async done(): Promise<void> {
    await Promise.all(this.pvtIterators.map((it) => it.close()));
    await super.done();
  }

  private publicWritePrecondition(): void {
    if (this.pvtQueriesPerformed) {
      throw new Error(
        `txid [${this.txId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed`,
      );
    }
    this.writes = true;
  }

  private privateWritePrecondition(ns: string, coll: string): void {
    this.collectionOrThrow(ns, coll);
    this.publicWritePrecondition();
    this.checkWritePrecondition();
  }

  private collectionOrThrow(ns: string, coll: string, store = false): Collection {
    const c = this.access.collection(ns, coll);
    if (!c) {
      throw new Error(
        store
          ? `collection ${this.access.channelId}/${ns}/${coll} could not be found`
          : `collection [${coll}] not defined in the collection config for chaincode [${ns}]`,
      );
    }
    return c;
  }
}
