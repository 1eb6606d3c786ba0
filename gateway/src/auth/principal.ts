/**
 * Who is calling the HTTP gateway, once authenticated. Each principal transacts as its own Fabric
 * identity of the gateway's ministry: the wallet label of that identity is its enrollment id.
 */
export interface Principal {
  /** How it authenticated: an OpenID Connect bearer token, an API key, or the admin token. */
  kind: 'officer' | 'system' | 'admin';
  /**
   * Enrollment id at the ministry's CA, also the wallet label: the token's `sub`, or
   * `system-<name>` for an API key, or `admin` for the admin token.
   */
  enrollmentId: string;
}

/** Enrollment ids the gateway accepts (Fabric CA takes more; these are safe in files and logs). */
export const ENROLLMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
