import { FakeWorldState, newContext, type FakeStub } from '../testing/fake-stub';
import { newIdentity } from '../testing/identities';
import { readPartialCompositeKey } from './query';
import { readPage } from './rules-engine-page';

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

  it('sends no close for an iterator read to its end (the peer dropped the query with its last results)', async () => {
    const ctx = newContext(stub);
    const iterator = await stub.getStateByPartialCompositeKey('t', ['R1']);
    const cut = await stub.getStateByPartialCompositeKey('t', ['R1']);
    const close = jest.spyOn(iterator, 'close');
    ctx.stub.getStateByPartialCompositeKey = (async () =>
      iterator) as unknown as typeof ctx.stub.getStateByPartialCompositeKey;
    expect((await readPartialCompositeKey(ctx, 't', ['R1'], 5)).entries).toHaveLength(3);
    expect(close).not.toHaveBeenCalled();
    expect(stub.openIterators).toBe(1); // `cut`, not read yet
    // cut short at the limit, the query is still open on the peer: it is closed
    const closeCut = jest.spyOn(cut, 'close');
    ctx.stub.getStateByPartialCompositeKey = (async () =>
      cut) as unknown as typeof ctx.stub.getStateByPartialCompositeKey;
    expect((await readPartialCompositeKey(ctx, 't', ['R1'], 2)).truncated).toBe(true);
    expect(closeCut).toHaveBeenCalledTimes(1);
    expect(stub.openIterators).toBe(0);
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

describe('paginated query bookmark check', () => {
  let stub: FakeStub;

  beforeAll(async () => {
    const world = new FakeWorldState();
    const creator = await newIdentity('HealthMSP', 'User1@health.egov.local', ['client']);
    const setup = world.newTransaction({ txId: 't0', timestamp: new Date(0), creator });
    for (const [type, a, b] of [
      ['a', 'R1', 'x'],
      ['a', 'R1', 'y'],
      ['a', 'R2', 'x'],
      ['b', 'R1', 'x'],
    ]) {
      await setup.putState(setup.createCompositeKey(type, [a, b]), Buffer.from(`${type}${a}${b}`));
    }
    setup.commit();
    stub = world.newTransaction({ txId: 't1', timestamp: new Date(0), creator });
  });

  const page = (attributes: string[], bookmark: string) =>
    readPage(newContext(stub), 'a', attributes, 1, bookmark, (_k, v) => Buffer.from(v).toString());

  it('follows its own bookmarks to the end of the range', async () => {
    const first = await page(['R1'], '');
    const second = await page(['R1'], first.bookmark);
    expect([first.items, second.items]).toEqual([['aR1x'], ['aR1y']]);
    expect(second.bookmark).toBe('');
  });

  it.each([
    ['a NUL byte', '\u0000'],
    ['a key of another object type', '\u0000b\u0000R1\u0000x\u0000'],
    ['a key of another attribute value', '\u0000a\u0000R2\u0000x\u0000'],
    ['a key sorting after the range', '\u0000a\u0000R1~'],
    ['plain text', 'abc'],
  ])('refuses %s as a bookmark before reading anything', async (_what, bookmark) => {
    await expect(page(['R1'], bookmark)).rejects.toThrow(
      'bookmark must be empty or the bookmark of the previous page of the same listing',
    );
    expect(stub.openIterators).toBe(0);
  });

  it('accepts any key of the whole object type when the query has no attributes', async () => {
    const result = await page([], '\u0000a\u0000R2\u0000x\u0000');
    expect(result.items).toEqual(['aR2x']);
  });
});
