import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import type { Gateway } from '@hyperledger/fabric-gateway';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ChaincodeClients } from '../chaincode/client';
import { connectGateway, type DeadlineSettings } from '../fabric/connection';
import type { ConnectionProfile } from '../fabric/profile';
import type { RecordsService } from '../records/service';
import { CaEnroller } from '../wallet/enroller';
import { IdentityPool, signerOf } from '../wallet/identities';
import { FileWallet, type WalletIdentity } from '../wallet/wallet';
import { ApiKeyAuthenticator, readApiKeyFile } from './apikeys';
import { authenticate } from './authenticate';
import { CallerClients, type IdentityClients } from './callerclients';
import { loadAuthConfig } from './config';
import { JwtAuthenticator } from './jwt';
import { ENROLLMENT_ID_PATTERN } from './principal';

/** What the app needs to serve each caller as their own identity. */
export interface CallerSetup {
  authenticate: RequestHandler;
  /** Chaincode clients signing as the caller. */
  chaincode: ChaincodeClients;
  /** Records service signing as the caller. */
  records: RecordsService;
  /** Where officers' identities come from, for the startup log. */
  identitySource: string;
  /** Closes every cached Gateway. */
  close(): Promise<void>;
}

/** What {@link setUpCallers} is given by startServer. */
export interface CallerSetupOptions {
  env: NodeJS.ProcessEnv;
  profilePath: string;
  profile: ConnectionProfile;
  /** The one gRPC client every Gateway shares. */
  client: grpc.Client;
  /** The gateway's own identity's clients: used by public routes only. */
  service: IdentityClients;
  /** Builds the clients of an identity's Gateway. */
  build: (gateway: Gateway) => IdentityClients;
  /** Deadlines of every caller's Gateway (default: fabric/connection.ts Deadlines). */
  deadlines?: DeadlineSettings;
  /** The admin identity's Gateway, when admin routes are on, and their token. */
  admin?: { gateway: Gateway; token: string };
  logger: Logger;
}

/**
 * Wires authentication and per-caller identities: OpenID Connect and API-key authenticators, the
 * encrypted wallet (seeded with the profile's own user under its common name, e.g. `User1`), the
 * ministry's CA when the network describes one, and the pool of per-identity Gateways.
 */
export async function setUpCallers(options: CallerSetupOptions): Promise<CallerSetup> {
  const { profile, logger } = options;
  const config = loadAuthConfig(options.env, options.profilePath, profile.mspId);
  const wallet = new FileWallet(config.walletDir, config.walletPassphrase);
  await importProfileUser(wallet, profile);
  const enroller = config.ca ? new CaEnroller(config.ca, profile.mspId, wallet) : undefined;
  const pool = new IdentityPool<IdentityClients>(
    wallet,
    enroller,
    (identity) =>
      connectGateway(
        options.client,
        { mspId: identity.mspId, credentials: Buffer.from(identity.certificate) },
        signerOf(identity),
        options.deadlines,
      ),
    options.build,
    logger.child({ module: 'auth.identities' }),
  );
  if (options.admin) pool.preset('admin', options.admin.gateway);
  const callers = new CallerClients(pool, options.service);
  return {
    authenticate: authenticate({
      jwt: new JwtAuthenticator(config.oidc),
      apiKeys: new ApiKeyAuthenticator(readApiKeyFile(config.apiKeysFile)),
      adminToken: options.admin?.token,
    }),
    chaincode: callers.clients(),
    records: callers.records(),
    identitySource: config.ca ? `enrolled at ${config.ca.url} on first use` : 'the wallet only (no CA)',
    close: () => pool.close(),
  };
}

/** The profile's user (cryptogen's `User1@<domain>`) in the wallet as `User1`, unless already there. */
async function importProfileUser(wallet: FileWallet, profile: ConnectionProfile): Promise<void> {
  const certificate = readFileSync(profile.certPath, 'utf8');
  const cn = /CN=([^\n,+]+)/.exec(new X509Certificate(certificate).subject)?.[1] ?? '';
  const label = cn.split('@')[0];
  if (!ENROLLMENT_ID_PATTERN.test(label) || (await wallet.get(label))) return;
  const identity: WalletIdentity = {
    mspId: profile.mspId,
    certificate,
    privateKey: readFileSync(profile.keyPath, 'utf8'),
  };
  await wallet.put(label, identity);
}
