import type { Context } from 'fabric-contract-api';
import { asGrant, isInForce, type AuthorityGrant } from '../model/authority';
import type { Role } from '../model/role';
import { activeGrants } from './authz-holder-grants';
import { grantKey } from './authz-keys';
import { covers, formatScope, parseScope, type Scope } from './authz-scope';
import { AccessDeniedError, StateCorruptError } from './errors';
import { caller, isAdmin } from './identity';
import { domainOwnerMsp } from './schemas';
import { readObject } from './state';
import { txTimestampISO } from './time';

/**
 * The one authorization module of the egov chaincode: every contract asks it whether the caller
 * holds a role for a node of the service hierarchy. Roles come from grants in the authority
 * repository (contracts/authorities.ts); a ministry's admin identity (certificate OU=admin) is
 * the root of its ministry: it implicitly holds every role over its own ministry (it could grant
 * itself any of them anyway); an implicit auditor role covers its own ministry's records only.
 * Domains belong to the ministry that registered their first schema (lib/schemas): roles that act
 * in a domain ({@link DOMAIN_ROLES}) authorize only in the caller's own ministry's domains, whatever
 * a grant's scope says, and no ministry grants a role in a domain another ministry owns.
 */

/** Roles that act in a domain (issue its records, administer it): only its owner's identities hold them. */
export const DOMAIN_ROLES: readonly Role[] = ['issuer', 'ministry-admin'];

/** Most active grants of one role one identity may hold (GrantRole refuses more). */
export const MAX_GRANTS_PER_ROLE = 50;

/** Id of the implicit grant a root admin's authority is reported as. */
export function rootGrantId(mspId: string): string {
  return `root:${mspId}`;
}

/** Whether the caller is its ministry's root admin (certificate OU=admin of its MSP). */
export function isMinistryAdmin(ctx: Context): boolean {
  return isAdmin(ctx);
}

/**
 * Refuses the transaction unless the caller holds `role` for a scope covering `scope`, in force
 * at the transaction time (not revoked, not expired, and when granted through a delegation, that
 * delegation still in force too).
 * @param scope - the node acted on, e.g. `G2C/education.credential`; pass the category when it
 *   is known, since grants limited to a category never cover a bare record type.
 * @returns the grant that authorizes the call (for a root admin, an implicit grant with id
 *   `root:<mspId>`).
 * @throws AccessDeniedError "<identity> (<msp>) lacks role <role> for scope <scope>".
 */
export async function requireRole(ctx: Context, role: Role, scope: string): Promise<AuthorityGrant> {
  const target = parseScope(scope);
  if (DOMAIN_ROLES.includes(role)) {
    await requireOwnDomain(ctx, target, `act as ${role}`);
  }
  const found = await findRole(ctx, role, target);
  if (!found) {
    const who = caller(ctx);
    throw new AccessDeniedError(
      `${who.id} (${who.mspId}) lacks role ${role} for scope ${formatScope(target)}`,
    );
  }
  return found;
}

/**
 * Refuses the transaction when `target` lies in a domain another ministry owns. A domain nobody
 * owns yet passes (its first schema claims it); a scope without a domain (a category, `*`) too.
 * @param action - what the caller tries, for the message, e.g. `grant roles`.
 * @throws AccessDeniedError "domain health is owned by HealthMSP; ImmigrationMSP may not <action> in it".
 */
export async function requireOwnDomain(ctx: Context, target: Scope, action: string): Promise<void> {
  if (target.path === undefined) {
    return;
  }
  const domain = target.path.split('.')[0];
  const owner = await domainOwnerMsp(ctx, target.path);
  const { mspId } = caller(ctx);
  if (owner !== undefined && owner !== mspId) {
    throw new AccessDeniedError(`domain ${domain} is owned by ${owner}; ${mspId} may not ${action} in it`);
  }
}

/**
 * Refuses the transaction unless the caller is its ministry's root admin (certificate OU=admin).
 * @param action - the transaction, for the message.
 */
export function requireMinistryAdmin(ctx: Context, action: string): void {
  if (!isMinistryAdmin(ctx)) {
    throw new AccessDeniedError(
      `${action} requires the ministry's admin identity (certificate OU=admin); the caller from ${caller(ctx).mspId} is not one`,
    );
  }
}

/**
 * Like {@link requireRole}, but answers undefined instead of throwing.
 * @param accepts - a further condition on the grant (e.g. an auditor grant's issuers).
 */
export async function findRole(
  ctx: Context,
  role: Role,
  target: Scope,
  accepts: (grant: AuthorityGrant) => boolean = () => true,
): Promise<AuthorityGrant | undefined> {
  const who = caller(ctx);
  const now = txTimestampISO(ctx);
  if (isMinistryAdmin(ctx)) {
    const root = rootGrant(who.mspId, who.id, role, now);
    return accepts(root) ? root : undefined;
  }
  const { grants } = await activeGrants(ctx, { mspId: who.mspId, holder: who.id, role }, MAX_GRANTS_PER_ROLE);
  for (const grant of grants) {
    const fits = covers(parseScope(grant.scope), target) && accepts(grant);
    if (fits && (await inForceWithDelegation(ctx, grant, now))) {
      return grant;
    }
  }
  return undefined;
}

/**
 * Whether a grant authorizes at `now`, including the delegation it was granted through: revoking
 * or letting a delegated ministry-admin expire withdraws everything it granted.
 */
export async function inForceWithDelegation(
  ctx: Context,
  grant: AuthorityGrant,
  now: string,
): Promise<boolean> {
  if (!isInForce(grant, now)) {
    return false;
  }
  if (grant.via === undefined) {
    return true;
  }
  const delegation = await readGrant(ctx, grant.via);
  return isInForce(delegation, now);
}

/**
 * Reads a grant by id.
 * @throws StateCorruptError when an index names a grant that is not there.
 */
export async function readGrant(ctx: Context, grantId: string): Promise<AuthorityGrant> {
  const value = await readObject(ctx, grantKey(ctx, grantId), `grant ${grantId}`);
  if (!value) {
    throw new StateCorruptError(`grant ${grantId} is indexed but missing`);
  }
  return asGrant(value, grantId);
}

/** The implicit grant of a root admin: `role` over everything of its own MSP. */
function rootGrant(mspId: string, holder: string, role: Role, now: string): AuthorityGrant {
  const id = rootGrantId(mspId);
  return {
    docType: 'grant',
    id,
    mspId,
    holder,
    role,
    scope: '*',
    status: 'ACTIVE',
    grantedBy: `${mspId} (certificate OU=admin)`,
    grantedAt: now,
    txId: id,
  };
}
