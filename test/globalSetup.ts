import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEST_MINISTRIES_YAML, devnetCli } from './support/devnet';

/** Starts one devnet (orderer, three peers, the egov chaincode servers) for all integration tests. */
export default async function globalSetup(): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-it-'));
  fs.writeFileSync(path.join(home, 'ministries.yaml'), TEST_MINISTRIES_YAML);
  process.env.DEVNET_HOME = home;
  process.env.DEVNET_MINISTRIES = path.join(home, 'ministries.yaml');
  try {
    devnetCli(home, 'up');
    devnetCli(home, 'deploy');
  } catch (err) {
    devnetCli(home, 'down');
    throw err;
  }
}
