/**
 * Error codes of the HTTP API, each with its HTTP status. Clients switch on `error.code`; the
 * message is for people.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  CHAINCODE_REJECTED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  TRANSACTION_INVALID: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  FABRIC_ERROR: 502,
  BAD_CHAINCODE_RESPONSE: 502,
  CHAINCODE_FAILED: 502,
  PEER_UNAVAILABLE: 503,
  PEER_TIMEOUT: 504,
} as const;

/** One of {@link ErrorCodes}' keys. */
export type ErrorCode = keyof typeof ErrorCodes;

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** An error with a known HTTP meaning; the error handler turns it into {@link ErrorBody}. */
export class ApiError extends Error {
  /** HTTP status, derived from the code. */
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ErrorCodes[code];
  }

  /** The response body for this error. */
  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }
}
