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

/** How long a verified token is taken without verifying it again (at most until it expires). */
const VERIFIED_FOR_MS = 60_000;
/** Verified tokens remembered at most (the oldest go first). */
const MAX_VERIFIED = 10_000;

/**
 * Verifies OpenID Connect bearer tokens (signature against the issuer's keys, `iss`, `aud`,
 * `exp`, `nbf`) with jose and names the officer by `sub`. A client sends the same token with each
 * request until it expires: a verified token is remembered for {@link VERIFIED_FOR_MS} (never past
 * its `exp`), so its signature is checked once a minute rather than at every request. A key the
 * issuer withdraws from its key set thus stops being accepted within that minute.
 */
export class JwtAuthenticator {
  private readonly keys: JWTVerifyGetKey;
  /** Verified tokens → their principal and until when (ms) they are taken as verified. */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

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
    const now = Date.now();
    const known = this.verified.get(token);
    if (known !== undefined && now < known.until) return known.principal;
    this.verified.delete(token);
    let sub: unknown;
    let exp: number | undefined;
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: JWT_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      sub = payload.sub;
      exp = payload.exp;
    } catch (err) {
      throw new ApiError('UNAUTHORIZED', `bearer token rejected: ${reasonOf(err)}`);
    }
    if (typeof sub !== 'string' || !ENROLLMENT_ID_PATTERN.test(sub)) {
      throw new ApiError(
        'UNAUTHORIZED',
        'bearer token rejected: its "sub" must be 1-64 letters, digits or . _ @ - (it names the officer\'s Fabric identity)',
      );
    }
    const principal: Principal = { kind: 'officer', enrollmentId: sub };
    this.remember(
      token,
      principal,
      Math.min(now + VERIFIED_FOR_MS, exp === undefined ? Infinity : exp * 1000),
    );
    return principal;
  }

  /** Remembers a verified token until `until` (ms), forgetting the oldest beyond {@link MAX_VERIFIED}. */
  private remember(token: string, principal: Principal, until: number): void {
    if (this.verified.size >= MAX_VERIFIED) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { principal, until });
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
