import { NextFunction, Request, Response } from 'express';
import { ApiError, ErrorCode, PROBLEM_CONTENT_TYPE, TransactionPending } from './errors';
import { fabricErrorToApiError } from './fabric/errors';

/**
 * An error as the `http-errors` package makes them (Express's router, body-parser, raw-body): a
 * status and `expose` (true for client errors), and for body-parser a `type`.
 */
interface HttpLibraryError extends Error {
  status: number;
  expose?: boolean;
  type?: string;
  limit?: number;
  code?: unknown;
}

function isHttpLibraryError(err: unknown): err is HttpLibraryError {
  return err instanceof Error && typeof (err as { status?: unknown }).status === 'number';
}

/** body-parser's and raw-body's error types → API codes (the message says what was wrong). */
const BODY_ERROR_TYPES: Record<string, ErrorCode> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'MALFORMED_JSON',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'MALFORMED_BODY',
  'request.size.invalid': 'MALFORMED_BODY',
  'parameters.too.many': 'PAYLOAD_TOO_LARGE',
};

/** A client-error status an HTTP library set → the API code that keeps that status. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  431: 'HEADERS_TOO_LARGE',
};

/** zlib's error codes: a body that does not match its Content-Encoding. */
const ZLIB_ERROR = /^(Z_|ERR_BROTLI|ERR__|ERR_ZSTD)/;

/** The detail sent for a library's client error: its own message, which names no internals. */
function bodyErrorDetail(err: HttpLibraryError, code: ErrorCode): string {
  switch (code) {
    case 'PAYLOAD_TOO_LARGE':
      return `the request body is larger than ${err.limit ?? 'the limit of'} bytes`;
    case 'MALFORMED_JSON':
      return 'the request body is not valid JSON (only an object or array is accepted)';
    default:
      return err.message;
  }
}

/**
 * Maps an error an HTTP library marked as a client error (status 4xx, `expose`), keeping its
 * status; server-side library errors (5xx) are left to the caller (500).
 */
function httpLibraryErrorToApiError(err: HttpLibraryError): ApiError | undefined {
  if (err.status < 400 || err.status > 499 || err.expose === false) return undefined;
  if (err instanceof URIError) return new ApiError('MALFORMED_URL', 'the URL has a malformed percent-escape');
  if (typeof err.code === 'string' && ZLIB_ERROR.test(err.code)) {
    return new ApiError(
      'MALFORMED_BODY',
      `the request body does not match its Content-Encoding (${err.message})`,
    );
  }
  const code =
    (err.type ? BODY_ERROR_TYPES[err.type] : undefined) ?? STATUS_CODES[err.status] ?? 'BAD_REQUEST';
  return new ApiError(code, bodyErrorDetail(err, code));
}

/**
 * The one mapping from every error source to an API error: ApiError as thrown by routes; client
 * errors of Express's router, body-parser and zlib (their 4xx status kept); fabric-gateway's
 * errors; anything else is a bug: 500 INTERNAL with no internals in the body.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const mapped =
    (isHttpLibraryError(err) ? httpLibraryErrorToApiError(err) : undefined) ?? fabricErrorToApiError(err);
  return (
    mapped ?? new ApiError('INTERNAL', 'internal error; quote the X-Request-Id header when reporting it')
  );
}

/** What the request log line says about a failed request (set here, logged by the request logger). */
export interface ErrorLogFields {
  errorCode: string;
  /** The original error's class and message (never the request body). */
  cause: { type: string; message?: string };
}

/** Where {@link errorHandler} leaves {@link ErrorLogFields} for the request logger. */
export const ERROR_LOG_FIELDS = 'errorLogFields';

/** An error's class and message for the log. */
function causeOf(err: unknown): ErrorLogFields['cause'] {
  return err instanceof Error ? { type: err.name, message: err.message } : { type: typeof err };
}

/** Writes `apiError` as an application/problem+json response. */
export function sendProblem(res: Response, apiError: ApiError): void {
  res.status(apiError.status).type(PROBLEM_CONTENT_TYPE).json(apiError.toProblem());
}

/**
 * Express error middleware: answers an application/problem+json body ({@link ApiError.toProblem})
 * and leaves the error code and cause in `res.locals` so the one request log line carries them.
 */
export function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof TransactionPending) {
    res.locals[ERROR_LOG_FIELDS] = {
      errorCode: `PENDING_${err.reason.toUpperCase()}`,
      cause: causeOf(err.cause),
    };
    res.status(202).location(err.toBody().statusUrl).json(err.toBody());
    return;
  }
  const apiError = toApiError(err);
  const fields: ErrorLogFields = {
    errorCode: apiError.code,
    cause: causeOf(err),
  };
  res.locals[ERROR_LOG_FIELDS] = fields;
  sendProblem(res, apiError);
}
