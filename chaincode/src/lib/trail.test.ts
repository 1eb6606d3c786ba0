import '../testing/quiet-logs';
import { ContractHarness } from '../testing/harness';
import { ministryIdentities } from '../testing/identities';
import { appendTrail, startTrail } from './trail';
import { entryHash, GENESIS_HASH, type TrailEntry } from './trail-entry';
import { headKey } from './trail-keys';
import { findBreak, verifyTrail } from './trail-read';

describe('audit trail', () => {
  const target = { type: 'record' as const, id: 'R1' };

  it('chains two appends to one target in one transaction and across transactions', async () => {
    const h = new ContractHarness();
    const { client } = await ministryIdentities('EducationMSP');
    await h.run(client, async (ctx) => {
      await appendTrail(ctx, 'record', 'R1', 'A');
      await appendTrail(ctx, 'record', 'R1', 'B');
      return '';
    });
    await h.run(client, async (ctx) => {
      await appendTrail(ctx, 'record', 'R1', 'C', { status: 'ACTIVE' });
      return '';
    });
    const out = await h.run(client, async (ctx) => JSON.stringify(await verifyTrail(ctx, target)));
    expect(JSON.parse(out.result)).toMatchObject({ entries: 3, valid: true });
  });

  it('starts the chain of a new target without reading its head, and later appends continue it', async () => {
    const h = new ContractHarness();
    const { client } = await ministryIdentities('EducationMSP');
    await h.run(client, async (ctx) => {
      const getState = jest.spyOn(ctx.stub, 'getState');
      expect((await startTrail(ctx, 'record', 'R2', 'CREATED')).seq).toBe(1);
      expect((await appendTrail(ctx, 'record', 'R2', 'CHANGED')).seq).toBe(2);
      expect(getState).not.toHaveBeenCalled();
      return '';
    });
    await h.run(client, async (ctx) => {
      expect((await appendTrail(ctx, 'record', 'R2', 'CHANGED AGAIN')).seq).toBe(3);
      return '';
    });
    const out = await h.run(client, async (ctx) =>
      JSON.stringify(await verifyTrail(ctx, { type: 'record', id: 'R2' })),
    );
    expect(JSON.parse(out.result)).toMatchObject({ entries: 3, valid: true });
  });

  it("starts a record's chain without a head key, reads its entry 1 as the head, and writes the head at the next append", async () => {
    const h = new ContractHarness();
    const { client } = await ministryIdentities('EducationMSP');
    const r3 = { type: 'record' as const, id: 'R3' };
    let first: TrailEntry | undefined;
    await h.run(client, async (ctx) => {
      first = await startTrail(ctx, 'record', 'R3', 'CREATED');
      return '';
    });
    expect(h.world.state.has(headKey(r3))).toBe(false);
    const one = await h.run(client, async (ctx) => JSON.stringify(await verifyTrail(ctx, r3)));
    expect(JSON.parse(one.result)).toEqual({
      targetType: 'record',
      targetId: 'R3',
      entries: 1,
      valid: true,
      headHash: first!.hash,
    });
    await h.run(client, async (ctx) => {
      const second = await appendTrail(ctx, 'record', 'R3', 'CHANGED');
      expect(second).toMatchObject({ seq: 2, prevHash: first!.hash });
      return '';
    });
    expect(h.stateJson(headKey(r3))).toMatchObject({ seq: 2 });
    const two = await h.run(client, async (ctx) => JSON.stringify(await verifyTrail(ctx, r3)));
    expect(JSON.parse(two.result)).toMatchObject({ entries: 2, valid: true });
    // a chain of two without its head does not verify
    h.world.state.delete(headKey(r3));
    const headless = await h.run(client, async (ctx) => JSON.stringify(await verifyTrail(ctx, r3)));
    expect(JSON.parse(headless.result)).toMatchObject({ entries: 2, valid: false, firstBreak: { seq: 2 } });
  });

  it('still writes the head of the first entry of other targets, and reads no entry for a missing head', async () => {
    const h = new ContractHarness();
    const { client } = await ministryIdentities('EducationMSP');
    await h.run(client, async (ctx) => {
      await startTrail(ctx, 'schema', 'education.x', 'CREATED');
      return '';
    });
    expect(h.stateJson(headKey({ type: 'schema', id: 'education.x' }))).toMatchObject({ seq: 1 });
    await h.run(client, async (ctx) => {
      const getState = jest.spyOn(ctx.stub, 'getState');
      expect((await appendTrail(ctx, 'grant', 'G1', 'GRANTED')).seq).toBe(1);
      expect(getState).toHaveBeenCalledTimes(1);
      return '';
    });
  });

  it('reports a missing entry, a broken link and a head that does not match', () => {
    const e1 = seal({ seq: 1, prevHash: GENESIS_HASH });
    const e2 = seal({ seq: 2, prevHash: e1.hash });
    const e3 = seal({ seq: 3, prevHash: e2.hash });
    expect(findBreak([e1, e2, e3], target, { seq: 3, hash: e3.hash })).toBeUndefined();
    expect(findBreak([e1, e3], target, { seq: 3, hash: e3.hash })).toEqual({
      seq: 2,
      reason: 'entry 2 is missing (found seq 3 in its place)',
    });
    const relinked = seal({ seq: 2, prevHash: GENESIS_HASH });
    expect(findBreak([e1, relinked], target, { seq: 2, hash: relinked.hash })).toEqual({
      seq: 2,
      reason: 'entry 2 does not link to the hash of entry 1',
    });
    expect(findBreak([e1, e2], target, { seq: 3, hash: e3.hash })).toEqual({
      seq: 3,
      reason: 'the chain head names entry 3 but 2 entries end the chain',
    });
    expect(findBreak([e1, e2], target, { seq: 2, hash: e3.hash })).toEqual({
      seq: 2,
      reason: "entry 2 does not match the chain head's hash",
    });
  });
});

/** A sealed test entry of record R1. */
function seal(fields: { seq: number; prevHash: string }): TrailEntry {
  const entry = {
    docType: 'trailEntry' as const,
    targetType: 'record' as const,
    targetId: 'R1',
    action: 'X',
    actorMsp: 'EducationMSP',
    actorId: 'x509::a::b',
    txId: `tx${fields.seq}`,
    at: '2025-01-01T00:00:00.000Z',
    details: {},
    ...fields,
  };
  return { ...entry, hash: entryHash(entry) };
}
