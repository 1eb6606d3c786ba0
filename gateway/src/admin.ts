import { timingSafeEqual, createHash } from 'node:crypto';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from './errors';

/** How admin routes are protected: the bearer token (unset = admin routes disabled). */
export interface AdminAuthOptions {
  token?: string;
}

/** Constant-time comparison of two strings (hashed first so lengths do not leak). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Guards routes signed with the ministry's admin identity. The HTTP API has no user
 * authentication yet, so these need `Authorization: Bearer <GATEWAY_ADMIN_TOKEN>`; without the
 * variable every admin route answers 403 saying how to enable them.
 */
export function requireAdmin(options: AdminAuthOptions): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!options.token) {
      throw new ApiError(
        'FORBIDDEN',
        'admin routes are disabled: start the gateway with GATEWAY_ADMIN_TOKEN set (and the admin profile in GATEWAY_ADMIN_PROFILE) and send Authorization: Bearer <token>',
      );
    }
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match || !sameSecret(match[1], options.token)) {
      throw new ApiError('UNAUTHORIZED', 'admin route: missing or wrong Authorization: Bearer token');
    }
    next();
  };
}
