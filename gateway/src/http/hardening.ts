import cors from 'cors';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { ApiError } from '../errors';
import { sendProblem } from '../errorhandler';

/** The hostname of a Host header (`[::1]:3000` → `[::1]`, `Example.org.` → `example.org`). */
function hostnameOf(host: string): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Refuses requests whose Host header is not one of `allowed` hostnames with 421: a web page on
 * another site cannot reach a gateway on 127.0.0.1 through DNS rebinding, because its requests
 * carry the attacker's host name.
 */
export function allowHosts(allowed: readonly string[]): RequestHandler {
  const names = new Set(allowed.map((h) => hostnameOf(h)));
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = req.headers.host;
    if (host === undefined || !names.has(hostnameOf(host))) {
      throw new ApiError(
        'MISDIRECTED_REQUEST',
        `this gateway answers only for host names ${[...names].join(', ')} (GATEWAY_ALLOWED_HOSTS)`,
      );
    }
    next();
  };
}

/** At most `limit` requests per client IP address per `windowMs` (429 as problem+json). */
export function limitRate(limit: number, windowMs: number): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) =>
      sendProblem(
        res,
        new ApiError(
          'TOO_MANY_REQUESTS',
          `more than ${limit} requests in ${windowMs / 1000} s from this address`,
        ),
      ),
  });
}

/** CORS for the configured origins only; without any, no CORS headers (browsers keep other sites out). */
export function corsFor(origins: readonly string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST'],
    exposedHeaders: ['Location', 'X-Request-Id', 'Transaction-Attempts', 'Idempotent-Replayed'],
  });
}

/** helmet's security headers; the API serves JSON, only /docs serves a page. */
export function securityHeaders(): RequestHandler {
  return helmet();
}
