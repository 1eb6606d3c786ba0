import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { API_ROUTES, type ApiRoute } from '../../gateway/src/api/routes';
import { newSeededRecord } from '../support/seed';
import { anyJson, fromZod } from './schemaarb';

/** One HTTP request exactly as the fuzz suite sends it (and saves it for replay). */
export interface FuzzRequest {
  method: string;
  /** Path and query, sent as is (percent-escapes not re-encoded). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The documented body nesting limit (GATEWAY_JSON_MAX_DEPTH's default). */
export const JSON_MAX_DEPTH = 64;

/** Path segments and query text inserted raw: malformed or surprising percent-escapes. */
const RAW_ESCAPES = ['%zz', '%', '%C0%AF', '%FF', '%ED%A0%80', '%00', '%2F', '%2e%2e', '..', '.', '%E0%A4%A'];

/** Strings clients should not send. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '%00',
  '../../etc/passwd',
  'a'.repeat(5000),
  '𝕏'.repeat(10),
  '\ud800',
  '<script>alert(1)</script>',
  'null',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  'x509::CN=a::CN=b',
];

/** Any JSON value a field should not hold. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...NASTY_STRINGS, null, true, -1, 0, 1.5, 1e308, [], {}, [[[]]], { $gt: '' }),
  anyJson,
);

/** Bookmarks that are not the previous page's: ranges of other object types, NULs, junk. */
const BOGUS_BOOKMARKS = [
  '\u0000',
  '\u0000zzz',
  '\u0000record~issuer\u0000ImmigrationMSP\u0000',
  '\u0000rules~law\u0000',
  '\u0000authz~grant\u0000',
  '\u0000\udbff',
  'x'.repeat(1024),
  '%00',
  '\u00ff\u00ff',
];

/** A schema value, sometimes replaced by a nasty one. */
function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: nastyValue });
}

/** Each field of an object from the schema, mutated one by one; sometimes extra fields. */
function fieldsOf(route: ApiRoute, part: 'params' | 'query'): fc.Arbitrary<Record<string, unknown>> {
  const schema = route[part];
  if (!schema) return fc.constant({});
  const fields = Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, mutated(fromZod(v))]));
  return fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/** The value percent-encoded; a lone surrogate (not encodable) becomes its raw, invalid UTF-8 escape. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

/** A path segment: the value percent-encoded, or a raw escape. */
const segment = (value: unknown): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(encodeSegment(text(value))) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_ESCAPES) },
  );

function pathArb(route: ApiRoute): fc.Arbitrary<string> {
  return fieldsOf(route, 'params').chain((params) => {
    const parts = route.path
      .split('/')
      .map((part) => (part.startsWith(':') ? segment(params[part.slice(1)] ?? '') : fc.constant(part)));
    return fc.tuple(...parts).map((p) => p.join('/'));
  });
}

function queryArb(route: ApiRoute): fc.Arbitrary<string> {
  const hasBookmark = route.query !== undefined && 'bookmark' in route.query.shape;
  return fc
    .tuple(
      fieldsOf(route, 'query'),
      hasBookmark ? fc.option(fc.constantFrom(...BOGUS_BOOKMARKS), { freq: 2 }) : fc.constant(null),
      fc.option(fc.constantFrom(...RAW_ESCAPES), { freq: 8 }),
      fc.boolean(),
    )
    .map(([fields, bookmark, raw, repeat]) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) {
        q.append(k, text(v));
        if (repeat && k === 'pageSize') q.append(k, text(v));
      }
      if (bookmark !== null) q.set('bookmark', bookmark);
      const query = q.toString();
      const withRaw = raw === null ? query : `${query}${query ? '&' : ''}bookmark=${raw}`;
      return withRaw ? `?${withRaw}` : '';
    });
}

/** `{"a":{"a":...}}` or `[[...]]`, `depth` levels, as text. */
function deepText(depth: number, array: boolean): string {
  return array ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Body text: the schema's shape (mutated), or something worse. */
function bodyArb(route: ApiRoute): fc.Arbitrary<string | undefined> {
  const shaped = route.body
    ? fromZod(route.body).chain((value) =>
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? fc
              .tuple(fc.constantFrom(...Object.keys(value), '__extra'), nastyValue, fc.boolean())
              .map(([k, v, mutate]) => JSON.stringify(mutate ? { ...value, [k]: v } : value))
          : fc.constant(JSON.stringify(value)),
      )
    : fc.constant(undefined);
  return fc.oneof(
    { weight: 12, arbitrary: shaped },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(JSON_MAX_DEPTH - 1, JSON_MAX_DEPTH, 65, 2000, 5000, 20000), fc.boolean())
        .map(([depth, array]) => deepText(depth, array)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        JSON.stringify(Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`k${i}`, i]))),
        `[${'1,'.repeat(200000)}1]`,
        '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.constantFrom('1', '"x"', 'null', '{', '{"a":1}}', '\ufeff{}'),
      ),
    },
  );
}

const CONTENT_TYPES = [
  'application/json; foo',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json;;',
];

