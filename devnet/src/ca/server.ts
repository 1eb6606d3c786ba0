import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getLogger } from '../common/logging';
import { handleAffiliations } from './affiliations';
import type { CARequest, CertificateAuthority } from './authority';
import { handleEnroll, handleReenroll, serverInfo } from './enroll';
import { badRequest, CAError, ErrorCode } from './errors';
import { handleIdentities } from './identities';
import { handleRegister } from './register';
import { handleGenCrl, handleRevoke } from './revoke';

const logger = getLogger('ca.server');

/** Largest request body accepted (a CSR or registration is a few KiB). */
const MAX_BODY_BYTES = 1024 * 1024;
const API_PREFIX = '/api/v1/';

type Handler = (ca: CertificateAuthority, req: CARequest) => Promise<unknown>;

/** One endpoint (Fabric CA's serverEndpoint): methods, handler, HTTP status on success. */
interface Endpoint {
  methods: string[];
  handler: Handler;
  successStatus?: number;
  /** Name of the optional path parameter after the endpoint name (`/identities/:id`). */
  param?: string;
}

const ENDPOINTS: Record<string, Endpoint> = {
  cainfo: { methods: ['GET', 'POST'], handler: (ca) => Promise.resolve(serverInfo(ca)) },
  register: { methods: ['POST'], handler: handleRegister, successStatus: 201 },
  enroll: { methods: ['POST'], handler: handleEnroll, successStatus: 201 },
  reenroll: { methods: ['POST'], handler: handleReenroll, successStatus: 201 },
  revoke: { methods: ['POST'], handler: handleRevoke },
  gencrl: { methods: ['POST'], handler: handleGenCrl },
  identities: { methods: ['GET', 'POST', 'PUT', 'DELETE'], handler: handleIdentities, param: 'id' },
  affiliations: { methods: ['GET', 'POST', 'PUT', 'DELETE'], handler: handleAffiliations, param: 'name' },
};

/** Fabric CA's response envelope: `{result, errors: [{code, message}], messages: [], success}`. */
function writeEnvelope(res: ServerResponse, status: number, result: unknown, error?: CAError): void {
  const body = JSON.stringify({
    result: result ?? '',
    errors: error === undefined ? [] : [{ code: error.code, message: error.message }],
    messages: [],
    success: error === undefined,
  });
  // One request per connection: Node 20 clients keep sockets alive by default, and a request sent on a
  // socket the server is closing for idleness fails with "socket hang up" (fabric-ca-client then gives up).
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new CAError(413, ErrorCode.badRequest, `request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a request into a {@link CARequest} and finds its endpoint. */
async function route(req: IncomingMessage): Promise<{ endpoint: Endpoint; request: CARequest }> {
  const uri = req.url ?? '/';
  const pathname = uri.split('?')[0];
  // Fabric CA's server registers every endpoint at `/<name>` and `/api/v1/<name>` (lib/server.go
  // registerHandler); its Go client calls the former, the npm client the latter.
  const [name, ...rest] = pathname
    .slice(pathname.startsWith(API_PREFIX) ? API_PREFIX.length : 1)
    .split('/')
    .filter((s) => s !== '');
  const endpoint = name === undefined ? undefined : ENDPOINTS[name];
  if (endpoint === undefined || (rest.length > 0 && endpoint.param === undefined) || rest.length > 1) {
    throw new CAError(404, ErrorCode.badRequest, `no endpoint at ${pathname}`);
  }
  const method = req.method ?? 'GET';
  if (!endpoint.methods.includes(method)) {
    throw new CAError(405, ErrorCode.method, `method ${method} is not allowed on /${name}`);
  }
  const body = await readBody(req);
  let json: Record<string, unknown> = {};
  if (body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw badRequest(`the request body is not JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw badRequest('the request body must be a JSON object');
    }
    json = parsed as Record<string, unknown>;
  }
  const params: Record<string, string> = {};
  if (rest.length === 1 && endpoint.param !== undefined) params[endpoint.param] = decodeURIComponent(rest[0]);
  const headers: Record<string, string | undefined> = { authorization: req.headers.authorization };
  return { endpoint, request: { method, uri, params, headers, body, json } };
}

async function serve(ca: CertificateAuthority, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const { endpoint, request } = await route(req);
    ca.checkCaName(request);
    const result = await endpoint.handler(ca, request);
    writeEnvelope(res, endpoint.successStatus ?? 200, result);
    logger.info(
      { method: req.method, path: request.uri.split('?')[0], status: endpoint.successStatus ?? 200 },
      'request',
    );
  } catch (err) {
    const error =
      err instanceof CAError
        ? err
        : new CAError(500, ErrorCode.badRequest, 'internal error (see the CA log)');
    if (!(err instanceof CAError)) logger.error({ err }, 'request failed');
    else
      logger.info(
        { method: req.method, path: (req.url ?? '').split('?')[0], status: error.status, code: error.code },
        'request refused',
      );
    writeEnvelope(res, error.status, undefined, error);
  }
}

/** TLS material of the CA's HTTPS listener. */
export interface CAServerTls {
  certPem: Buffer;
  keyPem: Buffer;
}

/**
 * Serves Fabric CA's REST API (`/api/v1/...`, and as Fabric CA also without the prefix) over HTTPS on 127.0.0.1:`port`.
 * @returns the listening server (close it to stop).
 */
export async function startCAServer(
  ca: CertificateAuthority,
  port: number,
  tls: CAServerTls,
): Promise<https.Server> {
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    void serve(ca, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
