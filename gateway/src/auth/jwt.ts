import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ConfigError } from '../config';
import { ApiError } from '../errors';
import { ENROLLMENT_ID_PATTERN, type Principal } from './principal';

/** Where the gateway takes OpenID Connect tokens from. */
export interface OidcOptions {
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud` (one of them). */
  audience: string;
  /** The issuer's JSON Web Key Set: an `https://` URL (fetched and cached by jose) or a file. */
  jwks: string;
}

/** Signature algorithms accepted (asymmetric only: a gateway never holds a token-signing secret). */
export const JWT_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

/** Clock skew tolerated on `exp`/`nbf`, seconds. */
const CLOCK_TOLERANCE_S = 30;

/** The key set of `jwks`: remote (jose caches and refreshes it) or a local file read once. */
export function keySetOf(jwks: string): JWTVerifyGetKey {
  if (/^https?:\/\//.test(jwks)) return createRemoteJWKSet(new URL(jwks));
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(jwks, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read the JWKS file ${jwks} (GATEWAY_OIDC_JWKS): ${(err as Error).message}`);
  }
  return createLocalJWKSet(parsed as Parameters<typeof createLocalJWKSet>[0]);
}

/**
 * Verifies OpenID Connect bearer tokens (signature against the issuer's keys, `iss`, `aud`,
 * `exp`, `nbf`) with jose and names the officer by `sub`.
 */
export class JwtAuthenticator {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly options: OidcOptions,
    keys?: JWTVerifyGetKey,
  ) {
    this.keys = keys ?? keySetOf(options.jwks);
  }

  /**
   * The principal of a valid token.
   * @throws ApiError UNAUTHORIZED saying why (never quoting the token).
   */
  async verify(token: string): Promise<Principal> {
    let sub: unknown;
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: JWT_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      sub = payload.sub;
    } catch (err) {
      throw new ApiError('UNAUTHORIZED', `bearer token rejected: ${reasonOf(err)}`);
    }
    if (typeof sub !== 'string' || !ENROLLMENT_ID_PATTERN.test(sub)) {
      throw new ApiError(
        'UNAUTHORIZED',
        'bearer token rejected: its "sub" must be 1-64 letters, digits or . _ @ - (it names the officer\'s Fabric identity)',
      );
    }
    return { kind: 'officer', enrollmentId: sub };
  }
}

/** A reason for a rejected token that names the failed check, not the token's content. */
function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'it has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `claim "${err.claim}" is not as expected`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches it';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not accepted';
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid) return 'it is not a valid JWT';
  if (err instanceof errors.JOSEError) return err.code;
  return 'it cannot be verified';
}
