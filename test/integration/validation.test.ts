import type { NetworkDescriptor } from '@govfabric/network-config';
import { committedEverywhere } from '../support/calls';
import { testNetwork } from '../support/devnet';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import { connectLegacy, invokeLegacy, queryLegacy, type LegacyClient } from '../support/legacy';
import { expectedHash, saltTransient, submitRegistration } from '../support/records';
import { newSeededRecord } from '../support/seed';

// What every peer decides at commit, whatever the client did: the endorsement policy and MVCC.
describe('validation at commit', () => {
  let net: NetworkDescriptor;
  let legacy: LegacyClient;
  let gw: GatewayConnection;

  beforeAll(async () => {
    net = testNetwork();
    legacy = await connectLegacy(net, 'HealthMSP');
    gw = connectGateway(net, 'ImmigrationMSP');
  });

  afterAll(() => {
    legacy?.close();
    gw?.close();
  });

  it('commits a transaction endorsed by one ministry only as ENDORSEMENT_POLICY_FAILURE and changes nothing', async () => {
    // Signed by HealthMSP's User1, the issuer of health records: only the endorsement is short.
    const record = newSeededRecord('health.vaccination');
    const result = await invokeLegacy(
      legacy,
      ['HealthMSP'],
      'ledger:RegisterRecord',
      [JSON.stringify(record)],
      saltTransient(record.id),
    );
    expect(result.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
    expect(result.blockNumber).toBeGreaterThan(0);

    await expect(queryLegacy(legacy, 'ImmigrationMSP', 'ledger:GetRecord', [record.id])).rejects.toThrow(
      /does not exist/,
    );
    const verified = JSON.parse(
      await queryLegacy(legacy, 'EducationMSP', 'ledger:VerifyHash', [
        expectedHash(record.id, record.payload),
      ]),
    );
    expect(verified.found).toBe(false);
  });

  it('lets only one of two transactions that read and write the same key commit; the other is an MVCC_READ_CONFLICT', async () => {
    const contract = gw.gateway.getNetwork(net.channel).getContract(net.chaincode.name);
    const record = newSeededRecord('immigration.residence-permit');
    const registered = await submitRegistration(net, contract, 'ImmigrationMSP', record);
    await committedEverywhere(net, (await registered.getStatus()).blockNumber); // on every peer before both endorse
    // Two status changes of the same record, both endorsed against the same state before either is
    // ordered. (Two registrations of one id would not do: each sets the key's endorsement policy,
    // and Fabric invalidates the second of a block as ENDORSEMENT_POLICY_FAILURE before MVCC.)
    const txA = await contract
      .newProposal('ledger:SuspendRecord', { arguments: [record.id, 'under review'] })
      .endorse();
    const txB = await contract
      .newProposal('ledger:RevokeRecord', { arguments: [record.id, 'issued in error'] })
      .endorse();
    const [subA, subB] = await Promise.all([txA.submit(), txB.submit()]);
    const statuses = await Promise.all([subA.getStatus(), subB.getStatus()]);
    const codes = statuses.map((s) => s.code).sort((a, b) => a - b);
    expect(codes).toEqual([0, 11]); // VALID, MVCC_READ_CONFLICT

    const winner = statuses[0].successful ? 'SUSPENDED' : 'REVOKED';
    // Read on the peer that reported the commit status: another peer may commit the block a moment later.
    const stored = JSON.parse(
      Buffer.from(await contract.evaluateTransaction('ledger:GetRecord', record.id)).toString('utf8'),
    );
    expect(stored).toMatchObject({ status: winner, hash: expectedHash(record.id, record.payload) });
  });
});
