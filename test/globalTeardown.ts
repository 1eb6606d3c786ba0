import * as fs from 'node:fs';
import { devnetCli, realFabricNetworkFile } from './support/devnet';

/**
 * Stops every process of the test devnet and removes its runtime directory (kept with KEEP_DEVNET=1),
 * unless the devnet is GOVFABRIC_TEST_DEVNET_HOME's.
 */
export default async function globalTeardown(): Promise<void> {
  const home = process.env.DEVNET_HOME;
  // A devnet of GOVFABRIC_TEST_DEVNET_HOME is its owner's to stop (scripts/test.js), after its last run.
  if (home === undefined || realFabricNetworkFile() !== undefined) return;
  if (process.env.GOVFABRIC_TEST_DEVNET_HOME !== undefined) return;
  devnetCli(home, 'down');
  if (process.env.KEEP_DEVNET !== '1') fs.rmSync(home, { recursive: true, force: true });
  else console.log(`devnet runtime directory kept: ${home}`);
}