type Encoding =
  | 'none'
  | 'gzip'
  | 'deflate'
  | 'br'
  | 'gzip-mismatch'
  | 'deflate-mismatch'
  | 'br-cut'
  | 'compress';

function encode(body: Buffer, encoding: Encoding): { bytes: Buffer; header?: string } {
  switch (encoding) {
    case 'none':
      return { bytes: body };
    case 'gzip':
      return { bytes: gzipSync(body), header: 'gzip' };
    case 'deflate':
      return { bytes: deflateSync(body), header: 'deflate' };
    case 'br':
      return { bytes: brotliCompressSync(body), header: 'br' };
    case 'gzip-mismatch':
      return { bytes: body, header: 'gzip' };
    case 'deflate-mismatch':
      return { bytes: gzipSync(body), header: 'deflate' };
    case 'br-cut':
      return { bytes: brotliCompressSync(body).subarray(0, 3), header: 'br' };
    case 'compress':
      return { bytes: body, header: 'compress' };
  }
}

/** Everything a request varies in besides its route. */
function headersArb(adminToken: string) {
  return fc.record({
    contentType: fc.oneof(
      { weight: 10, arbitrary: fc.constant<string | null>('application/json') },
      { weight: 1, arbitrary: fc.constant<string | null>(null) },
      { weight: 1, arbitrary: fc.constant<string | null>('application/json; charset=UTF-8') },
      { weight: 2, arbitrary: fc.constantFrom<string | null>(...CONTENT_TYPES) },
    ),
    encoding: fc.oneof(
      { weight: 12, arbitrary: fc.constant<Encoding>('none') },
      {
        weight: 3,
        arbitrary: fc.constantFrom<Encoding>(
          'gzip',
          'deflate',
          'br',
          'gzip-mismatch',
          'deflate-mismatch',
          'br-cut',
          'compress',
        ),
      },
    ),
    auth: fc.constantFrom<string | null>(
      null,
      null,
      `Bearer ${adminToken}`,
      `Bearer ${adminToken}`,
      'Bearer wrong-token-0123456789',
      'Basic YTpi',
      'Bearer ',
    ),
    requestId: fc.option(fc.constantFrom('abc', 'x'.repeat(300), '../..', 'ok-1'), { freq: 4 }),
    method: fc.oneof(
      { weight: 20, arbitrary: fc.constant<string | null>(null) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<string | null>('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'GET', 'POST'),
      },
    ),
    pathVariant: fc.oneof(
      { weight: 20, arbitrary: fc.constant('same') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('trailing-slash', 'upper', 'double-slash', 'extra-segment', 'v2'),
      },
    ),
  });
}

function varyPath(path: string, variant: string): string {
  switch (variant) {
    case 'trailing-slash':
      return `${path}/`;
    case 'upper':
      return path.toUpperCase();
    case 'double-slash':
      return path.replace('/v1/', '/v1//');
    case 'extra-segment':
      return `${path}/x`;
    case 'v2':
      return path.replace('/v1/', '/v2/');
    default:
      return path;
  }
}

/** A request to a described route, generated from its schemas and then varied. */
function routeRequestArb(route: ApiRoute, adminToken: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({ path: pathArb(route), query: queryArb(route), body: bodyArb(route), h: headersArb(adminToken) })
    .map(({ path, query, body, h }) => {
      const method = h.method ?? route.method.toUpperCase();
      const headers: Record<string, string> = {};
      if (h.auth !== null) headers.authorization = h.auth;
      if (h.requestId !== null) headers['x-request-id'] = h.requestId;
      let bytes: Buffer | undefined;
      if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
        if (h.contentType !== null) headers['content-type'] = h.contentType;
        const encoded = encode(Buffer.from(body, 'utf8'), h.encoding);
        bytes = encoded.bytes;
        if (encoded.header) headers['content-encoding'] = encoded.header;
      }
      return { method, path: varyPath(path, h.pathVariant) + query, headers, body: bytes };
    });
}

/** A registration the API documents as valid (a seeded record type, a fresh id). */
function validRegistration(): FuzzRequest {
  const record = newSeededRecord('immigration.residence-permit');
  return {
    method: 'POST',
    path: '/api/v1/records',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(record)),
  };
}

/** Paths outside the API. */
const strayPaths = fc.constantFrom(
  '/',
  '/api',
  '/api/v1',
  '/healthz/x',
  '/%zz',
  '/api/v1/records/%',
  '/.env',
  '/api/v1/audit',
);

/**
 * The fuzz suite's requests: every described route (its schemas' shapes with mutated values,
 * broken encodings, bogus bookmarks and ids, deep and wide bodies, header, method and path
 * variants, admin routes with and without the token), some documented-valid registrations, and
 * stray paths.
 */
export function fuzzRequests(adminToken: string): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    {
      weight: 30,
      arbitrary: fc.constantFrom(...API_ROUTES).chain((route) => routeRequestArb(route, adminToken)),
    },
    { weight: 2, arbitrary: fc.constant(null).map(validRegistration) },
    { weight: 1, arbitrary: strayPaths.map((path): FuzzRequest => ({ method: 'GET', path, headers: {} })) },
  );
}
