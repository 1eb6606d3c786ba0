import type { JsonObject } from '../lib/canonical';
import { StateCorruptError } from '../lib/errors';
import { InputObject } from '../lib/input';
import { formatScope, parseScope } from '../lib/authz-scope';
import type { TxFacts } from '../lib/tx';
import { ROLES, type Role } from './role';

/** An identity as fabric-shim's ClientIdentity.getID() names it: `x509::<subject>::<issuer>`. */
export const HOLDER_PATTERN = /^x509::[^\p{Cc}]{1,1000}::[^\p{Cc}]{1,1000}$/u;
/** An MSP ID: letters, digits, `. _ -`, e.g. `EducationMSP`. */
export const MSP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** An ISO 8601 UTC date-time with milliseconds, as egov writes transaction times. */
export const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
/** Most issuing ministries one auditor grant may name. */
const MAX_ISSUERS = 64;

/** The fields of GrantRole's grantJson argument. */
export interface GrantInput {
  /** The identity receiving the role; it belongs to the granting admin's MSP. */
  holder: string;
  role: Role;
  /** Canonical scope string (see lib/authz-scope). */
  scope: string;
  /** When the grant stops authorizing (transaction time), if ever. */
  expiresAt?: string;
  /** Auditor grants: MSP IDs whose records may be audited (`*` = all); default the holder's own. */
  issuers?: string[];
}

/** A role held by an identity, stored under `authz.grant` [id]; revocation keeps it. */
export interface AuthorityGrant extends GrantInput {
  docType: 'grant';
  /** The id of the granting transaction. */
  id: string;
  /** The holder's (and granter's) MSP. */
  mspId: string;
  status: 'ACTIVE' | 'REVOKED';
  grantedBy: string;
  grantedAt: string;
  txId: string;
  /** Set when granted by a delegated ministry-admin: that delegation's grant id. */
  via?: string;
  revokedBy?: string;
  revokedAt?: string;
  revokedTxId?: string;
  revokeReason?: string;
}

const GRANT_FIELDS = ['holder', 'role', 'scope', 'expiresAt', 'issuers'] as const;

/**
 * Parses and checks GrantRole's argument.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseGrantInput(grantJson: string): GrantInput {
  const input = InputObject.parse('grantJson', grantJson);
  input.rejectUnknownFields(GRANT_FIELDS);
  const holder = input.string('holder', HOLDER_PATTERN, 'an identity id "x509::<subject>::<issuer>"');
  const role = input.oneOf('role', ROLES);
  const scope = formatScope(
    parseScope(input.string('scope', /^.{1,200}$/, 'a scope'), 'grantJson: field "scope"'),
  );
  const grant: GrantInput = { holder, role, scope };
  if (input.has('expiresAt')) {
    grant.expiresAt = input.string('expiresAt', TIME_PATTERN, 'an ISO 8601 UTC date-time');
  }
  if (input.has('issuers')) {
    if (role !== 'auditor') {
      throw input.fieldError('issuers', 'is only for auditor grants');
    }
    grant.issuers = input.stringSet(
      'issuers',
      /^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/,
      'an MSP ID or "*"',
      MAX_ISSUERS,
    );
  }
  return grant;
}

/** Builds a new active grant. */
export function newGrant(input: GrantInput, tx: TxFacts, via?: string): AuthorityGrant {
  return {
    docType: 'grant',
    ...input,
    id: tx.txId,
    mspId: tx.mspId,
    status: 'ACTIVE',
    grantedBy: tx.clientId,
    grantedAt: tx.timestamp,
    txId: tx.txId,
    ...(via ? { via } : {}),
  };
}

/** Whether a grant authorizes at `time`: active and not expired. */
export function isInForce(grant: AuthorityGrant, time: string): boolean {
  return grant.status === 'ACTIVE' && (grant.expiresAt === undefined || time < grant.expiresAt);
}

/**
 * Types a parsed world-state value as a grant.
 * @throws StateCorruptError when it is not one.
 */
export function asGrant(value: JsonObject, grantId: string): AuthorityGrant {
  if (value.docType !== 'grant' || value.id !== grantId) {
    throw new StateCorruptError(`state under grant ${grantId} is not a grant`);
  }
  return value as unknown as AuthorityGrant;
}
