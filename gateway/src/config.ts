import * as path from 'node:path';
import { z } from 'zod';

/** Thrown when the environment or the connection profile is wrong; the message names what and where. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `path.to.field: message; ...` for zod issues, so a configuration error says which setting is wrong. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** The HTTP gateway's settings, read from the environment by {@link loadConfig}. */
export interface GatewayConfig {
  /** TCP port of the HTTP server (`GATEWAY_PORT`, default 3000; 0 picks a free port). */
  port: number;
  /** Interface to bind (`GATEWAY_HOST`, default 127.0.0.1). */
  host: string;
  /** Connection profile path (`GATEWAY_PROFILE`, default `<DEVNET_HOME or repo/.devnet>/profiles/ImmigrationMSP.json`). */
  profilePath: string;
  /**
   * Admin identity's connection profile (`GATEWAY_ADMIN_PROFILE`, default `<MSPID>-admin.json`
   * beside the user profile, as network-config writes it).
   */
  adminProfilePath?: string;
  /** Bearer token of admin routes (`GATEWAY_ADMIN_TOKEN`, at least 16 characters); unset = disabled. */
  adminToken?: string;
  /**
   * Organizations endorsing transactions with personal (transient) data (`GATEWAY_ENDORSING_ORGS`,
   * comma-separated; default: own + others for a majority, from the devnet's network.json).
   */
  endorsingOrgs?: string[];
  /** Largest accepted JSON body in bytes (`GATEWAY_BODY_LIMIT`, default 1 MiB); larger bodies get 413. */
  bodyLimitBytes: number;
  /** Deepest nesting of arrays and objects in a JSON body (`GATEWAY_JSON_MAX_DEPTH`, default 64); deeper bodies get 400. */
  jsonMaxDepth?: number;
  /**
   * Host names the API answers for (`GATEWAY_ALLOWED_HOSTS`, comma-separated; default localhost,
   * 127.0.0.1, [::1] and GATEWAY_HOST); other Host headers get 421 (DNS rebinding).
   */
  allowedHosts?: string[];
  /** Requests per client address per minute (`GATEWAY_RATE_LIMIT`, default 6000; 0 = unlimited). */
  rateLimitPerMinute?: number;
  /** Concurrent connections the server accepts (`GATEWAY_MAX_CONNECTIONS`, default 512). */
  maxConnections?: number;
  /** Answer 500 for a success body that does not match its described schema (`GATEWAY_CHECK_RESPONSES=true`; for tests). */
  checkResponses?: boolean;
  /**
   * Directory of the event streams' durable subscription checkpoints (`GATEWAY_SUBSCRIPTIONS_DIR`;
   * default `gateway/<MSPID>/subscriptions` beside the profile's directory).
   */
  subscriptionsDir?: string;
  /** Origins allowed by CORS (`GATEWAY_CORS_ORIGINS`, comma-separated; default none: no CORS). */
  corsOrigins?: string[];
  /**
   * Where submits' outcomes are kept by Idempotency-Key (`GATEWAY_IDEMPOTENCY_DIR`, default
   * `<devnet home>/gateways/<MSPID>-<port>/idempotency`, or a fresh temporary folder for port 0);
   * one gateway process per folder.
   */
  idempotencyDir?: string;
  /** How long an Idempotency-Key's outcome is kept, in seconds (`GATEWAY_IDEMPOTENCY_MAX_AGE`, default 86400). */
  idempotencyMaxAgeSeconds?: number;
  /** How many Idempotency-Keys are kept, the oldest dropped first (`GATEWAY_IDEMPOTENCY_MAX_KEYS`, default 100000). */
  idempotencyMaxKeys?: number;
  /** New transactions tried after a read conflict (`GATEWAY_MVCC_RETRIES`, default 3, at most 10). */
  mvccRetries?: number;
  /** How long a submit waits for its commit status, in ms (`GATEWAY_COMMIT_TIMEOUT_MS`, default 60000); then 202 UNKNOWN. */
  commitTimeoutMs?: number;
}

/** The repository root: this file is `gateway/src/config.ts` or `gateway/dist/config.js`. */
const repoRoot = path.resolve(__dirname, '..', '..');

/** Default runtime directory, as devnet resolves it (`DEVNET_HOME` or `<repo>/.devnet`). */
function defaultProfilePath(env: NodeJS.ProcessEnv): string {
  const home = env.DEVNET_HOME ? path.resolve(env.DEVNET_HOME) : path.join(repoRoot, '.devnet');
  return path.join(home, 'profiles', 'ImmigrationMSP.json');
}

const envSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PROFILE: z.string().min(1).optional(),
  GATEWAY_ADMIN_PROFILE: z.string().min(1).optional(),
  GATEWAY_ENDORSING_ORGS: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(,[A-Za-z0-9][A-Za-z0-9._-]*)*$/, 'comma-separated MSP ids')
    .optional(),
  GATEWAY_ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  GATEWAY_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  GATEWAY_JSON_MAX_DEPTH: z.coerce.number().int().min(2).max(1000).default(64),
  GATEWAY_ALLOWED_HOSTS: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]+(,[A-Za-z0-9.:[\]-]+)*$/, 'comma-separated host names')
    .optional(),
  GATEWAY_RATE_LIMIT: z.coerce.number().int().min(0).default(6000),
  GATEWAY_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(512),
  GATEWAY_SUBSCRIPTIONS_DIR: z.string().min(1).optional(),
  GATEWAY_CHECK_RESPONSES: z.enum(['true', 'false']).optional(),
  GATEWAY_IDEMPOTENCY_DIR: z.string().min(1).optional(),
  GATEWAY_IDEMPOTENCY_MAX_AGE: z.coerce.number().int().min(1).optional(),
  GATEWAY_IDEMPOTENCY_MAX_KEYS: z.coerce.number().int().min(1).optional(),
  GATEWAY_MVCC_RETRIES: z.coerce.number().int().min(0).max(10).optional(),
  GATEWAY_COMMIT_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
  GATEWAY_CORS_ORIGINS: z
    .string()
    .regex(
      /^https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*$/,
      'comma-separated origins such as https://portal.example.gov',
    )
    .optional(),
});

/** Host names a gateway on `host` answers for by default: loopback names, and `host` itself unless it is a wildcard. */
function defaultAllowedHosts(host: string): string[] {
  const names = ['localhost', '127.0.0.1', '[::1]'];
  if (host !== '0.0.0.0' && host !== '::' && !names.includes(host))
    names.push(host.includes(':') ? `[${host}]` : host);
  return names;
}

/**
 * The variables of `schema` read from `env`, validated; empty variables count as unset.
 * @throws ConfigError listing every wrong variable.
 */
export function parseEnvironment<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const relevant = Object.fromEntries(
    Object.keys(schema.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(relevant);
  if (!result.success) {
    throw new ConfigError(`invalid gateway environment: ${formatIssues(result.error.issues)}`);
  }
  return result.data;
}

/**
 * Reads and validates the gateway settings from `env` (default `process.env`). Empty variables
 * count as unset. Throws {@link ConfigError} listing every wrong variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = parseEnvironment(envSchema, env);
  return {
    port: e.GATEWAY_PORT,
    host: e.GATEWAY_HOST,
    profilePath: e.GATEWAY_PROFILE ? path.resolve(e.GATEWAY_PROFILE) : defaultProfilePath(env),
    bodyLimitBytes: e.GATEWAY_BODY_LIMIT,
    jsonMaxDepth: e.GATEWAY_JSON_MAX_DEPTH,
    allowedHosts: e.GATEWAY_ALLOWED_HOSTS?.split(',') ?? defaultAllowedHosts(e.GATEWAY_HOST),
    rateLimitPerMinute: e.GATEWAY_RATE_LIMIT,
    maxConnections: e.GATEWAY_MAX_CONNECTIONS,
    corsOrigins: e.GATEWAY_CORS_ORIGINS?.split(','),
    checkResponses: e.GATEWAY_CHECK_RESPONSES === 'true',
    subscriptionsDir: e.GATEWAY_SUBSCRIPTIONS_DIR ? path.resolve(e.GATEWAY_SUBSCRIPTIONS_DIR) : undefined,
    idempotencyDir: e.GATEWAY_IDEMPOTENCY_DIR ? path.resolve(e.GATEWAY_IDEMPOTENCY_DIR) : undefined,
    idempotencyMaxAgeSeconds: e.GATEWAY_IDEMPOTENCY_MAX_AGE,
    idempotencyMaxKeys: e.GATEWAY_IDEMPOTENCY_MAX_KEYS,
    mvccRetries: e.GATEWAY_MVCC_RETRIES,
    commitTimeoutMs: e.GATEWAY_COMMIT_TIMEOUT_MS,
    adminProfilePath: e.GATEWAY_ADMIN_PROFILE ? path.resolve(e.GATEWAY_ADMIN_PROFILE) : undefined,
    adminToken: e.GATEWAY_ADMIN_TOKEN,
    endorsingOrgs: e.GATEWAY_ENDORSING_ORGS?.split(','),
  };
}
