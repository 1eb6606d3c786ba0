import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createApp } from './app';
import { GatewayConfig, loadConfig } from './config';
import { connectGateway, newGrpcClient } from './fabric/connection';
import { chaincodeCheck, peerConnectionCheck } from './fabric/health';
import { newIdentity, newSigner } from './fabric/identity';
import { loadConnectionProfile } from './fabric/profile';
import { FabricRecordsService, LEDGER_CONTRACT } from './fabric/recordsservice';
import { Logger } from 'pino';
import { rootLogger } from './logging';

/** A running gateway: where it listens and how to stop it. */
export interface RunningGateway {
  server: Server;
  /** `http://host:port` actually bound (useful with port 0). */
  url: string;
  /** Stops accepting requests, lets in-flight ones finish, then closes the Fabric connection. */
  close(): Promise<void>;
}

/** Listens on host:port; resolves once bound, rejects on e.g. EADDRINUSE. */
function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Extra options of {@link startServer}. */
export interface StartOptions {
  /** Root logger (default: the gateway's pino logger on stdout). */
  logger?: Logger;
}

/**
 * Loads the connection profile, connects to the peer's Gateway service with fabric-gateway and
 * serves the HTTP API. `config` defaults to {@link loadConfig} of the environment. Throws
 * ConfigError for a wrong environment or profile; the peer need not be up yet (probes tell).
 */
export async function startServer(
  config: GatewayConfig = loadConfig(),
  options: StartOptions = {},
): Promise<RunningGateway> {
  const root = options.logger ?? rootLogger;
  const logger = root.child({ module: 'server' });
  const profile = loadConnectionProfile(config.profilePath);
  const identity = newIdentity(profile);
  const signer = newSigner(profile);
  const client = newGrpcClient(profile);
  const gateway = connectGateway(client, identity, signer);
  const network = gateway.getNetwork(profile.channel);
  let shuttingDown = false;

  const app = createApp({
    records: new FabricRecordsService(
      network.getContract(profile.chaincode.name, LEDGER_CONTRACT),
      root.child({ module: 'fabric.records' }),
    ),
    logger: root,
    bodyLimitBytes: config.bodyLimitBytes,
    health: {
      liveness: [peerConnectionCheck(client, profile.peerEndpoint)],
      readiness: [chaincodeCheck(network.getContract(profile.chaincode.name))],
      isShuttingDown: () => shuttingDown,
    },
  });
  const server = new Server(app);
  let address: AddressInfo;
  try {
    address = await listen(server, config.host, config.port);
  } catch (err) {
    gateway.close();
    client.close();
    throw err;
  }
  const url = `http://${address.address}:${address.port}`;
  logger.info(
    { url, mspId: profile.mspId, channel: profile.channel, peer: profile.peerEndpoint },
    'gateway listening',
  );

  const close = async (): Promise<void> => {
    shuttingDown = true;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    gateway.close();
    client.close();
    logger.info('gateway stopped');
  };
  return { server, url, close };
}
