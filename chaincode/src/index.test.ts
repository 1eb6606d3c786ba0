import './testing/quiet-logs';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract';
import { contracts, serializers } from './index';
import { FakeWorldState } from './testing/fake-stub';
import { ministryIdentities, type TestIdentity } from './testing/identities';

/**
 * Drives the chaincode the way fabric-chaincode-node does: fabric-shim's ChaincodeFromContract
 * dispatches `<contract>:<function>` with string arguments and wraps results and errors in a
 * peer.Response.
 */
describe('egov chaincode dispatch (fabric-shim ChaincodeFromContract, with the exported serializers)', () => {
  const chaincode = new ChaincodeFromContract(contracts, serializers, {}, 'egov', '0.1.0');
  const world = new FakeWorldState();
  let client: TestIdentity;
  let admin: TestIdentity;
  let n = 0;

  beforeAll(async () => {
    ({ client, admin } = await ministryIdentities('EducationMSP'));
  });

  /** Invokes one transaction and commits its writes when it succeeded. */
  async function invoke(creator: TestIdentity, ...args: string[]) {
    n++;
    const txId = n.toString(16).padStart(64, '0');
    const stub = world.newTransaction({
      txId,
      timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, n)),
      creator,
      args,
      transient: new Map([['salt', Buffer.alloc(32, n)]]),
    });
    const response = await chaincode.Invoke(stub);
    if (response.status === 200) stub.commit();
    return {
      status: response.status,
      message: response.message,
      payload: Buffer.from(response.payload ?? []).toString(),
      txId,
    };
  }

  const record = {
    id: 'EDU-1',
    category: 'G2C',
    recordType: 'education.credential',
    subjectRef: 'psn:aaaaaaaaaaaaaaaaaaaa',
    payload: { degree: 'MSc' },
  };

  it('routes schemas:RegisterSchema, ledger:RegisterRecord, ledger:GetRecord and audit:GetTrail', async () => {
    const schema = JSON.stringify({ schema: { type: 'object', properties: { degree: { type: 'string' } } } });
    expect((await invoke(admin, 'schemas:RegisterSchema', 'education.credential', schema)).status).toBe(200);
    // the ministry's root admin holds every role of its ministry, issuer included
    const registered = await invoke(admin, 'ledger:RegisterRecord', JSON.stringify(record));
    expect(registered.status).toBe(200);
    expect(JSON.parse(registered.payload)).toMatchObject({
      id: 'EDU-1',
      status: 'ACTIVE',
      txId: registered.txId,
    });

    const read = await invoke(client, 'ledger:GetRecord', 'EDU-1');
    expect(JSON.parse(read.payload)).toMatchObject({ id: 'EDU-1', payload: { degree: 'MSc' } });

    const trail = await invoke(client, 'audit:GetTrail', 'record', 'EDU-1', '10', '');
    expect(JSON.parse(trail.payload).items).toHaveLength(1);
  });

  it('routes governance:RegisterMinistry, governance:GetMinistries and rules:GetRule', async () => {
    expect((await invoke(admin, 'governance:RegisterMinistry')).status).toBe(200);
    const ministries = JSON.parse((await invoke(client, 'governance:GetMinistries')).payload);
    expect(ministries).toMatchObject({ ministries: [{ mspId: 'EducationMSP' }], required: 1 });
    expect(await invoke(client, 'rules:GetRule', 'r1')).toMatchObject({
      status: 500,
      message: 'rule r1 does not exist',
    });
  });

  it('turns an egov rejection into status 500 with the error message', async () => {
    const missing = await invoke(client, 'ledger:GetRecord', 'EDU-404');
    expect(missing).toMatchObject({ status: 500, message: 'record EDU-404 does not exist' });
    const denied = await invoke(client, 'governance:RegisterMinistry');
    expect(denied.status).toBe(500);
    expect(denied.message).toMatch(/^RegisterMinistry requires the ministry's admin identity/);
  });

  it('uses ledger as the default contract for unqualified names', async () => {
    expect(JSON.parse((await invoke(client, 'GetRecord', 'EDU-1')).payload)).toMatchObject({ id: 'EDU-1' });
  });

  it('serves org.hyperledger.fabric:GetMetadata listing the three contracts and their transactions', async () => {
    const { status, payload } = await invoke(client, 'org.hyperledger.fabric:GetMetadata');
    expect(status).toBe(200);
    const metadata = JSON.parse(payload) as {
      contracts: Record<string, { transactions: { name: string; tag: string[] }[] }>;
    };
    const names = (c: string) => metadata.contracts[c].transactions.map((t) => t.name).sort();
    expect(Object.keys(metadata.contracts)).toEqual(
      expect.arrayContaining([
        'audit',
        'authorities',
        'governance',
        'ledger',
        'org.hyperledger.fabric',
        'rules',
        'schemas',
        'verification',
      ]),
    );
    expect(names('verification')).toEqual(['ListVerifications', 'Verify']);
    expect(names('ledger')).toEqual([
      'AmendRecord',
      'GetPersonalData',
      'GetRecord',
      'GetRecordHistory',
      'ListRecords',
      'RegisterRecord',
      'ReinstateRecord',
      'RevokeRecord',
      'SuspendRecord',
      'VerifyHash',
      'VerifyPersonalDataHash',
      'VerifyRecord',
    ]);
    expect(names('schemas')).toEqual(['GetSchema', 'ListSchemaVersions', 'RegisterSchema']);
    expect(names('rules')).toEqual([
      'EvaluateRecord',
      'GetInForce',
      'GetLawTree',
      'GetRule',
      'GetRulesForRecordType',
      'GetVersions',
      'ListLaws',
    ]);
    expect(names('governance')).toEqual([
      'Approve',
      'GetMinistries',
      'GetProposal',
      'GetSetting',
      'ListProposals',
      'Propose',
      'RegisterMinistry',
      'Reject',
      'Tally',
    ]);
    expect(names('authorities')).toEqual([
      'CheckRole',
      'GetGrant',
      'GrantRole',
      'ListGrants',
      'RevokeRole',
      'WhoAmI',
      'WhoMayAudit',
    ]);
    expect(names('audit')).toEqual([
      'Approve',
      'ExpireCase',
      'GetCase',
      'GetEligibleAuditors',
      'GetPolicies',
      'GetReport',
      'GetTrail',
      'ListCases',
      'ListTrailByActor',
      'ListTrailByMinistry',
      'OpenCase',
      'Reject',
      'VerifyTrail',
    ]);
    const tags = (c: string, t: string) => metadata.contracts[c].transactions.find((x) => x.name === t)!.tag;
    expect(tags('governance', 'Approve')).toContain('SUBMIT');
    expect(tags('authorities', 'WhoMayAudit')).toContain('EVALUATE');
    expect(tags('ledger', 'RegisterRecord')).toContain('SUBMIT');
    expect(tags('ledger', 'VerifyHash')).toContain('EVALUATE');
    expect(tags('verification', 'Verify')).toContain('SUBMIT');
    expect(tags('verification', 'ListVerifications')).toContain('EVALUATE');
  });
});
