import '../testing/quiet-logs';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { AccessDeniedError, InvalidArgumentError } from '../lib/errors';
import { GovernanceDriver, threeMinistries, type TestMinistries } from '../testing/governance';
import { ContractHarness } from '../testing/harness';
import { newIdentity, type TestIdentity } from '../testing/identities';
import { LedgerContract } from './ledger';
import { SchemasContract } from './schemas';
import { VerificationContract } from './verification';

const ledger = new LedgerContract();
const schemas = new SchemasContract();
const verification = new VerificationContract();

const SALT = Buffer.alloc(32, 0x3c);
const SUBJECT = 'psn:9f86d081884c7d659a2feaa0c55ad015';
const payload = { degree: 'BSc Computer Science', year: 2024 };
const personal = { name: 'Ana Lima', birthDate: '2001-04-09' };
const schema = {
  type: 'object',
  required: ['degree', 'year', 'name'],
  properties: {
    degree: { type: 'string' },
    year: { type: 'integer' },
    name: { type: 'string' },
    birthDate: { type: 'string' },
  },
};

/** The scheme 2 hash of a record's whole document, computed independently. */
function hashOf(recordId: string, document: object): string {
  const text = canonicalize({ document, recordId, salt: SALT.toString('hex'), scheme: 2 })!;
  return createHash('sha256').update(text).digest('hex');
}

/** Every public state value as text. */
function publicText(h: ContractHarness): string {
  return [...h.world.state.values()].map((v) => Buffer.from(v).toString('utf8')).join('\n');
}

