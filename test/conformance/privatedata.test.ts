import { createHash } from 'node:crypto';
import type { LegacyClient } from '../support/legacy';
import { conformanceNetwork, failureOf, legacyInvoke, legacyQuery, text, uniqueKey } from './support';

// Issue 9 item 2: private data. Collections come from test/fixtures/conformance-cc/collections_config.json
// (ImmigrationHealth: member-only read/write, requiredPeerCount 1; ImmigrationShortLived: blockToLive 2,
// in privatedata-expiry.test.ts;
// EducationEndorses and PullOnly: own endorsement policy OR('EducationMSP.peer'), PullOnly with
// maxPeerCount 0 so that nothing is pushed) plus the implicit per-org collections. Observed only through
// fabric-common (the peer CLI's path, choosing the endorsing peers) and fabric-gateway.
const c = conformanceNetwork();
const IMM = 'ImmigrationMSP';
const EDU = 'EducationMSP';
const HEA = 'HealthMSP';
const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');

let imm: LegacyClient;
let edu: LegacyClient;
beforeAll(async () => {
  imm = await c.legacy(IMM);
  edu = await c.legacy(EDU);
});
afterAll(() => {
  imm?.close();
  edu?.close();
});

const invoke = (
  client: LegacyClient,
  endorsers: string[],
  fcn: string,
  args: string[],
  transient?: Record<string, string>,
) => legacyInvoke(client, { chaincode: c.chaincode, endorsers, fcn, args, transient });
const query = (client: LegacyClient, peerOf: string, fcn: string, args: string[]) =>
  legacyQuery(client, { chaincode: c.chaincode, peerOf, fcn, args });

describe('a member-only collection (ImmigrationHealth)', () => {
  const key = uniqueKey('pvt');
  const secret = `secret-${key}`;
  let blockNumber = 0;
  let txId = '';
  beforeAll(async () => {
    const out = await invoke(imm, [IMM, HEA], 'PutPrivate', ['ImmigrationHealth', key, ''], {
      [key]: secret,
    });
    expect(out.validationCode).toBe('VALID');
    ({ blockNumber, txId } = out);
  });

  it('keeps transient data and private values out of the block; the rwset carries only hashes', async () => {
    const conn = c.gateway(IMM);
    try {
      const events = await conn.gateway
        .getNetwork(c.channel)
        .getBlockEvents({ startBlock: BigInt(blockNumber) });
      try {
        for await (const block of events) {
          const bytes = Buffer.from(block.serializeBinary());
          expect(bytes.includes(Buffer.from(secret))).toBe(false);
          expect(bytes.includes(Buffer.from(txId))).toBe(true);
          // The hash of the private value is there (hashed write of the collection).
          expect(bytes.includes(Buffer.from(sha256hex(secret), 'hex'))).toBe(true);
          break;
        }
      } finally {
        events.close();
      }
    } finally {
      conn.close();
    }
  });

  it('member peers hold the value: the endorsing peer and the peer it was disseminated to', async () => {
    expect((await query(imm, IMM, 'GetPrivate', ['ImmigrationHealth', key])).payload).toBe(secret);
    expect((await query(imm, HEA, 'GetPrivate', ['ImmigrationHealth', key])).payload).toBe(secret);
  });

  it('a non-member peer has only the hash: GetPrivateData fails as Fabric, GetPrivateDataHash works', async () => {
    const r = await query(imm, EDU, 'GetPrivate', ['ImmigrationHealth', key]);
    expect(r.status).toBe(500);
    expect(r.message).toContain('private data matching public hash version is not available');
    expect((await query(imm, EDU, 'GetPrivateHash', ['ImmigrationHealth', key])).payload).toBe(
      sha256hex(secret),
    );
  });

  it('memberOnlyRead refuses a creator of a non-member org, even on a member peer', async () => {
    const r = await query(edu, IMM, 'GetPrivate', ['ImmigrationHealth', key]);
    expect(r.status).toBe(500);
    expect(r.message).toContain(
      `tx creator does not have read access permission on privatedata in chaincodeName:${c.chaincode} collectionName: ImmigrationHealth`,
    );
  });

  it('memberOnlyWrite refuses a creator of a non-member org', async () => {
    const msg = await failureOf(
      invoke(edu, [IMM, HEA], 'PutPrivate', ['ImmigrationHealth', uniqueKey('w'), 'x']),
    );
    expect(msg).toContain(
      `tx creator does not have write access permission on privatedata in chaincodeName:${c.chaincode} collectionName: ImmigrationHealth`,
    );
  });

  it('an undefined collection is refused', async () => {
    const r = await query(imm, IMM, 'GetPrivate', ['NoSuchCollection', key]);
    expect(r.status).toBe(500);
    expect(r.message).toContain('NoSuchCollection');
  });

  it('DelPrivateData removes the value and its hash', async () => {
    const k = uniqueKey('del');
    await invoke(imm, [IMM, HEA], 'PutPrivate', ['ImmigrationHealth', k, 'v']);
    expect((await invoke(imm, [IMM, HEA], 'DelPrivate', ['ImmigrationHealth', k])).validationCode).toBe(
      'VALID',
    );
    expect((await query(imm, IMM, 'GetPrivate', ['ImmigrationHealth', k])).payload).toBe('');
    expect((await query(imm, EDU, 'GetPrivateHash', ['ImmigrationHealth', k])).payload).toBe('');
  });

  it('PurgePrivateData removes the value and its hash', async () => {
    const k = uniqueKey('purge');
    await invoke(imm, [IMM, HEA], 'PutPrivate', ['ImmigrationHealth', k, 'v']);
    expect((await invoke(imm, [IMM, HEA], 'PurgePrivate', ['ImmigrationHealth', k])).validationCode).toBe(
      'VALID',
    );
    expect((await query(imm, HEA, 'GetPrivate', ['ImmigrationHealth', k])).payload).toBe('');
    expect((await query(imm, EDU, 'GetPrivateHash', ['ImmigrationHealth', k])).payload).toBe('');
  });

  it('reads through fabric-gateway Evaluate on a member peer', async () => {
    const conn = c.gateway(HEA);
    try {
      expect(text(await c.contract(conn).evaluateTransaction('GetPrivate', 'ImmigrationHealth', key))).toBe(
        secret,
      );
    } finally {
      conn.close();
    }
  });
});

