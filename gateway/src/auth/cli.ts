/**
 * `node gateway/dist/auth/cli.js token <officer> [ttlSeconds]`: prints a devnet bearer token for an
 * officer (signed by the local issuer under DEVNET_HOME, default <repo>/.devnet);
 * `node gateway/dist/auth/cli.js apikey <MSPID> <system-name>`: creates an API key for a system of
 * that ministry's gateway, stores only its hash, prints the key once.
 */
import * as path from 'node:path';
import { createApiKey } from './apikeys';
import { apiKeysFileOf } from './config';
import { mintDevToken } from './devissuer';
import { ENROLLMENT_ID_PATTERN } from './principal';

const USAGE = 'usage: token <officer> [ttlSeconds] | apikey <MSPID> <system-name>';

async function main(argv: string[]): Promise<string> {
  const home = path.resolve(process.env.DEVNET_HOME ?? path.join(__dirname, '..', '..', '..', '.devnet'));
  const [command, first, second] = argv;
  if (command === 'token' && first !== undefined) {
    if (!ENROLLMENT_ID_PATTERN.test(first)) throw new Error('an officer is 1-64 letters, digits or . _ @ -');
    const ttl = second === undefined ? undefined : Number(second);
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0))
      throw new Error('ttlSeconds must be a positive integer');
    return mintDevToken(home, { sub: first, ttlSeconds: ttl });
  }
  if (command === 'apikey' && first !== undefined && second !== undefined) {
    return createApiKey(apiKeysFileOf(home, first), second);
  }
  throw new Error(USAGE);
}

main(process.argv.slice(2)).then(
  (out) => process.stdout.write(`${out}\n`),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
