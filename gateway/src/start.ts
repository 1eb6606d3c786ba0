import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createApp } from './app';
import { ConfigError, GatewayConfig, loadConfig } from './config';
import { connectGateway, Deadlines, DeadlineSettings, newGrpcClient } from './fabric/connection';
import { chaincodeCheck, channelHeightCheck, peerConnectionCheck } from './fabric/health';
import { newIdentity, newSigner } from './fabric/identity';
import { loadConnectionProfile } from './fabric/profile';
import { DEFAULT_RETRY_POLICY, FabricChaincodeClient } from './fabric/chaincodeclient';
import { DEFAULT_STORE_LIMITS, LevelIdempotencyStore, StoreLimits } from './idempotency/store';
import { homeOfProfile } from './auth/config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { QsccTransactionLookup } from './fabric/transactions';
import { EventStreams } from './events/streams';
import { FabricBlockSource } from './events/fabricsource';
import { FileCheckpointStore } from './events/subscriptions';
import { OfflineTransactions } from './fabric/offline';
import { loadTransientEndorsers } from './fabric/endorsers';
import { ConnectionProfile } from './fabric/profile';
import { ChaincodeClient, LEDGER_CONTRACT } from './chaincode/client';
import * as grpc from '@grpc/grpc-js';
import * as path from 'node:path';
import { Logger } from 'pino';
import { rootLogger } from './logging';
import type { IdentityClients } from './auth/callerclients';
import { setUpCallers, type CallerSetup } from './auth/setup';
import { loadVerifyConfig } from './verify/config';

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

/** The admin profile's path: configured, or `<MSPID>-admin.json` beside the user profile. */
function adminProfilePath(config: GatewayConfig, profile: ConnectionProfile): string {
  return (
    config.adminProfilePath ?? path.join(path.dirname(config.profilePath), `${profile.mspId}-admin.json`)
  );
}

/**
 * The idempotency store's folder: configured, or `<devnet home>/gateways/<MSPID>-<port>/idempotency`
 * (the port tells apart gateways of one ministry on one host); for port 0, which differs at each
 * start, a fresh temporary folder (`temporary`: removed when the gateway closes).
 */
