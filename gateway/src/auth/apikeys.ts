import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, formatIssues } from '../config';
import { ApiError } from '../errors';
import type { Principal } from './principal';

/**
 * API keys of systems (not people). A key is `gfk_<id>_<secret>`; the key file stores, per key,
 * only its id, the system's name and the SHA-256 of the secret: the secret is 32 random bytes, so
 * a fast hash suffices (a password hash would only slow every request) and a stolen file gives no
 * key.
 */

const KEY_PATTERN = /^gfk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,40}$/;

const keyFileSchema = z.object({
  keys: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{16}$/),
      name: z.string().regex(NAME_PATTERN),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/** One stored key. */
export type ApiKeyEntry = z.infer<typeof keyFileSchema>['keys'][number];

/** SHA-256 of a secret, hex. */
function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Reads a key file; a missing file is no keys. */
export function readApiKeyFile(file: string): ApiKeyEntry[] {
  if (!existsSync(file)) return [];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`API key file ${file} is not readable JSON: ${(err as Error).message}`);
  }
  const parsed = keyFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(`invalid API key file ${file}: ${formatIssues(parsed.error.issues)}`);
  }
  return parsed.data.keys;
}

/**
 * Creates a key for system `name`, adds its hash to `file` (mode 0600) and returns the key: the
 * only time it is shown.
 */
export function createApiKey(file: string, name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new ConfigError(
      'a system name is 1-41 lower-case letters, digits or -, starting with a letter or digit',
    );
  }
  const keys = readApiKeyFile(file).filter((k) => k.name !== name);
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  keys.push({ id, name, sha256: digest(secret).toString('hex') });
  writeFileSync(file, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  return `gfk_${id}_${secret}`;
}

/** Checks API keys against their stored hashes. */
export class ApiKeyAuthenticator {
  private readonly byId: Map<string, ApiKeyEntry>;

  constructor(entries: readonly ApiKeyEntry[]) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
  }

  /**
   * The principal of a valid key: `system-<name>`.
   * @throws ApiError UNAUTHORIZED (the same answer for an unknown id and a wrong secret).
   */
  verify(key: string): Principal {
    const match = KEY_PATTERN.exec(key);
    const entry = match ? this.byId.get(match[1]) : undefined;
    if (!match || !entry || !timingSafeEqual(digest(match[2]), Buffer.from(entry.sha256, 'hex'))) {
      throw new ApiError('UNAUTHORIZED', 'API key rejected: unknown or revoked key');
    }
    return { kind: 'system', enrollmentId: `system-${entry.name}` };
  }
}
