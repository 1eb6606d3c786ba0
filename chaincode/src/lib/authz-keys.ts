import type { Context } from 'fabric-contract-api';

/**
 * World-state keys of the authority repository and the ministries registry (composite keys, see
 * lib/keys.ts). Index entries hold {@link INDEX_VALUE} from lib/keys; only active grants are
 * indexed, the grant itself stays under `authz.grant` with its revocation.
 */
export const AuthzObjectType = {
  /** `authz.grant` [grantId] → AuthorityGrant (active or revoked) */
  grant: 'authz.grant',
  /** `authz.holder~role` [mspId, holderId, role, grantId] → 0x00, active grants of an identity */
  holderIndex: 'authz.holder~role',
  /** `authz.holder-grants` [mspId, holderId, role] → the identity's active grants (lib/authz-holder-grants) */
  holderGrants: 'authz.holder-grants',
  /** `authz.role~scope` [role, category|*, path|*, grantId] → 0x00, active grants by scope node */
  scopeIndex: 'authz.role~scope',
  /** `gov.ministry` [mspId] → Ministry, the registered ministries quorums count */
  ministry: 'gov.ministry',
} as const;

/** Key of a grant. */
export function grantKey(ctx: Context, grantId: string): string {
  return ctx.stub.createCompositeKey(AuthzObjectType.grant, [grantId]);
}

/** Key of a grant's entry in its holder's index. */
export function holderIndexKey(
  ctx: Context,
  g: { mspId: string; holder: string; role: string; id: string },
): string {
  return ctx.stub.createCompositeKey(AuthzObjectType.holderIndex, [g.mspId, g.holder, g.role, g.id]);
}

/** Key of a grant's entry in the scope index. */
export function scopeIndexKey(ctx: Context, role: string, node: [string, string], grantId: string): string {
  return ctx.stub.createCompositeKey(AuthzObjectType.scopeIndex, [role, ...node, grantId]);
}

/** Key of a registered ministry. */
export function ministryKey(ctx: Context, mspId: string): string {
  return ctx.stub.createCompositeKey(AuthzObjectType.ministry, [mspId]);
}
