import { FakeWorldState, newContext, type FakeStub } from '../testing/fake-stub';
import { newIdentity } from '../testing/identities';
import { readPartialCompositeKey } from './query';

describe('bounded partial composite key query', () => {
  let stub: FakeStub;

  beforeAll(async () => {
    const world = new FakeWorldState();
    const creator = await newIdentity('HealthMSP', 'User1@health.egov.local', ['client']);
    const setup = world.newTransaction({ txId: 't0', timestamp: new Date(0), creator });
    for (const [a, b] of [
      ['R1', 'x'],
      ['R1', 'y'],
      ['R1', 'z'],
      ['R10', 'x'],
      ['R2', 'x'],
    ]) {
      await setup.putState(setup.createCompositeKey('t', [a, b]), Buffer.from(b));
    }
    setup.commit();
    stub = world.newTransaction({ txId: 't1', timestamp: new Date(0), creator });
  });

  it('returns only keys under the partial key (R1, not R10) and closes the iterator', async () => {
    const result = await readPartialCompositeKey(newContext(stub), 't', ['R1'], 10);
    expect(result.truncated).toBe(false);
    expect(result.entries.map((e) => stub.splitCompositeKey(e.key).attributes)).toEqual([
      ['R1', 'x'],
      ['R1', 'y'],
      ['R1', 'z'],
    ]);
    expect(stub.openIterators).toBe(0);
  });

  it('stops at the limit, reports truncation and closes the iterator', async () => {
    const result = await readPartialCompositeKey(newContext(stub), 't', ['R1'], 2);
    expect(result.entries).toHaveLength(2);
    expect(result.truncated).toBe(true);
    expect(stub.openIterators).toBe(0);
  });

  it('does not report truncation when the result has exactly `limit` entries', async () => {
    const result = await readPartialCompositeKey(newContext(stub), 't', ['R1'], 3);
    expect(result).toMatchObject({ truncated: false });
    expect(result.entries).toHaveLength(3);
  });

  it('closes the iterator when reading fails', async () => {
    const ctx = newContext(stub);
    const iterator = await stub.getStateByPartialCompositeKey('t', ['R1']);
    iterator.next = async () => {
      throw new Error('peer went away');
    };
    ctx.stub.getStateByPartialCompositeKey = (async () =>
      iterator) as unknown as typeof ctx.stub.getStateByPartialCompositeKey;
    await expect(readPartialCompositeKey(ctx, 't', ['R1'], 5)).rejects.toThrow('peer went away');
    expect(stub.openIterators).toBe(0);
  });
});
