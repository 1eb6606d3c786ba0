import type { Context } from 'fabric-contract-api';
import type { AuthorityGrant, GrantInput } from '../model/authority';
import { findRole, requireOwnDomain, rootGrantId } from './authz';
import { formatScope, parseScope } from './authz-scope';
import { AccessDeniedError } from './errors';
import { caller } from './identity';

/**
 * Who may grant and revoke roles (the authorities contract asks here). A ministry grants only to
 * its own identities (the grant carries the granter's MSP), only with `ministry-admin` for the
 * scope, and only in domains it owns or nobody owns yet: a ministry's admin cannot hand its users
 * roles in another ministry's domain.
 */

/** Who authorizes a grant or revocation, and whether through a delegation. */
export interface GrantAuthority {
  /** The caller's ministry-admin grant (for a root admin, the implicit `root:<msp>` grant). */
  authority: AuthorityGrant;
  /** Whether the authority is a delegated ministry-admin rather than the root admin. */
  delegated: boolean;
}

/**
 * Refuses a GrantRole unless the caller may grant `input` in its own ministry. A delegated
 * ministry-admin cannot delegate further, and its grants expire no later than its delegation (an
 * open-ended grant gets the delegation's expiry: `input.expiresAt` is set).
 * @throws AccessDeniedError naming the foreign domain, the missing role or the delegation limit.
 */
export async function authorizeGrant(ctx: Context, input: GrantInput): Promise<GrantAuthority> {
  const scope = parseScope(input.scope);
  await requireOwnDomain(ctx, scope, `grant roles`);
  const found = await requireMinistryAdminFor(ctx, formatScope(scope));
  if (found.delegated) {
    limitToDelegation(input, found.authority);
  }
  return found;
}

/**
 * Refuses a RevokeRole unless the caller is an admin of the granting ministry for the grant's
 * scope; a ministry-admin delegation is revoked by the root admin only.
 * @throws AccessDeniedError naming the owning ministry or the missing role.
 */
export async function authorizeRevoke(ctx: Context, grant: AuthorityGrant): Promise<GrantAuthority> {
  const { mspId } = caller(ctx);
  if (grant.mspId !== mspId) {
    throw new AccessDeniedError(
      `grant ${grant.id} belongs to ministry ${grant.mspId}; only its admins may revoke it, not ${mspId}`,
    );
  }
  const found = await requireMinistryAdminFor(ctx, grant.scope);
  if (grant.role === 'ministry-admin' && found.delegated) {
    throw new AccessDeniedError(
      `only the root admin of ${mspId} revokes a ministry-admin delegation (grant ${grant.id})`,
    );
  }
  return found;
}

/** The caller's ministry-admin authority for a scope. */
async function requireMinistryAdminFor(ctx: Context, scope: string): Promise<GrantAuthority> {
  const who = caller(ctx);
  const authority = await findRole(ctx, 'ministry-admin', parseScope(scope));
  if (!authority) {
    throw new AccessDeniedError(`${who.id} (${who.mspId}) lacks role ministry-admin for scope ${scope}`);
  }
  return { authority, delegated: authority.id !== rootGrantId(who.mspId) };
}

/**
 * A delegated ministry-admin grants within its delegation: no further delegation, no expiry later
 * than its own.
 */
function limitToDelegation(input: GrantInput, delegation: AuthorityGrant): void {
  if (input.role === 'ministry-admin') {
    throw new AccessDeniedError(
      `a delegated ministry-admin (grant ${delegation.id}) cannot delegate ministry-admin further; the root admin must`,
    );
  }
  if (
    delegation.expiresAt !== undefined &&
    (input.expiresAt === undefined || input.expiresAt > delegation.expiresAt)
  ) {
    input.expiresAt = delegation.expiresAt;
  }
}
