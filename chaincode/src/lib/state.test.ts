import { FakeWorldState, newContext } from '../testing/fake-stub';
import { newIdentity, type TestIdentity } from '../testing/identities';
import { exists, readObject, writeObject } from './state';

describe('world-state reads within a transaction', () => {
  let world: FakeWorldState;
  let creator: TestIdentity;
  let tx = 0;
  const nextTx = () => world.newTransaction({ txId: `t${++tx}`, timestamp: new Date(0), creator });

  beforeAll(async () => {
    creator = await newIdentity('HealthMSP', 'User1@health.egov.local', ['client']);
  });

  beforeEach(async () => {
    world = new FakeWorldState();
    const setup = nextTx();
    await writeObject(newContext(setup), 'k', { v: 1 });
    setup.commit();
  });

  it('asks the peer once per key, and answers what it answered (committed state, not own writes)', async () => {
    const stub = nextTx();
    const ctx = newContext(stub);
    const getState = jest.spyOn(stub, 'getState');
    expect(await readObject(ctx, 'k', 'k')).toEqual({ v: 1 });
    await writeObject(ctx, 'k', { v: 2 });
    expect(await readObject(ctx, 'k', 'k')).toEqual({ v: 1 });
    expect(await exists(ctx, 'k')).toBe(true);
    expect(await exists(ctx, 'absent')).toBe(false);
    expect(await exists(ctx, 'absent')).toBe(false);
    expect(getState.mock.calls.map(([key]) => key)).toEqual(['k', 'absent']);
  });

  it('reads again in the next transaction', async () => {
    const first = nextTx();
    await writeObject(newContext(first), 'k', { v: 3 });
    expect(await readObject(newContext(first), 'k', 'k')).toEqual({ v: 1 });
    first.commit();
    expect(await readObject(newContext(nextTx()), 'k', 'k')).toEqual({ v: 3 });
  });

  it('does not keep a failed read', async () => {
    const stub = nextTx();
    const ctx = newContext(stub);
    const getState = jest.spyOn(stub, 'getState').mockRejectedValueOnce(new Error('stream closed'));
    await expect(readObject(ctx, 'k', 'k')).rejects.toThrow('stream closed');
    expect(await readObject(ctx, 'k', 'k')).toEqual({ v: 1 });
    expect(getState).toHaveBeenCalledTimes(2);
  });
});