describe('a collection endorsement policy (EducationEndorses: OR(EducationMSP.peer))', () => {
  it('replaces the chaincode policy for private writes: Education alone suffices', async () => {
    const k = uniqueKey('collep');
    expect((await invoke(edu, [EDU], 'PutPrivate', ['EducationEndorses', k, 'v'])).validationCode).toBe(
      'VALID',
    );
    expect((await query(imm, IMM, 'GetPrivate', ['EducationEndorses', k])).payload).toBe('v');
  });

  it('a write it does not endorse is ENDORSEMENT_POLICY_FAILURE, even with the chaincode policy met', async () => {
    const k = uniqueKey('collep');
    expect((await invoke(imm, [IMM, HEA], 'PutPrivate', ['EducationEndorses', k, 'v'])).validationCode).toBe(
      'ENDORSEMENT_POLICY_FAILURE',
    );
  });
});

describe('a member peer that missed the data at endorsement (PullOnly: nothing is pushed)', () => {
  it('fetches it from another member peer at commit', async () => {
    const k = uniqueKey('pull');
    expect((await invoke(edu, [EDU], 'PutPrivate', ['PullOnly', k, 'pulled'])).validationCode).toBe('VALID');
    expect((await query(imm, IMM, 'GetPrivate', ['PullOnly', k])).payload).toBe('pulled');
  });
});

describe('implicit collections', () => {
  it('_implicit_org_<MSPID> exists for every org; its org endorses its writes', async () => {
    const k = uniqueKey('implicit');
    const coll = `_implicit_org_${IMM}`;
    expect((await invoke(imm, [IMM], 'PutPrivate', [coll, k, 'mine'])).validationCode).toBe('VALID');
    expect((await query(imm, IMM, 'GetPrivate', [coll, k])).payload).toBe('mine');
    expect((await query(imm, HEA, 'GetPrivateHash', [coll, k])).payload).toBe(sha256hex('mine'));
  });
});

describe('through fabric-gateway', () => {
  it('submits a private write with transient data (endorsed by member orgs only) and reads it back on a member peer', async () => {
    const k = uniqueKey('gwpvt');
    const conn = c.gateway(IMM);
    const health = c.gateway(HEA);
    try {
      const proposal = c.contract(conn).newProposal('PutPrivate', {
        arguments: ['ImmigrationHealth', k, ''],
        transientData: { [k]: 'via-gateway' },
      });
      const tx = await proposal.endorse();
      // The prepared transaction carries no transient data and no private value.
      expect(Buffer.from(tx.getBytes()).includes(Buffer.from('via-gateway'))).toBe(false);
      const commit = await tx.submit();
      expect((await commit.getStatus()).successful).toBe(true);
      expect(text(await c.contract(health).evaluateTransaction('GetPrivate', 'ImmigrationHealth', k))).toBe(
        'via-gateway',
      );
      // A submitted private read is endorsed by members only, so it commits.
      expect(text(await c.contract(conn).submitTransaction('GetPrivate', 'ImmigrationHealth', k))).toBe(
        'via-gateway',
      );
    } finally {
      conn.close();
      health.close();
    }
  });
});
