import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError, PROBLEM_CONTENT_TYPE } from '../errors';
import { API_ROUTES, routeKey } from './routes';

/** Response schemas by `METHOD path`. */
const SCHEMAS = new Map(API_ROUTES.map((route) => [routeKey(route), route.response]));

/** `GET /api/v1/records/:id` of the route that answers `req` (Express sets req.route once matched). */
function matchedRoute(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return undefined;
  return `${req.method} ${req.baseUrl}${path === '/' ? '' : path}`;
}

/**
 * Checks every 200/201 JSON answer of a described route against its response schema in
 * API_ROUTES, and answers 500 naming the route and the first difference instead. For tests
 * (`GATEWAY_CHECK_RESPONSES=true`): the integration suites then hold every real answer to the
 * OpenAPI document.
 */
export function checkResponses(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const route = matchedRoute(req);
      const schema = route === undefined ? undefined : SCHEMAS.get(route);
      if (!schema || (res.statusCode !== 200 && res.statusCode !== 201)) return send(body);
      const checked = schema.safeParse(body);
      if (checked.success) return send(body);
      const issue = checked.error.issues[0];
      const detail = `the answer of ${route} does not match its described schema: ${issue.path.join('.') || '(body)'}: ${issue.message}`;
      logger.error({ route, issues: checked.error.issues }, detail);
      res.status(500).type(PROBLEM_CONTENT_TYPE);
      return send(new ApiError('INTERNAL', detail).toProblem());
    };
    next();
  };
}