function idempotencyDir(
  config: GatewayConfig,
  profile: ConnectionProfile,
): { dir: string; temporary: boolean } {
  if (config.idempotencyDir) return { dir: config.idempotencyDir, temporary: false };
  if (config.port === 0) {
    return { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-idempotency-')), temporary: true };
  }
  const dir = path.join(
    homeOfProfile(config.profilePath),
    'gateways',
    `${profile.mspId}-${config.port}`,
    'idempotency',
  );
  return { dir, temporary: false };
}

/** The idempotency store's bounds: configured, else {@link DEFAULT_STORE_LIMITS}. */
function idempotencyLimits(config: GatewayConfig): StoreLimits {
  return {
    maxAgeMs:
      config.idempotencyMaxAgeSeconds === undefined
        ? DEFAULT_STORE_LIMITS.maxAgeMs
        : config.idempotencyMaxAgeSeconds * 1000,
    maxEntries: config.idempotencyMaxKeys ?? DEFAULT_STORE_LIMITS.maxEntries,
  };
}

/** A second Gateway connection, as the ministry's admin, over the same gRPC client (admin routes on only). */
function connectAdmin(
  config: GatewayConfig,
  profile: ConnectionProfile,
  client: grpc.Client,
  deadlines: DeadlineSettings,
): { gateway: ReturnType<typeof connectGateway>; profile: ConnectionProfile } | undefined {
  if (!config.adminToken) return undefined;
  const adminProfile = loadConnectionProfile(adminProfilePath(config, profile));
  if (adminProfile.mspId !== profile.mspId) {
    throw new ConfigError(
      `admin profile is of ${adminProfile.mspId} but the gateway serves ${profile.mspId}`,
    );
  }
  return {
    gateway: connectGateway(client, newIdentity(adminProfile), newSigner(adminProfile), deadlines),
    profile: adminProfile,
  };
}

/** Where durable event subscriptions keep their checkpoints: configured, or beside the profiles. */
function subscriptionsDir(config: GatewayConfig, profile: ConnectionProfile): string {
  return (
    config.subscriptionsDir ??
    path.join(path.dirname(config.profilePath), '..', 'gateway', profile.mspId, 'subscriptions')
  );
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
  const verifyConfig = loadVerifyConfig();
  const identity = newIdentity(profile);
  const signer = newSigner(profile);
  const client = newGrpcClient(profile);
  const deadlines: DeadlineSettings = {
    ...Deadlines,
    commitStatus: config.commitTimeoutMs ?? Deadlines.commitStatus,
  };
  const gateway = connectGateway(client, identity, signer, deadlines);
  const network = gateway.getNetwork(profile.channel);
  let admin: ReturnType<typeof connectAdmin> = undefined;
  let idempotencyStore: LevelIdempotencyStore;
  let closeIdempotencyStore: () => Promise<void>;
  try {
    admin = connectAdmin(config, profile, client, deadlines);
    const { dir, temporary } = idempotencyDir(config, profile);
    fs.mkdirSync(dir, { recursive: true });
    idempotencyStore = await LevelIdempotencyStore.open(dir, idempotencyLimits(config));
    // A folder made for this run (port 0) goes with it.
    closeIdempotencyStore = async () => {
      await idempotencyStore.close();
      if (temporary) fs.rmSync(dir, { recursive: true, force: true });
    };
  } catch (err) {
    admin?.gateway.close();
    gateway.close();
    client.close();
    throw err;
  }
  const transientEndorsers = loadTransientEndorsers(profile.mspId, config.endorsingOrgs, config.profilePath);
  const chaincodeAs = (g: typeof gateway, role: string): ChaincodeClient =>
    new FabricChaincodeClient(
      g.getNetwork(profile.channel).getContract(profile.chaincode.name),
      root.child({ module: 'fabric.chaincode', as: role }),
      transientEndorsers,
      { ...DEFAULT_RETRY_POLICY, retries: config.mvccRetries ?? DEFAULT_RETRY_POLICY.retries },
    );
  let shuttingDown = false;
  const buildClients = (g: typeof gateway, role: string): IdentityClients => ({
    chaincode: chaincodeAs(g, role),
  });
  let callers: CallerSetup;
  try {
    callers = await setUpCallers({
      env: process.env,
      profilePath: config.profilePath,
      profile,
      client,
      service: buildClients(gateway, 'gateway'),
      build: (g) => buildClients(g, 'caller'),
      deadlines,
      admin: admin && config.adminToken ? { gateway: admin.gateway, token: config.adminToken } : undefined,
      logger: root,
    });
  } catch (err) {
    await closeIdempotencyStore();
    admin?.gateway.close();
    gateway.close();
    client.close();
    throw err;
  }

  const blockSource = new FabricBlockSource(network, network.getContract('qscc'));
  const events = new EventStreams({
    source: blockSource,
    checkpoints: new FileCheckpointStore(subscriptionsDir(config, profile)),
    chaincode: profile.chaincode.name,
    defaultContract: LEDGER_CONTRACT,
    logger: root.child({ module: 'events' }),
  });
  const app = createApp({
    records: callers.records,
    chaincode: callers.chaincode,
    authenticate: callers.authenticate,
    adminToken: config.adminToken,
    ...verifyConfig,
    logger: root,
    bodyLimitBytes: config.bodyLimitBytes,
    jsonMaxDepth: config.jsonMaxDepth,
    events,
    checkResponses: config.checkResponses,
    transactions: new QsccTransactionLookup(network.getContract('qscc'), profile.channel),
    offline: new OfflineTransactions(client, {
      mspId: profile.mspId,
      channel: profile.channel,
      chaincode: profile.chaincode.name,
      transientEndorsers,
      deadlines,
    }),
    allowedHosts: config.allowedHosts,
    rateLimitPerMinute: config.rateLimitPerMinute || undefined,
    corsOrigins: config.corsOrigins,
    mspId: profile.mspId,
    idempotency: idempotencyStore,
    health: {
      liveness: [peerConnectionCheck(client, profile.peerEndpoint)],
      readiness: [
        chaincodeCheck(network.getContract(profile.chaincode.name)),
        channelHeightCheck(blockSource, profile.channel),
      ],
      isShuttingDown: () => shuttingDown,
    },
  });
  const server = new Server(app);
  if (config.maxConnections) server.maxConnections = config.maxConnections;
  // Longer than the usual load balancer idle timeout (60 s), so the proxy closes idle connections
  // first and never sends a request on one this server is closing.
  server.keepAliveTimeout = 65_000;
  let address: AddressInfo;
  try {
    address = await listen(server, config.host, config.port);
  } catch (err) {
    await callers.close();
    await closeIdempotencyStore();
    admin?.gateway.close();
    gateway.close();
    client.close();
    throw err;
  }
  const url = `http://${address.address}:${address.port}`;
  logger.info(
    { url, mspId: profile.mspId, channel: profile.channel, peer: profile.peerEndpoint },
    `gateway listening (admin routes ${admin ? 'enabled' : 'disabled: set GATEWAY_ADMIN_TOKEN'}; callers' identities: ${callers.identitySource})`,
  );

  const close = async (): Promise<void> => {
    shuttingDown = true;
    // Event streams never end by themselves: end them so that server.close can finish.
    const streamsEnded = events.close();
    // Stop accepting, let requests in flight finish, and close keep-alive connections now idle.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await streamsEnded;
    await callers.close();
    await closeIdempotencyStore();
    admin?.gateway.close();
    gateway.close();
    client.close();
    logger.info('gateway stopped');
  };
  return { server, url, close };
}
