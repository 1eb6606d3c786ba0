import { ChildProcess, fork } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A running test chaincode server (its own process); stop() ends it. */
export interface TestChaincodeServer {
  address: string;
  stop(): Promise<void>;
}

/**
 * Starts shimserver.js (a fabric-shim ChaincodeServer, plaintext) on 127.0.0.1, registering as
 * `ccid`, and resolves once it listens.
 */
export async function startTestChaincode(ccid: string, port?: number): Promise<TestChaincodeServer> {
  const address = `127.0.0.1:${port ?? (await freePort())}`;
  const child: ChildProcess = fork(path.join(__dirname, 'shimserver.js'), [ccid, address], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`test chaincode exited with code ${code}`)));
    child.once('error', reject);
  });
  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
