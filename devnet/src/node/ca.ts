/**
 * A certificate authority process (fabric-ca-server start): `node devnet/dist/node/ca.js` with
 * DEVNET_HOME and DEVNET_NODE_NAME (the CA's node name, e.g. ca.immigration.egov.local). Signs with
 * the organization's cryptogen CA, keeps its registry in the CA's state folder (LevelDB), creates the
 * bootstrap registrar (secret from the runtime directory) and default affiliations on first start,
 * serves Fabric CA's REST API over HTTPS on 127.0.0.1:<port>; writes <nodeDir>/node.pid; stops on SIGTERM.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CADescriptor, NetworkDescriptor } from '@govfabric/network-config';
import { CertificateAuthority, loadIssuer, Registry, startCAServer } from '../ca';
import { getLogger } from '../common/logging';
import { devnetHome, loadNetwork, nodeDir } from './config';

const logger = getLogger('ca.node');

/** The CA named `name` and the organization it belongs to (its display name). */
function findCA(network: NetworkDescriptor, name: string): { ca: CADescriptor; orgName: string } {
  const orgs = [
    { ca: network.orderer.ca, orgName: network.orderer.name.split('.')[0] },
    ...network.organizations.map((o) => ({ ca: o.ca, orgName: o.name })),
  ];
  const found = orgs.find((o) => o.ca.name === name);
  if (found === undefined)
    throw new Error(`no CA named ${name} in the network (${orgs.map((o) => o.ca.name).join(', ')})`);
  return found;
}

/** Default affiliations: the organization, and `<org>.officers` for the people it registers. */
export function defaultAffiliations(orgName: string): string[] {
  const root = orgName.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  return [root, `${root}.officers`];
}

async function main(): Promise<void> {
  const name = process.env.DEVNET_NODE_NAME;
  if (!name)
    throw new Error('DEVNET_NODE_NAME is not set: name the CA to run, e.g. ca.immigration.egov.local');
  const home = devnetHome();
  const { ca, orgName } = findCA(loadNetwork(home), name);
  const registry = await Registry.open(ca.stateDir);
  const authority = new CertificateAuthority(await loadIssuer(ca.signingCaDir), registry, {
    caName: ca.caName,
    affiliations: defaultAffiliations(orgName),
    registrar: {
      id: ca.registrar.enrollmentId,
      secret: fs.readFileSync(ca.registrar.secretPath, 'utf8').trim(),
    },
  });
  await authority.bootstrap();
  const server = await startCAServer(authority, ca.port, {
    certPem: fs.readFileSync(ca.tls.certPath),
    keyPem: fs.readFileSync(ca.tls.keyPath),
  });
  const pidFile = path.join(nodeDir(home, name), 'node.pid');
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping CA');
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await registry.close();
    fs.rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  logger.info({ port: ca.port, caName: ca.caName }, 'CA ready');
}

main().catch((e: Error) => {
  logger.fatal({ err: e.message }, 'CA failed to start');
  process.exit(1);
});
