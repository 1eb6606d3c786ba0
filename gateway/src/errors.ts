/**
 * Error codes of the HTTP API, each with its HTTP status. Clients switch on the problem's `code`
 * (or its `type`); `detail` is for people. gateway/README.md lists them with their meaning.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  /** A percent-escape in the URL that is not valid UTF-8 (`%zz`, `%C0%AF`, `%ED%A0%80`). */
  MALFORMED_URL: 400,
  /** A header that is syntactically wrong (`Content-Type: application/json; foo`). */
  MALFORMED_HEADER: 400,
  /** A body that does not match its Content-Encoding, or was cut short. */
  MALFORMED_BODY: 400,
  /** A JSON body nested deeper than the documented limit. */
  JSON_TOO_DEEP: 400,
  /** Any other client error an HTTP library reported as 400. */
  BAD_REQUEST: 400,
  CHAINCODE_REJECTED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  ALREADY_EXISTS: 409,
  /**
   * A one-time step taken before: a deposit claimed, a voucher redeemed, rewards paid, a decision
   * made, a grant revoked. The ledger's state, not the request, is what conflicts.
   */
  ALREADY_USED: 409,
  /**
   * The object's status does not allow the step: a revoked record revoked or suspended, a vote on a
   * proposal or a decision on an audit case that is no longer OPEN. Well formed; the ledger refuses it.
   */
  WRONG_STATUS: 409,
  TRANSACTION_INVALID: 409,
  /** A durable event subscription already streaming to another client. */
  SUBSCRIPTION_IN_USE: 409,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** An Idempotency-Key used again with a different request (method, path or body). */
  IDEMPOTENCY_CONFLICT: 422,
  /** A Host header not in the allow-list (DNS rebinding). */
  MISDIRECTED_REQUEST: 421,
  TOO_MANY_REQUESTS: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  FABRIC_ERROR: 502,
  /** The orderer refused the endorsed transaction outright (a 4xx broadcast status): nothing was ordered. */
  ORDERER_REFUSED: 502,
  BAD_CHAINCODE_RESPONSE: 502,
  CHAINCODE_FAILED: 502,
  PEER_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  PEER_TIMEOUT: 504,
} as const;

/** One of {@link ErrorCodes}' keys. */
export type ErrorCode = keyof typeof ErrorCodes;

/** A short, fixed summary of each code (the problem's `title`). */
const ERROR_TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Request validation failed',
  MALFORMED_JSON: 'Malformed JSON body',
  MALFORMED_URL: 'Malformed URL',
  MALFORMED_HEADER: 'Malformed header',
  MALFORMED_BODY: 'Malformed request body',
  JSON_TOO_DEEP: 'JSON body nested too deeply',
  BAD_REQUEST: 'Bad request',
  CHAINCODE_REJECTED: 'Rejected by the chaincode',
  UNAUTHORIZED: 'Unauthorized',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  ROUTE_NOT_FOUND: 'No such route',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  REQUEST_TIMEOUT: 'Request timeout',
  ALREADY_EXISTS: 'Already exists',
  ALREADY_USED: 'Already used',
  WRONG_STATUS: 'Not allowed in its current status',
  TRANSACTION_INVALID: 'Transaction invalidated by the peers',
  IDEMPOTENCY_CONFLICT: 'Idempotency key conflict',
  SUBSCRIPTION_IN_USE: 'Subscription in use',
  LENGTH_REQUIRED: 'Content-Length required',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  URI_TOO_LONG: 'URI too long',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  MISDIRECTED_REQUEST: 'Host not allowed',
  TOO_MANY_REQUESTS: 'Too many requests',
  HEADERS_TOO_LARGE: 'Request headers too large',
  INTERNAL: 'Internal error',
  FABRIC_ERROR: 'Fabric network error',
  ORDERER_REFUSED: 'Refused by the orderer',
  BAD_CHAINCODE_RESPONSE: 'Bad chaincode response',
  CHAINCODE_FAILED: 'Chaincode failed',
  PEER_UNAVAILABLE: 'Fabric peer unavailable',
  SHUTTING_DOWN: 'Gateway shutting down',
  PEER_TIMEOUT: 'Fabric peer timeout',
};

/** Media type of every error response (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The problem `type` URI of a code: `urn:govfabric:problem:validation-failed`. */
export function problemType(code: ErrorCode): string {
  return `urn:govfabric:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

/** The `error` member every error body has carried since the first API version (kept for clients). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * The body of every error response: an RFC 9457 problem with govfabric's extension members.
 * `transactionId`, `validationCode`, `endorsers`, `chaincodeStatus`, `grpcStatus` appear when
 * known; `issues` lists a VALIDATION_FAILED request's problems.
 */
export interface ProblemBody extends ErrorBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  [extension: string]: unknown;
}

/** Names a problem extension may not take (they are the problem's own members). */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'error', 'instance']);

/**
 * An error with a known HTTP meaning; the error handler turns it into a {@link ProblemBody}.
 * Routes raise client mistakes as `throw new ApiError('VALIDATION_FAILED', 'what was wrong')`.
 */
export class ApiError extends Error {
  /** HTTP status, derived from the code. */
  readonly status: number;

  /**
   * @param details - machine-readable specifics: an array becomes the problem's `issues`, an
   *   object's fields become problem members (e.g. `{transactionId}`); also sent as `error.details`.
   * @param extensions - further problem members not sent in `error.details` (e.g. `endorsers`).
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ErrorCodes[code];
  }

  /** The `error` member of the response body. */
  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }

  /** The whole response body (application/problem+json). */
  toProblem(): ProblemBody {
    const members: Record<string, unknown> = {};
    if (Array.isArray(this.details)) members.issues = this.details;
    else if (this.details !== null && typeof this.details === 'object') Object.assign(members, this.details);
    Object.assign(members, this.extensions);
    for (const name of RESERVED) delete members[name];
    return {
      type: problemType(this.code),
      title: ERROR_TITLES[this.code],
      status: this.status,
      detail: this.message,
      code: this.code,
      ...members,
      ...this.toBody(),
    };
  }
}

/** Where a transaction's status can be polled. */
export function transactionStatusPath(transactionId: string): string {
  return `/api/v1/transactions/${transactionId}`;
}

/**
 * A transaction that was handed to the orderer but whose commit is not known (yet): not an
 * error. The error handler answers 202 with the transaction id and its status URL.
 * - `submitted`: the client asked for an asynchronous submit (`Prefer: respond-async`);
 * - `unknown`: the orderer did not confirm it, or its commit status did not come in time; it may
 *   still commit, so it is never reported as a failure.
 */
export class TransactionPending extends Error {
  constructor(
    readonly transactionId: string,
    readonly reason: 'submitted' | 'unknown',
    override readonly cause?: unknown,
  ) {
    super(
      reason === 'submitted'
        ? `transaction ${transactionId} was submitted; poll its status`
        : `the outcome of transaction ${transactionId} is not known yet; poll its status`,
    );
    this.name = 'TransactionPending';
  }

  /** The 202 body. */
  toBody(): Record<string, string> {
    return {
      transactionId: this.transactionId,
      status: this.reason === 'submitted' ? 'SUBMITTED' : 'UNKNOWN',
      statusUrl: transactionStatusPath(this.transactionId),
      detail: this.message,
    };
  }
}