describe('verification contract', () => {
  let m: TestMinistries;
  let clerk: TestIdentity;
  let h: ContractHarness;

  beforeAll(async () => {
    m = await threeMinistries();
    clerk = await newIdentity('EducationMSP', 'Clerk@education.egov.local', ['client']);
  });

  /** Registers record `id` for {@link SUBJECT} as Education's admin. */
  async function register(id: string, subjectRef = SUBJECT): Promise<string> {
    await h.run(
      m.edu.admin,
      (ctx) =>
        ledger.RegisterRecord(
          ctx,
          JSON.stringify({ id, category: 'G2C', recordType: 'education.credential', subjectRef, payload }),
        ),
      undefined,
      {
        transient: new Map([
          ['personal', Buffer.from(JSON.stringify(personal))],
          ['salt', SALT],
        ]),
      },
    );
    return hashOf(id, { ...payload, ...personal });
  }

  const verify = (who: TestIdentity, recordId: string, hash: string, asPublic = 'true') =>
    h.run(who, (ctx) => verification.Verify(ctx, recordId, hash, asPublic));
  const list = (who: TestIdentity, subjectRef = SUBJECT, pageSize = '10', bookmark = '') =>
    h.run(who, (ctx) => verification.ListVerifications(ctx, subjectRef, pageSize, bookmark));

  beforeEach(async () => {
    h = new ContractHarness();
    await h.run(m.edu.admin, (ctx) =>
      schemas.RegisterSchema(
        ctx,
        'education.credential',
        JSON.stringify({ schema, personalFields: ['name', 'birthDate'] }),
      ),
    );
  });

  it('is named "verification"', () => {
    expect(verification.getName()).toBe('verification');
  });

  it('finds a matching document, says what it is and where it was registered, and logs it as public', async () => {
    const hash = await register('EDU-1');
    const out = await verify(m.imm.client, 'EDU-1', hash);
    const result = JSON.parse(out.result);
    expect(result).toMatchObject({
      found: true,
      outcome: 'ACTIVE',
      matched: true,
      id: 'EDU-1',
      status: 'ACTIVE',
      issuerMsp: 'EducationMSP',
      recordType: 'education.credential',
      hashScheme: 2,
      registeredTxId: expect.stringMatching(/^[0-9a-f]{64}$/),
      verification: { txId: out.txId, verifier: 'public', verifiedAt: '2025-03-01T09:00:03.000Z' },
    });
    const key = out.stub.createCompositeKey('verification', ['EducationMSP', SUBJECT, 'EDU-1', out.txId]);
    expect(JSON.parse(Buffer.from(h.world.state.get(key)!).toString())).toEqual({
      docType: 'verification',
      txId: out.txId,
      verifiedAt: '2025-03-01T09:00:03.000Z',
      verifier: 'public',
      outcome: 'ACTIVE',
      recordId: 'EDU-1',
      recordType: 'education.credential',
      matched: true,
    });
    // nothing personal in the answer or on the public ledger, and not the hash verified
    for (const text of [out.result, publicText(h)]) {
      expect(text).not.toContain('Ana Lima');
      expect(text).not.toContain('2001-04-09');
    }
    expect(Buffer.from(h.world.state.get(key)!).toString()).not.toContain(hash);
  });

  it('logs the caller organization when it verifies for itself, one key per verification', async () => {
    const hash = await register('EDU-1');
    const a = await verify(m.imm.client, 'EDU-1', hash, 'false');
    const b = await verify(m.health.client, '', hash, 'false');
    expect(JSON.parse(a.result).verification.verifier).toBe('ImmigrationMSP');
    expect(JSON.parse(b.result)).toMatchObject({
      id: 'EDU-1',
      matched: true,
      verification: { verifier: 'HealthMSP' },
    });
    // each verification wrote exactly one new key: its own, named by its transaction
    expect([...a.stub.writes.keys()]).toEqual([
      a.stub.createCompositeKey('verification', ['EducationMSP', SUBJECT, 'EDU-1', a.txId]),
    ]);
    expect([...b.stub.writes.keys()]).toEqual([
      b.stub.createCompositeKey('verification', ['EducationMSP', SUBJECT, 'EDU-1', b.txId]),
    ]);
  });

  it('reports a changed document as MISMATCH, and an unknown one as NOT_FOUND, both logged', async () => {
    await register('EDU-1');
    const tampered = hashOf('EDU-1', { ...payload, year: 2023, ...personal });
    const mismatch = JSON.parse((await verify(m.imm.client, 'EDU-1', tampered)).result);
    expect(mismatch).toMatchObject({ found: true, outcome: 'MISMATCH', matched: false, id: 'EDU-1' });
    const unknown = await verify(m.imm.client, '', 'ab'.repeat(32));
    expect(JSON.parse(unknown.result)).toEqual({
      found: false,
      outcome: 'NOT_FOUND',
      verification: { txId: unknown.txId, verifier: 'public', verifiedAt: expect.any(String) },
    });
    const key = unknown.stub.createCompositeKey('verification.unmatched', [unknown.txId]);
    expect(JSON.parse(Buffer.from(h.world.state.get(key)!).toString())).toMatchObject({
      outcome: 'NOT_FOUND',
      verifier: 'public',
    });
    expect(JSON.parse((await verify(m.imm.client, 'EDU-404', tampered)).result).outcome).toBe('NOT_FOUND');
  });

  it('tells a revoked record, and a superseded one with its newer version', async () => {
    const hash = await register('EDU-1');
    const hash2 = await register('EDU-2');
    await h.run(m.edu.admin, (ctx) => ledger.RevokeRecord(ctx, 'EDU-1', 'issued in error'));
    await h.run(
      m.edu.admin,
      (ctx) =>
        ledger.AmendRecord(
          ctx,
          'EDU-2',
          JSON.stringify({ newId: 'EDU-3', payload: { ...payload, year: 2025 }, reason: 'typo' }),
        ),
      undefined,
      {
        transient: new Map([
          ['personal', Buffer.from(JSON.stringify(personal))],
          ['salt', SALT],
        ]),
      },
    );
    expect(JSON.parse((await verify(m.imm.client, 'EDU-1', hash)).result)).toMatchObject({
      outcome: 'REVOKED',
      matched: true,
    });
    expect(JSON.parse((await verify(m.imm.client, 'EDU-2', hash2)).result)).toMatchObject({
      outcome: 'SUPERSEDED',
      matched: true,
      supersededBy: 'EDU-3',
    });
    // by record id alone: the status, no claim about a document
    const byId = JSON.parse((await verify(m.imm.client, 'EDU-1', '')).result);
    expect(byId).toMatchObject({ outcome: 'REVOKED', status: 'REVOKED' });
    expect(byId).not.toHaveProperty('matched');
  });

  it('refuses bad arguments, naming them, and writes nothing', async () => {
    const before = h.world.snapshot();
    await expect(verify(m.imm.client, '', '')).rejects.toThrow(/^recordId or hash is required/);
    await expect(verify(m.imm.client, 'EDU 1', '')).rejects.toThrow(/^recordId must be 1-128 characters/);
    await expect(verify(m.imm.client, '', 'xyz')).rejects.toThrow(/^hash must be a SHA-256 digest/);
    await expect(verify(m.imm.client, 'EDU-1', '', 'yes')).rejects.toThrow(
      new InvalidArgumentError('onBehalfOfPublic must be true or false'),
    );
    expect(h.world.snapshot()).toEqual(before);
  });

  describe('ListVerifications', () => {
    it("lists who verified a subject's records and when, to the issuing ministry, page by page", async () => {
      const hash = await register('EDU-1');
      await register('EDU-2');
      await register('EDU-9', 'psn:0000000000000000aaaa');
      await verify(m.imm.client, 'EDU-1', hash, 'false');
      await verify(m.health.client, 'EDU-2', '');
      await verify(m.health.client, 'EDU-9', '');
      const first = JSON.parse((await list(m.edu.admin, SUBJECT, '1')).result);
      expect(first.items).toEqual([
        expect.objectContaining({ recordId: 'EDU-1', verifier: 'ImmigrationMSP', outcome: 'ACTIVE' }),
      ]);
      expect(first.bookmark).not.toBe('');
      const second = JSON.parse((await list(m.edu.admin, SUBJECT, '1', first.bookmark)).result);
      expect(second.items).toEqual([
        expect.objectContaining({ recordId: 'EDU-2', verifier: 'public', verifiedAt: expect.any(String) }),
      ]);
      const all = JSON.parse((await list(m.edu.admin)).result);
      expect(all.items.map((e: { recordId: string }) => e.recordId)).toEqual(['EDU-1', 'EDU-2']);
      expect(all.bookmark).toBe('');
    });

    it("shows a ministry only its own records' verifications", async () => {
      const hash = await register('EDU-1');
      await verify(m.imm.client, 'EDU-1', hash);
      expect(JSON.parse((await list(m.health.admin)).result)).toEqual({ items: [], bookmark: '' });
    });

    it('lets an issuer of the ministry list, and refuses an officer without the role', async () => {
      const hash = await register('EDU-1');
      await verify(m.imm.client, 'EDU-1', hash);
      await expect(list(clerk)).rejects.toThrow(AccessDeniedError);
      await expect(list(clerk)).rejects.toThrow(/lacks role issuer: only its ministry's admin or issuers/);
      const d = new GovernanceDriver(h, m);
      await d.grant(m.edu.admin, { holder: await d.idOf(clerk), role: 'issuer', scope: 'G2C/education' });
      expect(JSON.parse((await list(clerk)).result).items).toHaveLength(1);
    });

    it('refuses a bad subject reference, page size or bookmark', async () => {
      await expect(list(m.edu.admin, 'bob')).rejects.toThrow(/^subjectRef must be a pseudonymous reference/);
      await expect(list(m.edu.admin, SUBJECT, '0')).rejects.toThrow(
        /^pageSize must be an integer from 1 to 100/,
      );
      await expect(list(m.edu.admin, SUBJECT, '10', '\u0000record\u0000')).rejects.toThrow(
        /^bookmark must be empty or the bookmark of the previous page/,
      );
    });
  });
});
