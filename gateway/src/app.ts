import express, { Express, NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { TransactionLookup } from './fabric/transactions';
import { docsRouter } from './api/docs';
import { checkResponses } from './api/responsecheck';
import { idempotency } from './idempotency/middleware';
import { IdempotencyStore } from './idempotency/store';
import { allowHosts, corsFor, limitRate, securityHeaders } from './http/hardening';
import { RequestContext, runWithContext } from './ops/context';
import { metrics } from './ops/metrics';
import { transactionsRouter } from './routes/transactions';
import { eventsRouter } from './routes/events';
import type { EventStreams } from './events/streams';
import { offlineRouter } from './routes/offline';
import type { OfflineTransactions } from './fabric/offline';
import { ServerResponse } from 'node:http';
import { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { ApiError } from './errors';
import { ERROR_LOG_FIELDS, ErrorLogFields, errorHandler } from './errorhandler';
import { rootLogger } from './logging';
import { RecordsService } from './records/service';
import { genRequestId } from './requestid';
import { DEFAULT_JSON_MAX_DEPTH, jsonBody } from './http/jsonbody';
import { rejectMalformedUrl } from './http/url';
import { HealthOptions, healthRouter } from './routes/health';
import { recordsRouter } from './routes/records';
import { ChaincodeClients } from './chaincode/client';
import { requireAdmin } from './admin';
import { auditRouter } from './routes/audit';
import { currencyRouter } from './routes/currency';
import { authoritiesRouter } from './routes/authorities';
import { governanceRouter } from './routes/governance';
import { rulesRouter } from './routes/rules';
import { schemasRouter } from './routes/schemas';
import { verifyPageRouter } from './verify/page';
import { verificationsRouter } from './verify/routes';
import { VerificationService } from './verify/service';

/** What {@link createApp} needs; tests pass fakes, `startServer` passes the Fabric implementations. */
export interface AppOptions {
  /**
   * Origin of the public verification page that holders' QR codes link to
   * (`GATEWAY_PUBLIC_URL`); unset: the origin a registration request came to.
   */
  publicUrl?: string;
  records: RecordsService;
  /**
   * The chaincode as the ministry's user and admin: enables every route beyond the first
   * walking skeleton's (record changes and queries, schemas, governance, rules, authorities, audit).
   */
  chaincode?: ChaincodeClients;
  /** Bearer token admin routes require (`GATEWAY_ADMIN_TOKEN`); unset = admin routes answer 403. */
  adminToken?: string;
  /**
   * Authenticates every request after /healthz and /readyz and runs it as its caller
   * (auth/authenticate.ts); `startServer` always sets it, tests of routes may leave it out.
   */
  authenticate?: RequestHandler;
  /** /healthz and /readyz checks; without them both answer 200. */
  health?: HealthOptions;
  /** Largest JSON body in bytes (default 1 MiB); larger is 413. */
  bodyLimitBytes?: number;
  /** Deepest nesting of arrays and objects in a JSON body (default 64); deeper is 400. */
  jsonMaxDepth?: number;
  /** Transaction status lookups: enables `GET /api/v1/transactions/:txId`. */
  transactions?: TransactionLookup;
  /** Server-sent event streams: enables `GET /api/v1/events`. */
  events?: EventStreams;
  /** fabric-gateway's offline signing flow for clients holding their own key: enables `/api/v1/offline`. */
  offline?: OfflineTransactions;
  /** Answer 500 when a success body does not match its described schema (tests; api/responsecheck.ts). */
  checkResponses?: boolean;
  /** Host names the API answers for (DNS rebinding); unset = any (tests). */
  allowedHosts?: readonly string[];
  /** Requests per client address per minute; unset = unlimited. */
  rateLimitPerMinute?: number;
  /**
   * Verifications per client address per minute through `POST /api/v1/verifications`, each a
   * ledger write (`GATEWAY_VERIFY_RATE_LIMIT`, default {@link DEFAULT_VERIFY_RATE_LIMIT}).
   */
  verifyRateLimitPerMinute?: number;
  /** Keeps submits' outcomes by `Idempotency-Key`; unset = the header is ignored (tests). */
  idempotency?: IdempotencyStore;
  /** Origins allowed by CORS; unset or empty = no CORS headers. */
  corsOrigins?: readonly string[];
  /**
   * The gateway's ministry (its profile's MSP id): the currency routes send a citizen account's
   * private transactions only when it is a member of the account's collection.
   */
  mspId?: string;
  logger?: Logger;
}

/** Default verifications per client address per minute. */
export const DEFAULT_VERIFY_RATE_LIMIT = 30;

/** The error fields errorHandler left for this response, and the transaction it proposed, if any. */
function errorFields(res: ServerResponse): Partial<ErrorLogFields> & { transactionId?: string } {
  const locals = (res as Partial<Response>).locals;
  const fields = (locals?.[ERROR_LOG_FIELDS] as ErrorLogFields | undefined) ?? {};
  const transactionId = (locals?.[CONTEXT] as RequestContext | undefined)?.transactionId;
  return transactionId ? { ...fields, transactionId } : fields;
}

/** How many transactions a submit took (more than 1 after read conflicts were retried). */
export const ATTEMPTS_HEADER = 'Transaction-Attempts';

/** Where the request's {@link RequestContext} is kept in `res.locals` (for the log line). */
const CONTEXT = 'requestContext';

/**
 * Runs the rest of the request in its {@link RequestContext}: request id, the transaction it
 * proposes (for the log line), and whether it asked for an asynchronous submit.
 */
function withContext(req: Request, res: Response, next: NextFunction): void {
  const context: RequestContext = {
    requestId: String(req.id),
    respondAsync: /(^|[\s,;])respond-async([\s,;]|$)/i.test(req.get('prefer') ?? ''),
    onAttempt: (attempts) => {
      if (!res.headersSent) res.setHeader(ATTEMPTS_HEADER, String(attempts));
    },
  };
  res.locals[CONTEXT] = context;
  runWithContext(context, next);
}

/** Counts and times every answer by route pattern (not the raw URL: ids would explode the series). */
function recordMetrics(req: Request, res: Response, next: NextFunction): void {
  const end = metrics.httpDuration.startTimer();
  res.once('finish', () => {
    const route = req.route
      ? `${req.baseUrl}${req.route.path === '/' ? '' : String(req.route.path)}`
      : 'unmatched';
    end({ method: req.method, route });
    metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
}

/**
 * One log line per request: id, method, URL, status, time and, for failures, the error code and
 * cause. No headers, no bodies.
 */
function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: genRequestId,
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessObject: (_req, res, value: object) => ({ ...value, ...errorFields(res) }),
    // pino-http invents an Error for every 5xx; the cause errorHandler recorded says more.
    customErrorObject: (_req, res, _err, value: Record<string, unknown>) => ({
      res: value.res,
      responseTime: value.responseTime,
      ...errorFields(res),
    }),
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    // Probes run every few seconds; logging each would drown everything else.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}

/**
 * The API's routers and where they are mounted: `/api/v1/records` always, the others with
 * `chaincode` (every route is described in api/routes.ts; a test checks the two agree).
 */
export function apiRouters(options: AppOptions): [string, Router][] {
  const routers: [string, Router][] = [
    ['/api/v1/records', recordsRouter(options.records, options.chaincode?.user, options.publicUrl)],
  ];
  if (options.transactions) routers.push(['/api/v1/transactions', transactionsRouter(options.transactions)]);
  if (options.events) routers.push(['/api/v1/events', eventsRouter(options.events)]);
  if (options.offline) routers.push(['/api/v1/offline', offlineRouter(options.offline)]);
  const clients = options.chaincode;
  if (!clients) return routers;
  const admin = requireAdmin({ token: options.adminToken });
  routers.push(
    ['/api/v1/schemas', schemasRouter(clients, admin)],
    ['/api/v1/governance', governanceRouter(clients, admin)],
    ['/api/v1/rules', rulesRouter(clients)],
    ['/api/v1/authorities', authoritiesRouter(clients, admin)],
    ['/api/v1/audit', auditRouter(clients)],
    ['/api/v1/currency', currencyRouter(clients, options.mspId)],
    [
      '/api/v1/verifications',
      verificationsRouter(
        new VerificationService(clients.user, options.transactions),
        limitRate(options.verifyRateLimitPerMinute ?? DEFAULT_VERIFY_RATE_LIMIT, 60_000),
      ),
    ],
  );
  return routers;
}

/**
 * The HTTP gateway as an Express app: `/api/v1/records`, `/healthz`, `/readyz`, the public
 * verification page `/verify/` and, with `chaincode`,
 * `/api/v1/{schemas,governance,rules,authorities,audit,verifications}`.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestLogger(options.logger ?? rootLogger));
  app.use(withContext, recordMetrics, securityHeaders(), rejectMalformedUrl);
  app.use(healthRouter(options.health ?? { liveness: [], readiness: [] }));
  app.get('/metrics', async (_req: Request, res: Response) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  if (options.allowedHosts) app.use(allowHosts(options.allowedHosts));
  app.use(docsRouter());
  app.use(verifyPageRouter());
  const corsMiddleware = corsFor(options.corsOrigins ?? []);
  if (corsMiddleware) app.use(corsMiddleware);
  if (options.rateLimitPerMinute) app.use(limitRate(options.rateLimitPerMinute, 60_000));
  app.use(
    jsonBody({
      maxBytes: options.bodyLimitBytes ?? 1024 * 1024,
      maxDepth: options.jsonMaxDepth ?? DEFAULT_JSON_MAX_DEPTH,
    }),
  );
  if (options.authenticate) app.use(options.authenticate);
  if (options.checkResponses) app.use(checkResponses(options.logger ?? rootLogger));
  // After authentication: a key belongs to its caller.
  if (options.idempotency) app.use(idempotency(options.idempotency, options.logger ?? rootLogger));
  for (const [prefix, router] of apiRouters(options)) app.use(prefix, router);
  app.use((req: Request, _res: Response) => {
    throw new ApiError('ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler);
  return app;
}
