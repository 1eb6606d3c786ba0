import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CONFORMANCE_CHAINCODE,
  CONFORMANCE_SIGNATURE_POLICY,
  REPO,
  TEST_MINISTRIES_YAML,
  devnetCli,
  realFabricNetworkFile,
  testNetwork,
} from './support/devnet';
import { seedLedger } from './support/seed';

/** Starts one devnet (orderer, four peers, the egov and conformance chaincode servers) for all integration tests. */
export default async function globalSetup(): Promise<void> {
  if (realFabricNetworkFile() !== undefined) {
    // A real Fabric network, with egov and the conformance chaincode deployed: only the seed, once
    // the peers' discovery knows enough of each other (gossip converges in seconds after `up`).
    await seedWhenDiscoveryReady();
    return;
  }
  // GOVFABRIC_TEST_DEVNET_HOME: a devnet that outlives this jest run (scripts/test.js runs two on it):
  // started here by the first run, found ready by the next; its owner stops it (globalTeardown leaves it).
  const shared = process.env.GOVFABRIC_TEST_DEVNET_HOME;
  const home = shared ?? fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-it-'));
  process.env.DEVNET_HOME = home;
  process.env.DEVNET_MINISTRIES = path.join(home, 'ministries.yaml');
  const ready = path.join(home, 'test-devnet-ready');
  if (fs.existsSync(ready)) return;
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, 'ministries.yaml'), TEST_MINISTRIES_YAML);
  try {
    devnetCli(home, 'up');
    devnetCli(home, 'deploy');
    // The conformance suite's chaincode (test/fixtures/conformance-cc), servers on chaincodePort + 100.
    devnetCli(
      home,
      `deploy ${CONFORMANCE_CHAINCODE} ${path.join(REPO, 'test', 'fixtures', 'conformance-cc')} 100 --signature-policy=${CONFORMANCE_SIGNATURE_POLICY}`,
    );
    // Schemas and issuer roles the record-registering suites rely on (test/support/seed.ts).
    await seedLedger(testNetwork());
    fs.writeFileSync(ready, new Date().toISOString());
  } catch (err) {
    devnetCli(home, 'down');
    throw err;
  }
}

/**
 * Seeds a real network, again while Fabric's gateway answers that discovery cannot yet derive
 * endorsers for the policy (its gossip membership is still converging); the seed is idempotent.
 */
async function seedWhenDiscoveryReady(timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await seedLedger(testNetwork());
      return;
    } catch (err) {
      const converging = /no combination of peers can be derived/.test(String((err as Error).message));
      if (!converging || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}
