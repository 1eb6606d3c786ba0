import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SignJWT } from 'jose';

/**
 * devnet's small OpenID Connect token issuer: an ES256 signing key generated into the runtime
 * directory (`<home>/auth/issuer-key.pem`, mode 0600) and its public key set (`jwks.json`) that
 * gateways trust by default. Production gateways trust their identity provider instead
 * (GATEWAY_OIDC_ISSUER, _AUDIENCE, _JWKS).
 */

/** `iss` of devnet tokens. */
export const DEV_ISSUER = 'https://issuer.devnet.govfabric.local';
/** `aud` of devnet tokens (and the gateways' default audience). */
export const DEV_AUDIENCE = 'govfabric-gateway';
/** Default lifetime of a minted token. */
export const DEFAULT_TOKEN_TTL_S = 8 * 3600;

/** Files of the devnet issuer under a runtime directory. */
export interface DevIssuerFiles {
  dir: string;
  privateKeyPath: string;
  jwksPath: string;
}

/** Where the devnet issuer's files live under `home` (the devnet runtime directory). */
export function devIssuerFiles(home: string): DevIssuerFiles {
  const dir = path.join(home, 'auth');
  return { dir, privateKeyPath: path.join(dir, 'issuer-key.pem'), jwksPath: path.join(dir, 'jwks.json') };
}

/** Creates the signing key and JWKS once; later calls keep them (tokens stay valid). */
export function ensureDevIssuer(home: string): DevIssuerFiles {
  const files = devIssuerFiles(home);
  if (existsSync(files.privateKeyPath) && existsSync(files.jwksPath)) return files;
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  writeFileSync(files.privateKeyPath, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  writeFileSync(files.privateKeyPath + '.kid', kid, { mode: 0o600 });
  writeFileSync(files.jwksPath, `${JSON.stringify({ keys: [jwk] }, null, 2)}\n`);
  return files;
}

/** What a minted token says. */
export interface TokenClaims {
  /** The officer: becomes the enrollment id of their Fabric identity. */
  sub: string;
  name?: string;
  audience?: string;
  ttlSeconds?: number;
}

/** Signs an ES256 access token with the devnet issuer's key (creating the key when missing). */
export async function mintDevToken(home: string, claims: TokenClaims): Promise<string> {
  const files = ensureDevIssuer(home);
  const key = createPrivateKey(readFileSync(files.privateKeyPath));
  const kid = readFileSync(files.privateKeyPath + '.kid', 'utf8');
  const jwt = new SignJWT(claims.name ? { name: claims.name } : {})
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(claims.audience ?? DEV_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? DEFAULT_TOKEN_TTL_S}s`);
  return jwt.sign(key);
}
