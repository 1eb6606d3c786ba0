import * as path from 'node:path';
import { startProcess, stopProcess } from '@govfabric/devnet/node/processes';
import { REPO } from './devnet';

/**
 * Stops one devnet node of the test network (e.g. `peer0.immigration.egov.local`) as `devnet down`
 * does, and returns a function that starts it again as `devnet up` does: the same script, home and
 * pid file, so the global teardown stops it. Not for a real Fabric network.
 */
export async function stopNode(home: string, name: string): Promise<() => void> {
  const dir = path.join(home, 'nodes', name);
  const pidFile = path.join(dir, 'node.pid');
  const kind = name.startsWith('peer') ? 'peer' : 'orderer';
  await stopProcess(pidFile);
  return () => {
    startProcess({
      name,
      script: path.join(REPO, 'devnet', 'dist', 'node', `${kind}.js`),
      env: { DEVNET_HOME: home, DEVNET_NODE_NAME: name },
      logFile: path.join(dir, 'node.log'),
      pidFile,
    });
  };
}
