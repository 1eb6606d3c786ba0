import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { FakeWorldState, newContext, type FakeEvent, type FakeStub, type FakeTxOptions } from './fake-stub';
import type { TestIdentity } from './identities';
import { TRANSIENT_SALT_KEY } from '../lib/commitment';

/** Outcome of one fake transaction. */
export interface TxOutcome {
  result: string;
  stub: FakeStub;
  event: FakeEvent | undefined;
  txId: string;
}

/**
 * Test-only driver: runs contract functions as successive transactions against one world state,
 * commits the writes of each successful one, and fails the test if an iterator was left open.
 */
export class ContractHarness {
  readonly world = new FakeWorldState();
  private count = 0;

  constructor(private readonly start = new Date('2025-03-01T09:00:00.000Z')) {}

  /** The id the next transaction gets (hex SHA-256, like Fabric's). */
  nextTxId(): string {
    return createHash('sha256')
      .update(`tx-${this.count + 1}`)
      .digest('hex');
  }

  /**
   * Runs `fn` as a transaction by `creator`; commits on success, rethrows on failure (nothing committed).
   * Like the gateway, it puts a salt in the transient map ({@link testSalt} of the transaction id)
   * unless the map has one or `options.salt` is `false`.
   * @param options - the transient map, the endorsing peer's MSP and the transaction time, when the test needs them.
   */
  async run(
    creator: TestIdentity,
    fn: (ctx: Context) => Promise<string>,
    txId = this.nextTxId(),
    options: Pick<FakeTxOptions, 'transient' | 'peerMsp'> & { at?: Date; salt?: false } = {},
  ): Promise<TxOutcome> {
    this.count++;
    // one second per transaction, unless the test sets the transaction time (e.g. past a deadline)
    const timestamp = options.at ?? new Date(this.start.getTime() + this.count * 1000);
    const { salt, ...txOptions } = options;
    const transient = new Map(options.transient ?? []);
    if (salt !== false && !transient.has(TRANSIENT_SALT_KEY))
      transient.set(TRANSIENT_SALT_KEY, testSalt(txId));
    const stub = this.world.newTransaction({ txId, timestamp, creator, ...txOptions, transient });
    let result: string;
    try {
      result = await fn(newContext(stub));
    } catch (err) {
      assertIteratorsClosed(stub, txId);
      throw err;
    }
    assertIteratorsClosed(stub, txId);
    stub.commit();
    return { result, stub, event: stub.event, txId };
  }

  /** Reads a committed value as parsed JSON. */
  stateJson(key: string): unknown {
    const value = this.world.state.get(key);
    return value === undefined ? undefined : JSON.parse(Buffer.from(value).toString('utf8'));
  }
}

/** The salt {@link ContractHarness.run} sends: 32 bytes derived from the transaction id. */
export function testSalt(txId: string): Buffer {
  return createHash('sha256').update(`salt-${txId}`).digest();
}

/** Fails the test when a transaction left a range query iterator open. */
function assertIteratorsClosed(stub: FakeStub, txId: string): void {
  if (stub.openIterators !== 0) {
    throw new Error(`transaction ${txId} left ${stub.openIterators} iterator(s) open`);
  }
}
