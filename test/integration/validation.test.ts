import type { NetworkDescriptor } from '@govfabric/network-config';
import { testNetwork } from '../support/devnet';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import { connectLegacy, invokeLegacy, queryLegacy, type LegacyClient } from '../support/legacy';
import { expectedHash, newRecord } from '../support/records';

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
    const record = newRecord();
    const result = await invokeLegacy(legacy, ['HealthMSP'], 'ledger:RegisterRecord', [JSON.stringify(record)]);
    expect(result.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
    expect(result.blockNumber).toBeGreaterThan(0);

    await expect(queryLegacy(legacy, 'ImmigrationMSP', 'ledger:GetRecord', [record.id])).rejects.toThrow(/does not exist/);
    const verified = JSON.parse(await queryLegacy(legacy, 'EducationMSP', 'ledger:VerifyHash', [expectedHash(record.payload)]));
    expect(verified.found).toBe(false);
  });

  it('lets only one of two transactions that read and write the same key commit; the other is an MVCC_READ_CONFLICT', async () => {
    const contract = gw.gateway.getNetwork(net.channel).getContract(net.chaincode.name);
    const first = newRecord();
    const second = { ...first, payload: { ...first.payload, year: 2025 } };
    // Both are endorsed against the same state before either is ordered.
    const txA = await contract.newProposal('ledger:RegisterRecord', { arguments: [JSON.stringify(first)] }).endorse();
    const txB = await contract.newProposal('ledger:RegisterRecord', { arguments: [JSON.stringify(second)] }).endorse();
    const [subA, subB] = await Promise.all([txA.submit(), txB.submit()]);
    const statuses = await Promise.all([subA.getStatus(), subB.getStatus()]);
    const codes = statuses.map((s) => s.code).sort((a, b) => a - b);
    expect(codes).toEqual([0, 11]); // VALID, MVCC_READ_CONFLICT

    const winner = statuses[0].successful ? first : second;
    const stored = JSON.parse(await queryLegacy(legacy, 'HealthMSP', 'ledger:GetRecord', [first.id]));
    expect(stored.hash).toBe(expectedHash(winner.payload));
  });
});
