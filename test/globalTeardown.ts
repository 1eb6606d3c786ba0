import * as fs from 'node:fs';
import { devnetCli, realFabricNetworkFile } from './support/devnet';

/** Stops every process of the test devnet and removes its runtime directory (kept with KEEP_DEVNET=1). */
export default async function globalTeardown(): Promise<void> {
  const home = process.env.DEVNET_HOME;
  if (home === undefined || realFabricNetworkFile() !== undefined) return;
  devnetCli(home, 'down');
  if (process.env.KEEP_DEVNET !== '1') fs.rmSync(home, { recursive: true, force: true });
  else console.log(`devnet runtime directory kept: ${home}`);
}
