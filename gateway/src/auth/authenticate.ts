import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sameSecret } from '../admin';
import { ApiError } from '../errors';
import type { ApiKeyAuthenticator } from './apikeys';
import { runAs } from './caller';
import type { JwtAuthenticator } from './jwt';
import type { Principal } from './principal';

/** What {@link authenticate} checks credentials with. */
export interface AuthenticateOptions {
  /** OpenID Connect bearer tokens (officers). */
  jwt: JwtAuthenticator;
  /** API keys (`X-API-Key`, systems). */
  apiKeys: ApiKeyAuthenticator;
  /** The admin routes' bearer token (GATEWAY_ADMIN_TOKEN): its bearer acts as the ministry's admin. */
  adminToken?: string;
}

/**
 * Routes anyone may call: verification of a record by hash or id (and the logged verification
 * of the verification page, when it comes without credentials) and the API description
 * (/healthz and /readyz are mounted before authentication). They run as the gateway's own
 * identity.
 */
export function isPublicRoute(req: Request): boolean {
  // the verification page verifies without login; with credentials, as the caller's organization
  if (req.method === 'POST' && /^\/api\/v1\/verifications\/?$/.test(req.path)) {
    return req.get('authorization') === undefined && req.get('x-api-key') === undefined;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  return (
    /^\/api\/v1\/records\/verify\/[^/]+\/?$/.test(req.path) ||
    /^\/api\/v1\/records\/[^/]+\/verify\/?$/.test(req.path) ||
    /^\/api\/v1\/openapi\.json$/.test(req.path)
  );
}

/** 401 asking for credentials, with the challenge RFC 6750 describes. */
function unauthorized(res: Response, err: ApiError): never {
  res.setHeader('WWW-Authenticate', 'Bearer realm="govfabric", error="invalid_token"');
  throw err;
}

/**
 * Authenticates every request but those of {@link isPublicRoute}: `Authorization: Bearer <JWT>`
 * (an officer), `X-API-Key: <key>` (a system) or `Authorization: Bearer <admin token>`. The rest
 * of the request runs as that principal (see caller.ts). Credentials are never logged or echoed.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (isPublicRoute(req)) {
      runAs({ public: true }, next);
      return;
    }
    let principal: Principal;
    try {
      principal = await principalOf(req, options);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'UNAUTHORIZED') unauthorized(res, err);
      throw err;
    }
    runAs({ principal }, next);
  };
}

/** The principal the request's credentials name. */
async function principalOf(req: Request, options: AuthenticateOptions): Promise<Principal> {
  const apiKey = req.get('x-api-key');
  const authorization = req.get('authorization');
  if (apiKey !== undefined && authorization !== undefined) {
    throw new ApiError('UNAUTHORIZED', 'send either Authorization or X-API-Key, not both');
  }
  if (apiKey !== undefined) return options.apiKeys.verify(apiKey);
  if (authorization === undefined) {
    throw new ApiError(
      'UNAUTHORIZED',
      'authentication required: Authorization: Bearer <OpenID Connect token> or X-API-Key: <key>',
    );
  }
  const match = /^Bearer ([^\s]+)$/i.exec(authorization);
  if (!match) {
    throw new ApiError('UNAUTHORIZED', 'the Authorization header must be "Bearer <token>"');
  }
  if (options.adminToken !== undefined && sameSecret(match[1], options.adminToken)) {
    return { kind: 'admin', enrollmentId: 'admin' };
  }
  return options.jwt.verify(match[1]);
}
