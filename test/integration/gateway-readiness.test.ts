import type { NetworkDescriptor } from '@govfabric/network-config';
import { TEST_GATEWAY_PORT, realFabricNetworkFile, testNetwork } from '../support/devnet';
import { httpJson, startHttpGateway, untilStatus, type HttpGateway } from '../support/http';
import { stopNode } from '../support/nodes';
import { newSeededRecord } from '../support/seed';

// Issue 17: /readyz follows the gateway's peer. Apart from gateway-ops.test.ts because it stops
// Immigration's peer, which every other suite uses: it runs alone (test/batches.js).
describe('gateway readiness', () => {
  let net: NetworkDescriptor;
  let gw: HttpGateway;

  beforeAll(async () => {
    net = testNetwork();
    if (realFabricNetworkFile() === undefined)
      gw = await startHttpGateway(net.home, 'ImmigrationMSP', TEST_GATEWAY_PORT + 16);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  // Stops the test devnet's Immigration peer process and starts it again (a real Fabric network's
  // peers are not ours to stop): the gateway's connection must find the new process.
  (realFabricNetworkFile() === undefined ? it : it.skip)(
    'answers /readyz 503 while its peer is stopped and 200 when it is back',
    async () => {
      await untilStatus(`${gw.url}/readyz`, 200);
      const restart = await stopNode(net.home, 'peer0.immigration.egov.local');
      try {
        const down = await untilStatus(`${gw.url}/readyz`, 503);
        expect(down.failed_checks.length).toBeGreaterThan(0);
      } finally {
        restart();
      }
      // Ready again, with the channel's height from the peer (qscc GetChainInfo).
      const ready = await untilStatus(`${gw.url}/readyz`, 200);
      expect(ready).toMatchObject({ status: 'OK' });
      expect(Number(ready.checks[`channel ${net.channel}`].height)).toBeGreaterThan(0);
      // And it serves again: a submit through the restarted peer commits.
      const created = await httpJson(`${gw.url}/api/v1/records`, {
        method: 'POST',
        body: newSeededRecord('immigration.residence-permit'),
      });
      expect(created.status).toBe(201);
    },
  );
});
