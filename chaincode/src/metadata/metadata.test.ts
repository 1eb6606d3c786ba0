import '../testing/quiet-logs';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract';
import { contracts, serializers } from '../index';
import { FakeWorldState } from '../testing/fake-stub';
import { ministryIdentities } from '../testing/identities';

interface Schema {
  type?: string;
  title?: string;
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
}
interface Metadata {
  contracts: Record<
    string,
    {
      transactions: {
        name: string;
        tag: string[];
        parameters?: { name: string; description: string; schema: Schema }[];
        returns?: Schema;
      }[];
    }
  >;
  components: { schemas: Record<string, Schema> };
}

/**
 * org.hyperledger.fabric:GetMetadata as a peer would get it: fabric-shim's ChaincodeFromContract
 * builds the metadata from the contracts' decorators (and compiles every object schema, as the
 * chaincode server does at start).
 */
describe('contract metadata (org.hyperledger.fabric:GetMetadata)', () => {
  let metadata: Metadata;

  beforeAll(async () => {
    const chaincode = new ChaincodeFromContract([...contracts], serializers, {}, 'egov', '0.1.0');
    const { client } = await ministryIdentities('EducationMSP');
    const stub = new FakeWorldState().newTransaction({
      txId: '0'.repeat(64),
      timestamp: new Date(Date.UTC(2025, 0, 1)),
      creator: client,
      args: ['org.hyperledger.fabric:GetMetadata'],
    });
    const response = await chaincode.Invoke(stub);
    expect(response.status).toBe(200);
    metadata = JSON.parse(Buffer.from(response.payload ?? []).toString('utf8'));
  });

  const tx = (contract: string, name: string) => {
    const found = metadata.contracts[contract]?.transactions.find((t) => t.name === name);
    if (!found) throw new Error(`no transaction ${contract}:${name} in the metadata`);
    return found;
  };
  /** A data type as GetMetadata inlines it (metadata/inline.ts). */
  const type = (name: string) => expect.objectContaining({ title: name, type: 'object' });

  it('gives RegisterRecord its described string parameter and its result type', () => {
    const register = tx('ledger', 'RegisterRecord');
    expect(register.tag).toContain('SUBMIT');
    expect(register.parameters).toEqual([
      { name: 'recordJson', description: expect.stringContaining('subjectRef'), schema: { type: 'string' } },
    ]);
    expect(register.returns).toEqual(type('RegisterRecordResult'));
    expect(register.returns?.properties).toMatchObject({
      id: { type: 'string' },
      hash: { type: 'string' },
      version: { type: 'number' },
    });
  });

  it('describes a stored record with typed properties, nested objects and arrays', () => {
    const record = tx('ledger', 'GetRecord').returns?.properties ?? {};
    expect(tx('ledger', 'GetRecord').returns).toEqual(type('LedgerRecord'));
    expect(record.status).toEqual({ type: 'string' });
    expect(record.version).toEqual({ type: 'number' });
    expect(record.payload).toEqual({ title: 'JsonObject', type: 'object', properties: {} });
    const page = tx('ledger', 'ListRecords').returns;
    expect(page).toEqual(type('RecordPage'));
    expect(page?.properties?.items).toEqual({ type: 'array', items: type('LedgerRecord') });
    const history = tx('ledger', 'GetRecordHistory').returns;
    expect(history).toEqual({ type: 'array', items: type('RecordChange') });
    expect(history?.items?.properties?.record).toEqual(type('LedgerRecord'));
  });

  it('names parameters in order with their descriptions (AmendRecord, ListGrants)', () => {
    expect(tx('ledger', 'AmendRecord').parameters?.map((p) => p.name)).toEqual(['recordId', 'amendmentJson']);
    const list = tx('authorities', 'ListGrants');
    expect(list.tag).toEqual(['EVALUATE']);
    expect(list.parameters?.every((p) => p.schema.type === 'string' && p.description !== '')).toBe(true);
    expect(list.returns).toEqual(type('GrantPage'));
  });

  it('types the results of audit, schema and verification transactions', () => {
    expect(tx('audit', 'GetCase').returns).toEqual(type('AuditCaseView'));
    expect(tx('audit', 'GetCase').returns?.properties?.decisions).toEqual({
      type: 'array',
      items: type('AuditDecision'),
    });
    expect(tx('audit', 'Approve').returns).toEqual(type('DecisionResult'));
    expect(tx('schemas', 'ListSchemaVersions').returns).toEqual({
      type: 'array',
      items: type('SchemaVersionSummary'),
    });
    expect(tx('ledger', 'VerifyHash').returns).toEqual(type('VerifyResult'));
    expect(tx('ledger', 'VerifyHash').returns?.properties?.found).toEqual({ type: 'boolean' });
  });

  it('inlines the data types, leaving fabric-shim no components (they would replace the schemas contract)', () => {
    expect(metadata.components.schemas).toEqual({});
  });

  it('describes the token contract: described parameters in order and typed results', () => {
    const mint = tx('token', 'Mint');
    expect(mint.tag).toContain('SUBMIT');
    expect(mint.parameters?.map((p) => p.name)).toEqual(['amount', 'to', 'memo']);
    expect(mint.returns).toEqual(type('MovementResult'));
    expect(mint.returns?.properties?.movements).toEqual({ type: 'array', items: type('Movement') });
    expect(mint.returns?.properties?.movements?.items?.properties).toMatchObject({
      kind: { type: 'string' },
      amount: { type: 'string' },
      byMsp: { type: 'string' },
    });
    expect(tx('token', 'GetCurrency').returns?.properties?.policy).toEqual(type('CurrencyPolicy'));
    expect(tx('token', 'GetBalance').returns?.properties?.complete).toEqual({ type: 'boolean' });
    expect(tx('token', 'ListPrivateMovements').tag).toEqual(['EVALUATE']);
    expect(tx('token', 'ListPrivateMovements').returns).toEqual(type('MovementPage'));
    expect(tx('token', 'Deposit').parameters?.map((p) => p.name)).toEqual([
      'from',
      'mspId',
      'amount',
      'commitment',
      'memo',
    ]);
    expect(tx('token', 'Deposit').returns?.properties?.depositId).toEqual({ type: 'string' });
    expect(tx('token', 'Claim').parameters ?? []).toEqual([]);
    expect(tx('token', 'Withdraw').returns).toEqual(type('WithdrawResult'));
    expect(tx('token', 'GetRate').returns).toEqual(type('ExchangeRate'));
    expect(tx('token', 'RecordConversion').returns).toEqual(type('Conversion'));
    expect(tx('token', 'GetAllowance').returns).toEqual(type('Allowance'));
  });

  const TYPED = ['ledger', 'rules', 'audit', 'schemas', 'governance', 'authorities', 'token'];

  it('leaves no transaction of the typed contracts a bare string, and every parameter described', () => {
    for (const name of TYPED) {
      for (const t of metadata.contracts[name].transactions) {
        expect([name, t.name, t.returns?.type]).not.toEqual([name, t.name, 'string']);
        for (const p of t.parameters ?? [])
          expect([t.name, p.name, p.description === '']).toEqual([t.name, p.name, false]);
      }
    }
  });
});
