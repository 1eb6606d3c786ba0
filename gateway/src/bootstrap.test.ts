import * as grpc from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { bootstrapMinistry, loadDemoData } from './bootstrap';
import { ChaincodeClient } from './chaincode/client';

/** The error fabric-gateway throws for a chaincode "does not exist" on Evaluate. */
function notFound(message: string): GatewayError {
  const text = `evaluate call to endorser returned error: chaincode response 500, ${message}`;
  const cause = Object.assign(new Error(text), {
    code: grpc.status.UNKNOWN,
    details: text,
    metadata: new grpc.Metadata(),
  });
  return new GatewayError({ code: grpc.status.UNKNOWN, cause, message: text, details: [] });
}

/** A tiny in-memory egov: ministries, schemas and grants, enough for the bootstrap's steps. */
function fakeLedger() {
  const ministries = new Set<string>();
  const schemas = new Map<string, number>();
  const grants: { role: string; scope: string; holder: string }[] = [];
  const submitted: string[] = [];
  const client = (who: 'admin' | 'user'): ChaincodeClient => ({
    evaluate: async (transaction, args = []) => {
      switch (transaction) {
        case 'governance:GetMinistries':
          return { ministries: [...ministries].map((mspId) => ({ mspId })) };
        case 'schemas:GetSchema':
          if (!schemas.has(args[0])) throw notFound(`schema ${args[0]} does not exist`);
          return { version: schemas.get(args[0]) };
        case 'authorities:WhoAmI':
          return { id: `x509::CN=${who}::CN=ca` };
        case 'authorities:ListGrants':
          return {
            items: grants.filter((g) => g.holder === args[1]).map((g) => ({ ...g, status: 'ACTIVE' })),
            bookmark: '',
          };
        default:
          throw new Error(`unexpected ${transaction}`);
      }
    },
    submit: async (transaction, args = []) => {
      submitted.push(`${who} ${transaction}`);
      if (transaction === 'governance:RegisterMinistry') ministries.add('EducationMSP');
      if (transaction === 'schemas:RegisterSchema') schemas.set(args[0], 1);
      if (transaction === 'authorities:GrantRole') grants.push(JSON.parse(args[0]));
      return { result: { version: 1 }, transactionId: 't', blockNumber: 1 };
    },
  });
  return { admin: client('admin'), user: client('user'), submitted, grants, schemas };
}

describe('bootstrapMinistry', () => {
  const demo = loadDemoData();

  it('registers the ministry, its demo schema and its User1 issuer grant, then skips all of it', async () => {
    const ledger = fakeLedger();
    const lines: string[] = [];
    await bootstrapMinistry({ mspId: 'EducationMSP' }, ledger.admin, ledger.user, demo, (l) => lines.push(l));
    expect(ledger.submitted).toEqual([
      'admin governance:RegisterMinistry',
      'admin schemas:RegisterSchema',
      'admin authorities:GrantRole',
    ]);
    expect([...ledger.schemas.keys()]).toEqual(['education.credential']);
    expect(ledger.grants).toEqual([
      { holder: 'x509::CN=user::CN=ca', role: 'issuer', scope: 'G2C/education' },
    ]);
    expect(lines).toHaveLength(3);

    lines.length = 0;
    await bootstrapMinistry({ mspId: 'EducationMSP' }, ledger.admin, ledger.user, demo, (l) => lines.push(l));
    expect(ledger.submitted).toHaveLength(3);
    expect(lines.every((l) => l.endsWith('skipped'))).toBe(true);
  });

  it('demo data: one domain per ministry, each schema a strict object with a document number', () => {
    expect(Object.keys(demo.ministries).sort()).toEqual(['EducationMSP', 'HealthMSP', 'ImmigrationMSP']);
    for (const [msp, data] of Object.entries(demo.ministries)) {
      for (const { recordType, schema, personalFields } of data.schemas) {
        const domain = recordType.split('.')[0];
        expect(data.grants).toContainEqual({ role: 'issuer', scope: `G2C/${domain}` });
        expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
        const properties = Object.keys(schema.properties as object);
        for (const field of personalFields ?? []) expect(properties).toContain(field);
        expect(properties.some((p) => /No$/.test(p))).toBe(true);
        expect(msp).toMatch(/MSP$/);
      }
    }
  });
});
