import type { Contract } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { testNetwork } from '../support/devnet';
import { errorText, evaluateJson, submitJson } from '../support/calls';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import { newSeededRecord } from '../support/seed';
import { registration } from '../support/records';

/** Runs a transaction and returns the parsed result; a submit returns once every peer has its block. */
async function call(
  contract: Contract,
  submit: boolean,
  name: string,
  ...args: string[]
): Promise<ReturnType<typeof JSON.parse>> {
  return submit ? submitJson(testNetwork(), contract, name, ...args) : evaluateJson(contract, name, ...args);
}

// Issue 11 on the devnet: roles granted by a ministry's root admin, guarded against other ministries, expiring.
describe('authorities', () => {
  let net: NetworkDescriptor;
  let edu: GatewayConnection;
  let health: GatewayConnection;
  let eduUser: GatewayConnection;
  let holder: string;
  const cc = (g: GatewayConnection) => g.gateway.getNetwork(net.channel).getContract(net.chaincode.name);

  beforeAll(async () => {
    net = testNetwork();
    edu = connectGateway(net, 'EducationMSP', 'admin');
    health = connectGateway(net, 'HealthMSP', 'admin');
    eduUser = connectGateway(net, 'EducationMSP');
    holder = (await call(cc(eduUser), false, 'authorities:WhoAmI')).id;
  });

  afterAll(() => {
    for (const g of [edu, health, eduUser]) g?.close();
  });

  it("keeps a role granted by one ministry's admin that another ministry's admin cannot revoke", async () => {
    const grant = await call(
      cc(edu),
      true,
      'authorities:GrantRole',
      JSON.stringify({ holder, role: 'verifier', scope: 'G2C/education' }),
    );
    expect(grant).toMatchObject({ mspId: 'EducationMSP', role: 'verifier', status: 'ACTIVE' });
    const err = await cc(health)
      .submitTransaction('authorities:RevokeRole', grant.id, 'not ours')
      .catch((e: unknown) => e);
    expect(errorText(err)).toContain(
      `grant ${grant.id} belongs to ministry EducationMSP; only its admins may revoke it, not HealthMSP`,
    );
    expect(
      await call(cc(eduUser), false, 'authorities:CheckRole', 'verifier', 'G2C/education.credential'),
    ).toMatchObject({ id: grant.id });
    const revoked = await call(cc(edu), true, 'authorities:RevokeRole', grant.id, 'rotation');
    expect(revoked).toMatchObject({ status: 'REVOKED', revokeReason: 'rotation' });
    const denied = await cc(eduUser)
      .evaluateTransaction('authorities:CheckRole', 'verifier', 'G2C/education.credential')
      .catch((e: unknown) => e);
    expect(errorText(denied)).toContain(`lacks role verifier for scope G2C/education.credential`);
  });

  it('stops authorizing a role once it has expired', async () => {
    const expiresAt = new Date(Date.now() + 4000).toISOString();
    const grant = await call(
      cc(edu),
      true,
      'authorities:GrantRole',
      JSON.stringify({ holder, role: 'auditor', scope: 'G2C', expiresAt }),
    );
    expect(
      await call(cc(eduUser), false, 'authorities:CheckRole', 'auditor', 'G2C/education.credential'),
    ).toMatchObject({ id: grant.id });
    const auditors = await call(
      cc(health),
      false,
      'authorities:WhoMayAudit',
      'G2C',
      'education.credential',
      'EducationMSP',
    );
    expect(auditors.auditors.map((g: { id: string }) => g.id)).toContain(grant.id);
    // wait (not a timing assertion) until the transaction time is past the expiry
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 500));
    const err = await cc(eduUser)
      .evaluateTransaction('authorities:CheckRole', 'auditor', 'G2C/education.credential')
      .catch((e: unknown) => e);
    expect(errorText(err)).toContain(
      `${holder} (EducationMSP) lacks role auditor for scope G2C/education.credential`,
    );
    const after = await call(
      cc(health),
      false,
      'authorities:WhoMayAudit',
      'G2C',
      'education.credential',
      'EducationMSP',
    );
    expect(after.auditors.map((g: { id: string }) => g.id)).not.toContain(grant.id);
  });

  it("refuses a role granted in another ministry's domain, and an admin issuing outside its own domains", async () => {
    const imm = connectGateway(net, 'ImmigrationMSP', 'admin');
    const user = connectGateway(net, 'ImmigrationMSP');
    try {
      const immUser = (await call(cc(user), false, 'authorities:WhoAmI')).id;
      const grant = await cc(imm)
        .submitTransaction(
          'authorities:GrantRole',
          JSON.stringify({ holder: immUser, role: 'issuer', scope: 'G2C/health' }),
        )
        .catch((e: unknown) => e);
      expect(errorText(grant)).toContain(
        'domain health is owned by HealthMSP; ImmigrationMSP may not grant roles in it',
      );
      const record = newSeededRecord('health.vaccination');
      const issued = await cc(imm)
        .submit('ledger:RegisterRecord', {
          arguments: [JSON.stringify(record)],
          ...registration(net, 'ImmigrationMSP', record.id),
        })
        .catch((e: unknown) => e);
      expect(errorText(issued)).toContain(
        'domain health is owned by HealthMSP; ImmigrationMSP may not act as issuer in it',
      );
    } finally {
      imm.close();
      user.close();
    }
  });
});
