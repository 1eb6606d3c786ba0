/**
 * Issue 22: the common connection profiles network-config writes (`<home>/profiles/connection-*.json`
 * and `.yaml`) are all a fabric-network 2.2 application needs to connect to devnet and submit.
 */
import * as fs from 'node:fs';
import { Gateway } from 'fabric-network';
import { parse } from 'yaml';
import { connectionProfilePath } from '@govfabric/network-config';
import { CONFORMANCE_CHAINCODE, testNetwork } from '../support/devnet';
import { userWallet } from '../support/fabricnetwork';

describe('fabric-network 2.2 with a generated connection profile', () => {
  const net = testNetwork();
  const org = net.organizations[1];

  // The YAML file holds the same profile (network-config's unit test): one connect is enough here.
  it('connects with the YAML profile, submits and reads back', async () => {
    const ccp = parse(fs.readFileSync(connectionProfilePath(net.home, org, 'yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const gateway = new Gateway();
    // Discovery off: the profile's channel section names the endorsers and orderer (discovery on:
    // test/conformance/discovery.test.ts).
    await gateway.connect(ccp, {
      wallet: await userWallet(org),
      identity: 'User1',
      discovery: { enabled: false, asLocalhost: true },
    });
    try {
      const contract = (await gateway.getNetwork(net.channel)).getContract(CONFORMANCE_CHAINCODE);
      const key = `ccp-${process.pid}-${Date.now()}`;
      await contract.submitTransaction('Put', key, `by ${org.mspId}`);
      expect((await contract.evaluateTransaction('Get', key)).toString()).toBe(`by ${org.mspId}`);
    } finally {
      gateway.disconnect();
    }
  });
});
