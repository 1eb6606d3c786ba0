import { NextFunction, Request, Response } from 'express';
import { ApiError } from './errors';
import { fabricErrorToApiError } from './fabric/errors';

/** The fields body-parser (under express.json) sets on its errors. */
interface BodyParserError extends Error {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return err instanceof Error && typeof (err as { type?: unknown }).type === 'string';
}

/** Maps body-parser's failures (before any route ran) to API errors. */
function bodyParserErrorToApiError(err: BodyParserError): ApiError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new ApiError(
        'PAYLOAD_TOO_LARGE',
        `the request body is larger than ${err.limit ?? 'the limit of'} bytes`,
      );
    case 'entity.parse.failed':
      return new ApiError(
        'MALFORMED_JSON',
        'the request body is not valid JSON (only an object or array is accepted)',
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', err.message);
    default:
      return undefined;
  }
}

/** Any error → ApiError; unknown errors are 500 INTERNAL with no internals in the body. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const mapped =
    (isBodyParserError(err) ? bodyParserErrorToApiError(err) : undefined) ?? fabricErrorToApiError(err);
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

/**
 * Express error middleware: answers `{error: {code, message, details?}}` and leaves the error code
 * and cause in `res.locals` so the one request log line carries them.
 */
export function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  const apiError = toApiError(err);
  const fields: ErrorLogFields = {
    errorCode: apiError.code,
    cause: err instanceof Error ? { type: err.name, message: err.message } : { type: typeof err },
  };
  res.locals[ERROR_LOG_FIELDS] = fields;
  res.status(apiError.status).json(apiError.toBody());
}
