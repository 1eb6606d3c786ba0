import { z } from 'zod';
import { ApiError } from './errors';

/** Where a validated value came from, so a client knows which part of its request was wrong. */
export type RequestLocation = 'body' | 'params' | 'query';

/** One problem with a request, as sent in a VALIDATION_FAILED error's details. */
export interface ValidationIssue {
  location: RequestLocation;
  /** Dotted path inside that location (`payload.name`); '' means the location as a whole. */
  path: string;
  message: string;
  /** zod's issue code, e.g. `invalid_type`, `too_big`, `unrecognized_keys`. */
  code: string;
}

/**
 * Parses `value` with `schema` or throws a 400 VALIDATION_FAILED {@link ApiError} listing every
 * issue with its path. zod messages name expectations, not the rejected values, so they are safe to echo.
 */
export function validateRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: RequestLocation,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    location,
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }));
  const first = issues[0];
  const where = first.path ? `${location}.${first.path}` : location;
  throw new ApiError('VALIDATION_FAILED', `invalid request ${where}: ${first.message}`, issues);
}
