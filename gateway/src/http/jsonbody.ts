import * as contentType from 'content-type';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../errors';
import { jsonNestingDepth } from './jsondepth';
import { checkStrictJson } from './strictjson';

/** Limits of JSON request bodies. */
export interface JsonBodyLimits {
  /** Largest body in bytes, after decompression (larger: 413 PAYLOAD_TOO_LARGE). */
  maxBytes: number;
  /** Deepest nesting of arrays and objects (deeper: 400 JSON_TOO_DEEP). */
  maxDepth: number;
}

/** Default {@link JsonBodyLimits.maxDepth}: far beyond any record payload, far below a stack overflow. */
export const DEFAULT_JSON_MAX_DEPTH = 64;

/** True when the request carries a body (a Content-Length above 0 or a Transfer-Encoding). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Checks the Content-Type of a request with a body: a header that does not parse is 400
 * MALFORMED_HEADER (`application/json; foo`); JSON in any charset but UTF-8 is 415.
 */
function checkContentType(req: Request, _res: Response, next: NextFunction): void {
  const header = req.headers['content-type'];
  if (header === undefined || !hasBody(req)) return next();
  let parsed: contentType.ParsedMediaType;
  try {
    parsed = contentType.parse(header);
  } catch {
    throw new ApiError(
      'MALFORMED_HEADER',
      'the Content-Type header is malformed (expected e.g. application/json or application/json; charset=utf-8)',
    );
  }
  const charset = parsed.parameters.charset?.toLowerCase();
  if (parsed.type === 'application/json' && charset !== undefined && charset !== 'utf-8') {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `JSON bodies must be UTF-8, not charset=${charset}`);
  }
  next();
}

/**
 * The JSON body parser of the API: checks Content-Type, inflates gzip/deflate/br bodies
 * (a body that does not match its Content-Encoding is 400 MALFORMED_BODY), refuses bodies larger
 * or deeper than `limits` before JSON.parse or any recursive code sees them, refuses what RFC 8785
 * cannot canonicalize as sent (duplicate keys, lone surrogates, `__proto__`: see strictjson), and
 * parses only objects and arrays.
 */
export function jsonBody(limits: JsonBodyLimits): RequestHandler[] {
  const verify = (_req: unknown, _res: unknown, bytes: Buffer): void => {
    if (jsonNestingDepth(bytes, limits.maxDepth) > limits.maxDepth) {
      throw new ApiError(
        'JSON_TOO_DEEP',
        `the JSON body is nested deeper than ${limits.maxDepth} levels of arrays and objects`,
      );
    }
    // depth is bounded now, so the strict parse's recursion is too
    checkStrictJson(bytes.toString('utf8'));
  };
  return [checkContentType, express.json({ limit: limits.maxBytes, strict: true, verify })];
}
