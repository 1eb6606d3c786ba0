import { ChaincodeStub, ClientIdentity, type Iterators, type Timestamp } from 'fabric-shim';
import { Context } from 'fabric-contract-api';
import Long from 'long';
import type { TestIdentity } from './identities';

/**
 * Test-only in-memory world state and ChaincodeStub (not part of the chaincode build). It keeps
 * Fabric's semantics that matter to egov: reads see committed state only (never the transaction's
 * own writes), range results come in UTF-8 byte order of the key, a partial composite key range ends
 * at U+10FFFF, open iterators are counted so tests can check each one was closed, rich queries fail.
 */

/** Committed world state of one chaincode namespace, shared by successive fake transactions. */
export class FakeWorldState {
  /** key → committed value. */
  readonly state = new Map<string, Uint8Array>();

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
}

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

  async getStateByRange(startKey: string, endKey: string): Promise<Iterators.StateQueryIterator> {
    return this.rangeIterator(startKey, endKey);
  }

  async getQueryResult(): Promise<never> {
    throw new Error('rich queries (getQueryResult) are forbidden in egov and unsupported on LevelDB');
  }

  setEvent(name: string, payload: Uint8Array): void {
    this.event = { name, payload: Buffer.from(payload) };
  }

  /** Applies this transaction's writes to the world state (the transaction was valid). */
  commit(): void {
    for (const [key, value] of this.writes) {
      if (value === undefined) {
        this.world.state.delete(key);
      } else {
        this.world.state.set(key, value);
      }
    }
  }

  /** Committed keys in [start, end) by UTF-8 bytes ('' end = open), as an iterator that must be closed. */
  private rangeIterator(start: string, end: string): Iterators.StateQueryIterator {
    const from = Buffer.from(start);
    const to = Buffer.from(end);
    const keys = this.world
      .sortedKeys()
      .filter(
        (k) =>
          Buffer.compare(Buffer.from(k), from) >= 0 && (end === '' || Buffer.compare(Buffer.from(k), to) < 0),
      );
    this.openIterators++;
    let next = 0;
    let closed = false;
    return {
      next: async () => {
        if (closed) throw new Error('iterator used after close');
        if (next >= keys.length) return { done: true } as Iterators.NextResult<Iterators.KV>;
        const key = keys[next++];
        return { done: false, value: { namespace: 'egov', key, value: this.world.state.get(key)! } };
      },
      close: async () => {
        if (!closed) this.openIterators--;
        closed = true;
      },
    };
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
