import '../testing/quiet-logs';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from '../lib/errors';
import { ContractHarness } from '../testing/harness';
import { ministryIdentities, type TestIdentity } from '../testing/identities';
import { LedgerContract } from './ledger';

const payload = { degree: 'BSc Computer Science', grade: 1.0, year: 2024 };
const recordInput = {
  id: 'EDU-2025-000123',
  category: 'G2C',
  recordType: 'education.credential',
  subjectRef: 'psn:9f86d081884c7d659a2feaa0c55ad015',
  payload,
};
/** sha256 of '{"degree":"BSc Computer Science","grade":1,"year":2024}', computed with sha256sum. */
const PAYLOAD_HASH = 'a21603e468c7f2e7e1de1364db5d9c990d2c8d6ad45b35d64a2c7abe3aead423';

describe('ledger contract', () => {
  const ledger = new LedgerContract();
  let issuer: TestIdentity;
  let verifier: TestIdentity;

  beforeAll(async () => {
    issuer = (await ministryIdentities('EducationMSP')).client;
    verifier = (await ministryIdentities('ImmigrationMSP')).client;
  });

  it('is named "ledger" so that ledger:RegisterRecord routes to it', () => {
    expect(ledger.getName()).toBe('ledger');
  });

  describe('RegisterRecord', () => {
    it('stores the record, the hash index and an audit entry, emits RecordRegistered and returns {id, hash, txId, status}', async () => {
      const h = new ContractHarness();
      const { result, stub, event, txId } = await h.run(issuer, (ctx) =>
        ledger.RegisterRecord(ctx, JSON.stringify(recordInput)),
      );
      const returned = JSON.parse(result);
      expect(returned).toEqual({
        id: recordInput.id,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        txId,
        status: 'ACTIVE',
      });
      expect(result).toBe(
        `{"hash":"${returned.hash}","id":"EDU-2025-000123","status":"ACTIVE","txId":"${txId}"}`,
      );

      const record = h.stateJson(stub.createCompositeKey('record', [recordInput.id]));
      expect(record).toEqual({
        docType: 'record',
        id: recordInput.id,
        category: 'G2C',
        recordType: 'education.credential',
        subjectRef: recordInput.subjectRef,
        issuerMsp: 'EducationMSP',
        issuerId: expect.stringMatching(/^x509::\/C=US\/.*\/CN=User1@education\.egov\.local::/),
        hash: returned.hash,
        status: 'ACTIVE',
        version: 1,
        createdAt: '2025-03-01T09:00:01.000Z',
        updatedAt: '2025-03-01T09:00:01.000Z',
        txId,
        payload,
      });
      const indexValue = h.world.state.get(
        stub.createCompositeKey('hash~record', [returned.hash, recordInput.id]),
      );
      expect(indexValue && Buffer.from(indexValue)).toEqual(Buffer.from([0]));
      expect(h.stateJson(stub.createCompositeKey('audit~record~txId', [recordInput.id, txId]))).toMatchObject(
        {
          action: 'RECORD_REGISTERED',
          actorMsp: 'EducationMSP',
          status: 'ACTIVE',
          hash: returned.hash,
        },
      );
      expect(h.world.state.size).toBe(3);

      expect(event?.name).toBe('RecordRegistered');
      expect(JSON.parse(Buffer.from(event!.payload).toString())).toEqual({
        id: recordInput.id,
        recordType: 'education.credential',
        hash: returned.hash,
        status: 'ACTIVE',
      });
    });

    it('hashes the payload as SHA-256 of its RFC 8785 form, whatever the key order or number spelling', async () => {
      const h = new ContractHarness();
      const first = await h.run(issuer, (ctx) => ledger.RegisterRecord(ctx, JSON.stringify(recordInput)));
      const respelled = JSON.stringify({ ...recordInput, id: 'EDU-2', payload: {} }).replace(
        '"payload":{}',
        '"payload":{"year":2.024e3,"grade":1.00,"degree":"BSc Computer Science"}',
      );
      const second = await h.run(issuer, (ctx) => ledger.RegisterRecord(ctx, respelled));
      expect(JSON.parse(first.result).hash).toBe(PAYLOAD_HASH);
      expect(JSON.parse(second.result).hash).toBe(PAYLOAD_HASH);
    });

    it('refuses a duplicate id and writes nothing', async () => {
      const h = new ContractHarness();
      await h.run(issuer, (ctx) => ledger.RegisterRecord(ctx, JSON.stringify(recordInput)));
      const before = h.world.snapshot();
      const again = JSON.stringify({ ...recordInput, payload: { other: true } });
      await expect(h.run(issuer, (ctx) => ledger.RegisterRecord(ctx, again))).rejects.toThrow(
        new AlreadyExistsError('record EDU-2025-000123 already exists'),
      );
      expect(h.world.snapshot()).toEqual(before);
    });

    it.each([
      ['bad JSON', '{', 'recordJson is not valid JSON'],
      [
        'a missing field',
        JSON.stringify({ ...recordInput, recordType: undefined }),
        'field "recordType" is missing',
      ],
      [
        'a bad category',
        JSON.stringify({ ...recordInput, category: 'B2B' }),
        'field "category" must be one of',
      ],
    ])('refuses %s before touching the state', async (_name, json, message) => {
      const h = new ContractHarness();
      const attempt = h.run(issuer, (ctx) => ledger.RegisterRecord(ctx, json));
      await expect(attempt).rejects.toThrow(InvalidArgumentError);
      await expect(h.run(issuer, (ctx) => ledger.RegisterRecord(ctx, json))).rejects.toThrow(message);
      expect(h.world.state.size).toBe(0);
    });

    it('is deterministic: the same input and transaction give byte-identical state, event and result', async () => {
      const runOnce = async () => {
        const h = new ContractHarness();
        const txId = 'c0ffee'.padEnd(64, '0');
        const outcome = await h.run(
          issuer,
          (ctx) => ledger.RegisterRecord(ctx, JSON.stringify(recordInput)),
          txId,
        );
        return {
          state: h.world.snapshot(),
          result: outcome.result,
          event: Buffer.from(outcome.event!.payload).toString('hex'),
        };
      };
      const [a, b] = [await runOnce(), await runOnce()];
      expect(a.state.length).toBe(3);
      expect(b).toEqual(a);
    });
  });

  describe('GetRecord', () => {
    it('returns the stored record as canonical JSON', async () => {
      const h = new ContractHarness();
      const registered = await h.run(issuer, (ctx) =>
        ledger.RegisterRecord(ctx, JSON.stringify(recordInput)),
      );
      const { result } = await h.run(verifier, (ctx) => ledger.GetRecord(ctx, recordInput.id));
      const stored = h.world.state.get(registered.stub.createCompositeKey('record', [recordInput.id]))!;
      expect(result).toBe(Buffer.from(stored).toString('utf8'));
      expect(JSON.parse(result)).toMatchObject({ id: recordInput.id, payload });
    });

    it('says "record X does not exist" for an unknown id', async () => {
      const h = new ContractHarness();
      await expect(h.run(verifier, (ctx) => ledger.GetRecord(ctx, 'NOPE-1'))).rejects.toThrow(
        new NotFoundError('record NOPE-1 does not exist'),
      );
    });

    it('refuses a malformed id', async () => {
      const h = new ContractHarness();
      await expect(h.run(verifier, (ctx) => ledger.GetRecord(ctx, ''))).rejects.toThrow(
        'id must be 1-128 characters',
      );
    });
  });

  describe('VerifyHash', () => {
    it('finds a registered document by its hash (any hex case) and reports issuer, status and time', async () => {
      const h = new ContractHarness();
      const registered = await h.run(issuer, (ctx) =>
        ledger.RegisterRecord(ctx, JSON.stringify(recordInput)),
      );
      const { result } = await h.run(verifier, (ctx) => ledger.VerifyHash(ctx, PAYLOAD_HASH.toUpperCase()));
      expect(JSON.parse(result)).toEqual({
        found: true,
        id: recordInput.id,
        status: 'ACTIVE',
        issuerMsp: 'EducationMSP',
        recordType: 'education.credential',
        registeredAt: '2025-03-01T09:00:01.000Z',
        txId: registered.txId,
      });
    });

    it('reports found:false for a hash no record has', async () => {
      const h = new ContractHarness();
      await h.run(issuer, (ctx) => ledger.RegisterRecord(ctx, JSON.stringify(recordInput)));
      const unknown = await h.run(verifier, (ctx) => ledger.VerifyHash(ctx, 'f'.repeat(64)));
      expect(unknown.result).toBe('{"found":false}');
    });

    it('reports the record with the smallest id when two records share a payload hash', async () => {
      const h = new ContractHarness();
      await h.run(issuer, (ctx) =>
        ledger.RegisterRecord(ctx, JSON.stringify({ ...recordInput, id: 'EDU-B' })),
      );
      await h.run(issuer, (ctx) =>
        ledger.RegisterRecord(ctx, JSON.stringify({ ...recordInput, id: 'EDU-A' })),
      );
      const { result } = await h.run(verifier, (ctx) => ledger.VerifyHash(ctx, PAYLOAD_HASH));
      expect(JSON.parse(result)).toMatchObject({ found: true, id: 'EDU-A' });
    });

    it.each([
      ['too short', 'abc'],
      ['not hex', 'g'.repeat(64)],
      ['too long', 'a'.repeat(65)],
      ['empty', ''],
    ])('refuses a malformed hash (%s)', async (_name, hash) => {
      const h = new ContractHarness();
      await expect(h.run(verifier, (ctx) => ledger.VerifyHash(ctx, hash))).rejects.toThrow(
        new InvalidArgumentError('hash must be a SHA-256 digest: 64 hex characters'),
      );
    });
  });
});
