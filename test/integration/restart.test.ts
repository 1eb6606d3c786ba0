import type { NetworkDescriptor } from '@govfabric/network-config';
import { committedEverywhere } from '../support/calls';
import { CONFORMANCE_CHAINCODE, devnetCli, realFabricNetworkFile, testNetwork } from '../support/devnet';
import { connectGateway } from '../support/gateway';
import { expectedHash, newRecord, registration } from '../support/records';

// Stopping and starting every node (orderer, peers, chaincode servers) keeps all state.
describe('restart', () => {
  let net: NetworkDescriptor;

  beforeAll(() => {
    net = testNetwork();
  });

  async function register(record: ReturnType<typeof newRecord>): Promise<bigint> {
    const gw = connectGateway(net, 'EducationMSP');
    try {
      const contract = gw.gateway.getNetwork(net.channel).getContract(net.chaincode.name);
      const submitted = await contract.submitAsync('ledger:RegisterRecord', {
        arguments: [JSON.stringify(record)],
        ...registration(net, 'EducationMSP', record.id),
      });
      const status = await submitted.getStatus();
      expect(status.successful).toBe(true);
      await committedEverywhere(net, status.blockNumber); // the test reads on every ministry's peer next
      return status.blockNumber;
    } finally {
      gw.close();
    }
  }

  async function read(mspId: string, id: string): Promise<{ hash: string }> {
    const gw = connectGateway(net, mspId);
    try {
      const contract = gw.gateway.getNetwork(net.channel).getContract(net.chaincode.name);
      return JSON.parse(
        Buffer.from(await contract.evaluateTransaction('ledger:GetRecord', id)).toString('utf8'),
      );
    } finally {
      gw.close();
    }
  }

  // It stops and starts devnet's processes; a real Fabric network's are not ours to restart.
  const itOnDevnet = realFabricNetworkFile() === undefined ? it : it.skip;

  itOnDevnet(
    'keeps every committed record across a stop and start of every node, and goes on committing after it',
    async () => {
      const before = newRecord();
      const blockBefore = await register(before);

      const stopped = devnetCli(net.home, 'down');
      expect(stopped).toMatch(/orderer/);
      devnetCli(net.home, 'up');

      for (const org of net.organizations) {
        expect((await read(org.mspId, before.id)).hash).toBe(expectedHash(before.id, before.payload));
      }
      // Every deployed chaincode's servers come back, not only egov's (the conformance suite's too).
      const gw = connectGateway(net, 'HealthMSP');
      try {
        const cc = gw.gateway.getNetwork(net.channel).getContract(CONFORMANCE_CHAINCODE);
        await expect(cc.evaluateTransaction('Get', 'restart-absent-key')).resolves.toEqual(new Uint8Array());
      } finally {
        gw.close();
      }
      const after = newRecord();
      const blockAfter = await register(after);
      expect(blockAfter).toBeGreaterThan(blockBefore);
      expect((await read('HealthMSP', after.id)).hash).toBe(expectedHash(after.id, after.payload));
    },
  );
});
