/**
 * A failed CA request, as Fabric CA's `caerrors.HTTPErr`: an HTTP status, Fabric CA's error code and
 * a message the client sees in the response envelope's `errors`.
 */
export class CAError extends Error {
  constructor(
    /** HTTP status of the response. */
    readonly status: number,
    /** Fabric CA's numeric error code (lib/caerrors). */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CAError';
  }
}

/** Fabric CA's error codes used here (lib/caerrors/servererror.go). */
export const ErrorCode = {
  badRequest: 2,
  badCSR: 6,
  noAuthHeader: 13,
  invalidToken: 17,
  untrustedCertificate: 19,
  authenticationFailure: 20,
  noUser: 21,
  caNotFound: 23,
  revokedId: 28,
  cnInvalidEnroll: 30,
  maxEnrollments: 39,
  identityAlreadyRegistered: 42,
  registrarNotAuthorized: 48,
  notRevoker: 50,
  revokeIdNotFound: 51,
  revCertNotFound: 52,
  certAlreadyRevoked: 53,
  noGenCRLAuth: 55,
  getAffiliation: 63,
  affiliationNotAllowed: 65,
  attributeMissing: 66,
  invalidAttribute: 67,
  removeIdentityDisabled: 72,
  updateConfigAffiliation: 73,
  method: 75,
} as const;

/** 400: the request names something wrong; the message says what. */
export const badRequest = (message: string, code: number = ErrorCode.badRequest): CAError =>
  new CAError(400, code, message);

/**
 * 401 for a failed login or token: Fabric CA tells the client only "Authentication failure", so a
 * guesser learns nothing about which identities exist.
 */
export const authenticationFailure = (): CAError =>
  new CAError(401, ErrorCode.authenticationFailure, 'Authentication failure');

/** 403: an authenticated caller lacks the authority (Fabric CA's authorization errors). */
export const forbidden = (code: number, message: string): CAError =>
  new CAError(403, code, `Authorization failure: ${message}`);
