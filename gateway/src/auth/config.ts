import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigError, parseEnvironment } from '../config';
import type { CaSettings } from '../wallet/enroller';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevIssuer } from './devissuer';
import type { OidcOptions } from './jwt';

/** How the gateway authenticates callers and where their identities come from. */
export interface AuthConfig {
  oidc: OidcOptions;
  /** Hashes of the systems' API keys. */
  apiKeysFile: string;
  /** The encrypted wallet's folder. */
  walletDir: string;
  /** The wallet passphrase (read from a file, never from the environment or a log). */
  walletPassphrase: string;
  /** The ministry's CA; undefined when the network describes none (only wallet identities then). */
  ca?: CaSettings;
}

const envSchema = z.object({
  GATEWAY_OIDC_ISSUER: z.string().min(1).optional(),
  GATEWAY_OIDC_AUDIENCE: z.string().min(1).optional(),
  GATEWAY_OIDC_JWKS: z.string().min(1).optional(),
  GATEWAY_API_KEYS_FILE: z.string().min(1).optional(),
  GATEWAY_WALLET_DIR: z.string().min(1).optional(),
  GATEWAY_WALLET_PASSPHRASE_FILE: z.string().min(1).optional(),
});

/** The devnet runtime directory a profile belongs to (`<home>/profiles/<MSPID>.json`). */
export function homeOfProfile(profilePath: string): string {
  return path.dirname(path.dirname(profilePath));
}

/**
 * Reads the authentication settings. Without GATEWAY_OIDC_ISSUER the gateway trusts devnet's
 * local issuer (its key set under `<home>/auth`, created when missing); the wallet passphrase
 * file defaults to `<home>/auth/wallet-passphrase`, generated (mode 0600) when missing; the CA is
 * the ministry's in `<home>/network.json`.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv, profilePath: string, mspId: string): AuthConfig {
  const e = parseEnvironment(envSchema, env);
  const home = homeOfProfile(profilePath);
  if (e.GATEWAY_OIDC_ISSUER !== undefined && e.GATEWAY_OIDC_JWKS === undefined) {
    throw new ConfigError(
      'GATEWAY_OIDC_ISSUER needs GATEWAY_OIDC_JWKS (the issuer key set: https URL or file)',
    );
  }
  const oidc: OidcOptions =
    e.GATEWAY_OIDC_ISSUER !== undefined
      ? {
          issuer: e.GATEWAY_OIDC_ISSUER,
          audience: e.GATEWAY_OIDC_AUDIENCE ?? DEV_AUDIENCE,
          jwks: e.GATEWAY_OIDC_JWKS!,
        }
      : {
          issuer: DEV_ISSUER,
          audience: e.GATEWAY_OIDC_AUDIENCE ?? DEV_AUDIENCE,
          jwks: ensureDevIssuer(home).jwksPath,
        };
  return {
    oidc,
    apiKeysFile: path.resolve(e.GATEWAY_API_KEYS_FILE ?? apiKeysFileOf(home, mspId)),
    walletDir: path.resolve(e.GATEWAY_WALLET_DIR ?? path.join(home, 'wallets', mspId)),
    walletPassphrase: readPassphrase(
      e.GATEWAY_WALLET_PASSPHRASE_FILE ?? path.join(home, 'auth', 'wallet-passphrase'),
    ),
    ca: caOf(home, mspId),
  };
}

/** Default API key file of a ministry's gateway. */
export function apiKeysFileOf(home: string, mspId: string): string {
  return path.join(home, 'auth', `api-keys-${mspId}.json`);
}

/** Reads the passphrase file, creating a random passphrase (mode 0600) when it is missing. */
function readPassphrase(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const passphrase = readFileSync(file, 'utf8').trim();
  if (passphrase.length < 16) {
    throw new ConfigError(`the wallet passphrase in ${file} is shorter than 16 characters`);
  }
  return passphrase;
}

const caSchema = z.object({
  url: z.string().min(1),
  caName: z.string().min(1),
  tls: z.object({ caCertPath: z.string().min(1) }),
  registrar: z.object({ enrollmentId: z.string().min(1), secretPath: z.string().min(1) }),
});

/** The ministry's CA as network-config describes it in network.json, if it does. */
function caOf(home: string, mspId: string): CaSettings | undefined {
  let network: { organizations?: { mspId?: unknown; ca?: unknown }[] };
  try {
    network = JSON.parse(readFileSync(path.join(home, 'network.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const org = network.organizations?.find((o) => o.mspId === mspId);
  const ca = caSchema.safeParse(org?.ca);
  if (!ca.success) return undefined;
  const abs = (file: string) => path.resolve(home, file);
  return {
    url: ca.data.url,
    caName: ca.data.caName,
    tlsCaCertPath: abs(ca.data.tls.caCertPath),
    registrar: {
      enrollmentId: ca.data.registrar.enrollmentId,
      secretPath: abs(ca.data.registrar.secretPath),
    },
  };
}
