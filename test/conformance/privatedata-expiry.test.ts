import type { LegacyClient } from '../support/legacy';
import { conformanceNetwork, legacyInvoke, legacyQuery, uniqueKey } from './support';

// Issue 9 item 2, private data: blockToLive (see privatedata.test.ts). Apart because it counts blocks:
// it runs alone (test/batches.js), so that no other suite's block purges the value early.
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

const invoke = (client: LegacyClient, endorsers: string[], fcn: string, args: string[]) =>
  legacyInvoke(client, { chaincode: c.chaincode, endorsers, fcn, args });
const query = (client: LegacyClient, peerOf: string, fcn: string, args: string[]) =>
  legacyQuery(client, { chaincode: c.chaincode, peerOf, fcn, args });

describe('blockToLive (ImmigrationShortLived: 2)', () => {
  it('keeps the value for 2 blocks after the one that wrote it, then purges value and hash', async () => {
    const k = uniqueKey('btl');
    const written = await invoke(imm, [IMM, EDU], 'PutPrivate', ['ImmigrationShortLived', k, 'brief']);
    expect(written.validationCode).toBe('VALID');
    let last = written.blockNumber;
    while (last < written.blockNumber + 2)
      last = (await invoke(imm, [IMM, EDU], 'Put', [uniqueKey('tick'), 't'])).blockNumber;
    if (last === written.blockNumber + 2) {
      expect((await query(imm, IMM, 'GetPrivate', ['ImmigrationShortLived', k])).payload).toBe('brief');
    }
    while (last < written.blockNumber + 3)
      last = (await invoke(imm, [IMM, EDU], 'Put', [uniqueKey('tick'), 't'])).blockNumber;
    expect((await query(imm, IMM, 'GetPrivate', ['ImmigrationShortLived', k])).payload).toBe('');
    expect((await query(imm, EDU, 'GetPrivateHash', ['ImmigrationShortLived', k])).payload).toBe('');
  });
});
