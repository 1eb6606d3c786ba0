import type { LegacyClient } from '../support/legacy';
import { privateBlock as readPrivateBlock, writesOf, type PrivateBlock } from './privateblocks';
import { conformanceNetwork, legacyInvoke, uniqueKey } from './support';

// Issue 9 item 5: Deliver of blocks WITH private data (protos.Deliver/DeliverWithPrivateData, ACL event/Block), as
// fabric core/peer/deliverevents.go does it: with each block, the private write sets the serving peer holds
// (committed, not expired) of the collections the requesting client is eligible for. A collection with
// memberOnlyRead needs the client to satisfy its member orgs policy; one without goes to any block reader.
// Observed only through fabric-common's EventService with blockType 'private'.
const c = conformanceNetwork();
const IMM = 'ImmigrationMSP';
const EDU = 'EducationMSP';
const HEA = 'HealthMSP';

const clients = new Map<string, LegacyClient>();
beforeAll(async () => {
  for (const m of [IMM, EDU, HEA]) clients.set(m, await c.legacy(m));
});
afterAll(() => {
  for (const l of clients.values()) l.close();
});
const client = (mspId: string): LegacyClient => clients.get(mspId) as LegacyClient;

const invoke = (
  from: string,
  endorsers: string[],
  fcn: string,
  args: string[],
  transient?: Record<string, string>,
) => legacyInvoke(client(from), { chaincode: c.chaincode, endorsers, fcn, args, transient });

/** Block `n` with private data, asked by `asMsp`'s User1 of `peerMsp`'s peer. */
const privateBlock = (asMsp: string, peerMsp: string, n: number): Promise<PrivateBlock> =>
  readPrivateBlock(c, client(asMsp), peerMsp, n);

describe('DeliverWithPrivateData of a member-only collection (ImmigrationHealth: memberOnlyRead)', () => {
  const key = uniqueKey('dpvt');
  const secret = `secret-${key}`;
  let written = { txId: '', blockNumber: 0 };
  beforeAll(async () => {
    const out = await invoke(IMM, [IMM, HEA], 'PutPrivate', ['ImmigrationHealth', key, ''], {
      [key]: secret,
    });
    expect(out.validationCode).toBe('VALID');
    written = out;
  });

  it("gives a member org's client the private values of the tx, under its sequence in the block", async () => {
    for (const [asMsp, peerMsp] of [
      [IMM, IMM],
      [HEA, IMM],
      [IMM, HEA],
    ]) {
      const b = await privateBlock(asMsp, peerMsp, written.blockNumber);
      expect(b.number).toBe(written.blockNumber);
      expect(writesOf(b, written.txId)).toEqual([
        { namespace: c.chaincode, collection: 'ImmigrationHealth', key, value: secret },
      ]);
    }
  });

  it("gives a non-member org's client the block but no private data of that collection, even from a member peer", async () => {
    const b = await privateBlock(EDU, IMM, written.blockNumber);
    expect(b.number).toBe(written.blockNumber);
    expect(b.txIds).toContain(written.txId);
    expect(writesOf(b, written.txId)).toBeUndefined();
  });

  it('reaches fabric-gateway getBlockAndPrivateDataEvents (a member org through its own peer)', async () => {
    const conn = c.gateway(HEA);
    try {
      const events = await conn.gateway
        .getNetwork(c.channel)
        .getBlockAndPrivateDataEvents({ startBlock: BigInt(written.blockNumber) });
      try {
        for await (const bapd of events) {
          expect(bapd.getBlock()?.getHeader()?.getNumber()).toBe(written.blockNumber);
          const sets = [...bapd.getPrivateDataMapMap().entries()].map(([, v]) => v);
          const colls = sets.flatMap((t) =>
            t.getNsPvtRwsetList().flatMap((n) => n.getCollectionPvtRwsetList()),
          );
          const mine = colls.find((col) => col.getCollectionName() === 'ImmigrationHealth');
          expect(Buffer.from(mine?.getRwset_asU8() ?? []).includes(Buffer.from(secret))).toBe(true);
          break;
        }
      } finally {
        events.close();
      }
    } finally {
      conn.close();
    }
  });

  it('a non-member peer holds none to send, even to a member client', async () => {
    const b = await privateBlock(IMM, EDU, written.blockNumber);
    expect(b.txIds).toContain(written.txId);
    expect(writesOf(b, written.txId)).toBeUndefined();
  });
});

describe('DeliverWithPrivateData after PurgePrivateData (Fabric 2.5 purge markers)', () => {
  it('drops the purged key from the write sets of the purge and of every earlier tx, keeping the collection', async () => {
    const key = uniqueKey('dpurge');
    const other = uniqueKey('dkeep');
    const put = await invoke(IMM, [IMM, HEA], 'PutPrivate', ['ImmigrationHealth', key, 'to-purge']);
    const keep = await invoke(IMM, [IMM, HEA], 'PutPrivate', ['ImmigrationHealth', other, 'kept']);
    const purged = await invoke(IMM, [IMM, HEA], 'PurgePrivate', ['ImmigrationHealth', key]);
    expect([put.validationCode, keep.validationCode, purged.validationCode]).toEqual([
      'VALID',
      'VALID',
      'VALID',
    ]);
    for (const peerMsp of [IMM, HEA]) {
      expect(writesOf(await privateBlock(IMM, peerMsp, put.blockNumber), put.txId)).toEqual([]);
      expect(writesOf(await privateBlock(IMM, peerMsp, purged.blockNumber), purged.txId)).toEqual([]);
      expect(writesOf(await privateBlock(IMM, peerMsp, keep.blockNumber), keep.txId)).toEqual([
        { namespace: c.chaincode, collection: 'ImmigrationHealth', key: other, value: 'kept' },
      ]);
    }
  });
});

describe('DeliverWithPrivateData of a collection without memberOnlyRead (EducationEndorses)', () => {
  it('gives its private values to any client allowed to receive blocks, member or not (Fabric collPolicyChecker)', async () => {
    const key = uniqueKey('dopen');
    const out = await invoke(EDU, [EDU], 'PutPrivate', ['EducationEndorses', key, 'open-value']);
    expect(out.validationCode).toBe('VALID');
    const b = await privateBlock(HEA, EDU, out.blockNumber);
    expect(writesOf(b, out.txId)).toEqual([
      { namespace: c.chaincode, collection: 'EducationEndorses', key, value: 'open-value' },
    ]);
  });
});

describe('DeliverWithPrivateData of an implicit collection (not memberOnlyRead)', () => {
  it("gives _implicit_org_<MSPID>'s private values to another org's client reading the owner's peer", async () => {
    const key = uniqueKey('dimpl');
    const coll = `_implicit_org_${IMM}`;
    const out = await invoke(IMM, [IMM], 'PutPrivate', [coll, key, 'own-org']);
    expect(out.validationCode).toBe('VALID');
    const expected = [{ namespace: c.chaincode, collection: coll, key, value: 'own-org' }];
    expect(writesOf(await privateBlock(EDU, IMM, out.blockNumber), out.txId)).toEqual(expected);
    // Other orgs' peers are not members: they hold nothing to send.
    expect(writesOf(await privateBlock(IMM, EDU, out.blockNumber), out.txId)).toBeUndefined();
  });
});
