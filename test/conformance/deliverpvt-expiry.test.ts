import type { LegacyClient } from '../support/legacy';
import { privateBlock, writesOf } from './privateblocks';
import { conformanceNetwork, legacyInvoke, uniqueKey } from './support';

// Issue 9 item 5, DeliverWithPrivateData after blockToLive (see deliverpvt.test.ts). Apart because it
// counts blocks: it runs alone (test/batches.js), so that no other suite's block expires the data early.
const c = conformanceNetwork();
const IMM = 'ImmigrationMSP';
const EDU = 'EducationMSP';

let imm: LegacyClient;
beforeAll(async () => {
  imm = await c.legacy(IMM);
});
afterAll(() => {
  imm?.close();
});

const invoke = (endorsers: string[], fcn: string, args: string[]) =>
  legacyInvoke(imm, { chaincode: c.chaincode, endorsers, fcn, args });

describe('DeliverWithPrivateData after blockToLive (ImmigrationShortLived: 2)', () => {
  it('sends the private data while it lives and none once it expired (written at n, gone from n + 3)', async () => {
    const key = uniqueKey('dbtl');
    const out = await invoke([IMM, EDU], 'PutPrivate', ['ImmigrationShortLived', key, 'brief']);
    expect(out.validationCode).toBe('VALID');
    // Right after its commit (nobody else writes to this network meanwhile) the data lives.
    expect(writesOf(await privateBlock(c, imm, IMM, out.blockNumber), out.txId)).toEqual([
      { namespace: c.chaincode, collection: 'ImmigrationShortLived', key, value: 'brief' },
    ]);
    let last = out.blockNumber;
    const tick = async () => (last = (await invoke([IMM, EDU], 'Put', [uniqueKey('tick'), 't'])).blockNumber);
    while (last < out.blockNumber + 3) await tick();
    const b = await privateBlock(c, imm, IMM, out.blockNumber);
    expect(b.txIds).toContain(out.txId);
    expect(writesOf(b, out.txId)).toBeUndefined();
  });
});
