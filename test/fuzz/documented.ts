import * as querystring from 'node:querystring';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import * as contentType from 'content-type';
import { API_ROUTES, type ApiRoute } from '../../gateway/src/api/routes';
import { jsonNestingDepth } from '../../gateway/src/http/jsondepth';
import { JSON_MAX_DEPTH, type FuzzRequest } from './requests';

/** The documented body size limit (GATEWAY_BODY_LIMIT's default). */
const BODY_LIMIT = 1024 * 1024;

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The route a path matches as Express does (case-insensitive, optional trailing slash), with its decoded params. */
function match(route: ApiRoute, pathname: string): Record<string, string> | undefined {
  const want = route.path.split('/');
  const got = pathname.replace(/(.)\/$/, '$1').split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      const value = decode(got[i]);
      if (!value) return undefined;
      params[want[i].slice(1)] = value;
    } else if (want[i].toLowerCase() !== got[i].toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

function inflate(body: Buffer, encoding: string | undefined): Buffer | undefined {
  try {
    switch ((encoding ?? 'identity').toLowerCase()) {
      case 'identity':
        return body;
      case 'gzip':
        return gunzipSync(body);
      case 'deflate':
        return inflateSync(body);
      case 'br':
        return brotliDecompressSync(body);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** The JSON body if the request carries one the API documents as acceptable (else undefined). */
function jsonBody(req: FuzzRequest): { value: unknown } | undefined {
  if (!req.body || req.body.length === 0) return undefined;
  let type: contentType.ParsedMediaType;
  try {
    type = contentType.parse(req.headers['content-type'] ?? '');
  } catch {
    return undefined;
  }
  const charset = type.parameters.charset?.toLowerCase();
  if (type.type !== 'application/json' || (charset !== undefined && charset !== 'utf-8')) return undefined;
  const bytes = inflate(req.body, req.headers['content-encoding']);
  if (!bytes || bytes.length > BODY_LIMIT || jsonNestingDepth(bytes, JSON_MAX_DEPTH) > JSON_MAX_DEPTH)
    return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' ? { value } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the API documents this request as valid for a writing route: a described route and
 * method, every percent-escape UTF-8, params, query and body accepted by the route's own zod
 * schemas, a JSON body within the documented limits, and the admin token where the route needs it.
 * A request with a body that is not JSON is valid only for routes that take no body.
 */
export function documentedValidWrite(req: FuzzRequest, adminToken: string): boolean {
  const [pathname, query = ''] = req.path.split(/\?(.*)/s, 2);
  if (decode(req.path) === undefined) return false;
  return API_ROUTES.some((route) => {
    if (!route.writes || route.method.toUpperCase() !== req.method) return false;
    const params = match(route, pathname);
    if (!params) return false;
    if (route.params && !route.params.safeParse(params).success) return false;
    if (route.query && !route.query.safeParse(querystring.parse(query)).success) return false;
    if (route.admin && req.headers.authorization !== `Bearer ${adminToken}`) return false;
    const body = jsonBody(req);
    if (route.body) return body !== undefined && route.body.safeParse(body.value).success;
    return (
      !req.body ||
      req.body.length === 0 ||
      body !== undefined ||
      !/json/i.test(req.headers['content-type'] ?? '')
    );
  });
}
