import '../testing/quiet-logs';
import { AccessDeniedError, InvalidArgumentError, NotFoundError } from '../lib/errors';
import { ContractHarness } from '../testing/harness';
import { ministryIdentities, type TestIdentity } from '../testing/identities';
import { SchemasContract } from './schemas';

const credentialSchema = {
  type: 'object',
  required: ['degree', 'name'],
  properties: {
    degree: { type: 'string' },
    name: { type: 'string' },
    birthDate: { type: 'string', format: 'date' },
  },
};
const schemaJson = JSON.stringify({ schema: credentialSchema, personalFields: ['name', 'birthDate'] });

describe('schemas contract', () => {
  const schemas = new SchemasContract();
  let eduAdmin: TestIdentity;
  let eduClient: TestIdentity;
  let healthAdmin: TestIdentity;

  beforeAll(async () => {
    ({ admin: eduAdmin, client: eduClient } = await ministryIdentities('EducationMSP'));
    healthAdmin = (await ministryIdentities('HealthMSP')).admin;
  });

  it('registers version 1, claims the domain for the ministry and emits SchemaRegistered', async () => {
    const h = new ContractHarness();
    const { result, stub, event, txId } = await h.run(eduAdmin, (ctx) =>
      schemas.RegisterSchema(ctx, 'education.credential', schemaJson),
    );
    const returned = JSON.parse(result);
    expect(returned).toEqual({
      id: 'education.credential',
      version: 1,
      schemaHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      ownerMsp: 'EducationMSP',
      txId,
    });
    expect(h.stateJson(stub.createCompositeKey('schema', ['education.credential', '0000001']))).toMatchObject(
      {
        docType: 'schema',
        id: 'education.credential',
        version: 1,
        domain: 'education',
        schema: credentialSchema,
        personalFields: ['birthDate', 'name'],
        ownerMsp: 'EducationMSP',
        txId,
      },
    );
    expect(h.stateJson(stub.createCompositeKey('schema~head', ['education.credential']))).toEqual({
      docType: 'schemaHead',
      id: 'education.credential',
      latestVersion: 1,
      // the latest version once more, so that a registration reads one key
      latest: h.stateJson(stub.createCompositeKey('schema', ['education.credential', '0000001'])),
    });
    expect(h.stateJson(stub.createCompositeKey('schema~domain', ['education']))).toMatchObject({
      ownerMsp: 'EducationMSP',
    });
    expect(event?.name).toBe('SchemaRegistered');
    expect(JSON.parse(Buffer.from(event!.payload).toString())).toEqual({
      id: 'education.credential',
      version: 1,
      schemaHash: returned.schemaHash,
      ownerMsp: 'EducationMSP',
    });
  });

  it('adds versions and keeps every older one readable', async () => {
    const h = new ContractHarness();
    await h.run(eduAdmin, (ctx) => schemas.RegisterSchema(ctx, 'education.credential', schemaJson));
    const v2 = { schema: { ...credentialSchema, required: ['degree'] } };
    const second = await h.run(eduAdmin, (ctx) =>
      schemas.RegisterSchema(ctx, 'education.credential', JSON.stringify(v2)),
    );
    expect(JSON.parse(second.result).version).toBe(2);

    const latest = JSON.parse(
      (await h.run(eduClient, (ctx) => schemas.GetSchema(ctx, 'education.credential', ''))).result,
    );
    expect(latest).toMatchObject({ version: 2, schema: v2.schema, personalFields: [] });
    const first = JSON.parse(
      (await h.run(eduClient, (ctx) => schemas.GetSchema(ctx, 'education.credential', '1'))).result,
    );
    expect(first).toMatchObject({ version: 1, schema: credentialSchema });
    const list = JSON.parse(
      (await h.run(eduClient, (ctx) => schemas.ListSchemaVersions(ctx, 'education.credential'))).result,
    );
    expect(list.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it('reads the latest version from its own key when the head does not carry it (a head an older chaincode wrote)', async () => {
    const h = new ContractHarness();
    const { stub } = await h.run(eduAdmin, (ctx) =>
      schemas.RegisterSchema(ctx, 'education.credential', schemaJson),
    );
    const headKey = stub.createCompositeKey('schema~head', ['education.credential']);
    const older = h.stateJson(headKey) as Record<string, unknown>;
    delete older.latest;
    h.world.state.set(headKey, Buffer.from(JSON.stringify(older)));
    const read = await h.run(eduClient, (ctx) => schemas.GetSchema(ctx, 'education.credential', ''));
    expect(JSON.parse(read.result)).toMatchObject({ version: 1, schema: credentialSchema });
  });

  it("refuses another ministry's admin in an owned domain, naming the owner, and changes nothing", async () => {
    const h = new ContractHarness();
    await h.run(eduAdmin, (ctx) => schemas.RegisterSchema(ctx, 'education.credential', schemaJson));
    const before = h.world.snapshot();
    await expect(
      h.run(healthAdmin, (ctx) => schemas.RegisterSchema(ctx, 'education.diploma', schemaJson)),
    ).rejects.toThrow(
      new AccessDeniedError(
        'domain education is owned by EducationMSP; HealthMSP may not act as ministry-admin in it',
      ),
    );
    expect(h.world.snapshot()).toEqual(before);
    // Health owns the domains it registers first
    await h.run(healthAdmin, (ctx) => schemas.RegisterSchema(ctx, 'health.vaccination', schemaJson));
  });

  it('refuses an identity without the ministry-admin role', async () => {
    const h = new ContractHarness();
    await expect(
      h.run(eduClient, (ctx) => schemas.RegisterSchema(ctx, 'education.credential', schemaJson)),
    ).rejects.toThrow(/\(EducationMSP\) lacks role ministry-admin for scope education/);
    expect(h.world.state.size).toBe(0);
  });

  it.each([
    [
      'an invalid JSON Schema',
      { schema: { type: 'object', properties: { a: { type: 7 } } } },
      'is not a valid JSON Schema (draft-07)',
    ],
    [
      'a schema that is not of an object',
      { schema: { type: 'string' } },
      'must describe a JSON object ("type": "object")',
    ],
    ['a schema with $id', { schema: { type: 'object', $id: 'urn:x' } }, 'must not carry "$id"'],
    [
      'an undeclared personal field',
      { schema: credentialSchema, personalFields: ['ssn'] },
      'names "ssn", not declared in schema.properties',
    ],
    ['an unknown field', { schema: credentialSchema, owner: 'x' }, 'schemaJson: unknown field(s) "owner"'],
  ])('refuses %s and writes nothing', async (_name, input, message) => {
    const h = new ContractHarness();
    const run = h.run(eduAdmin, (ctx) =>
      schemas.RegisterSchema(ctx, 'education.credential', JSON.stringify(input)),
    );
    await expect(run).rejects.toThrow(InvalidArgumentError);
    await expect(
      h.run(eduAdmin, (ctx) => schemas.RegisterSchema(ctx, 'education.credential', JSON.stringify(input))),
    ).rejects.toThrow(message);
    expect(h.world.state.size).toBe(0);
  });

  it('answers NotFound for an unknown record type or version, and refuses a bad version argument', async () => {
    const h = new ContractHarness();
    await expect(
      h.run(eduClient, (ctx) => schemas.GetSchema(ctx, 'education.credential', '')),
    ).rejects.toThrow(new NotFoundError('no schema is registered for record type education.credential'));
    await h.run(eduAdmin, (ctx) => schemas.RegisterSchema(ctx, 'education.credential', schemaJson));
    await expect(
      h.run(eduClient, (ctx) => schemas.GetSchema(ctx, 'education.credential', '2')),
    ).rejects.toThrow('schema education.credential has no version 2 (the latest is 1)');
    await expect(
      h.run(eduClient, (ctx) => schemas.GetSchema(ctx, 'education.credential', '0')),
    ).rejects.toThrow('version must be empty (the latest) or an integer from 1 to 1000000');
    await expect(h.run(eduClient, (ctx) => schemas.GetSchema(ctx, 'Education', ''))).rejects.toThrow(
      'recordType must be a dotted lower-case name',
    );
  });
});
