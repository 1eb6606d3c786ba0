import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkDescriptor } from '@govfabric/network-config';

/** The runtime directory: `DEVNET_HOME`, else `<repo>/.devnet`. */
export function devnetHome(): string {
  return path.resolve(process.env.DEVNET_HOME ?? path.join(__dirname, '..', '..', '..', '.devnet'));
}

/** Reads the resolved network that network-config generated into `<home>/network.json`. */
export function loadNetwork(home: string = devnetHome()): NetworkDescriptor {
  const file = path.join(home, 'network.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} does not exist: generate the network first (npm run network:up)`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NetworkDescriptor;
}

/** The folder that holds one node's ledger, log and pid file. */
export function nodeDir(home: string, nodeName: string): string {
  return path.join(home, 'nodes', nodeName);
}
