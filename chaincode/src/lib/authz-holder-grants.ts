import type { Context } from 'fabric-contract-api';
import { asGrant, type AuthorityGrant } from '../model/authority';
import type { Role } from '../model/role';
import { AuthzObjectType, grantKey } from './authz-keys';
import type { JsonObject } from './canonical';
import { StateCorruptError } from './errors';
import { readPartialCompositeKey } from './query';
import { readObject, writeObject } from './state';

/**
 * An identity's active grants of one role, read by one point read. Every registration checks that
 * its caller holds `issuer`: a range query over the holder index (`authz.holder~role`), re-run at
 * commit by every peer, then a read of each grant it names. Here the active grants of an identity
 * and role are also kept together under one key (`authz.holder-grants` [mspId, holder, role]), so
 * the check is one GetState and no range query.
 *
 * GrantRole and RevokeRole write the key with the grant and index keys, which they still write
 * (ListGrants and the auditors' checks read them). A ledger an older chaincode wrote has no such
 * key: its grants are read by the holder index until the identity's next grant or revocation of
 * that role, which carries them over.
 */

/** `authz.holder-grants` [mspId, holder, role] → the active grants, by id. */
interface HolderGrants {
  docType: 'authz.holder-grants';
  grants: AuthorityGrant[];
}

/** Who holds which role: the key's attributes. */
export interface HolderRole {
  mspId: string;
  holder: string;
  role: Role | string;
}

/** The active grants of a holder and role, and whether the holder index had more than were read. */
export interface ActiveGrants {
  grants: AuthorityGrant[];
  /** Only from the holder index of an older ledger: more entries than the limit. */
  truncated: boolean;
}

/** Key of a holder's active grants of a role. */
export function holderGrantsKey(ctx: Context, h: HolderRole): string {
  return ctx.stub.createCompositeKey(AuthzObjectType.holderGrants, [h.mspId, h.holder, h.role]);
}

/**
 * The active grants of `h`, by id: from its key, or from the holder index (at most `limit`) when
 * the ledger has none for it yet.
 * @throws StateCorruptError when the key or a grant the index names is not what it should be.
 */
export async function activeGrants(ctx: Context, h: HolderRole, limit: number): Promise<ActiveGrants> {
  const what = `active ${h.role} grants of ${h.holder} (${h.mspId})`;
  const value = await readObject(ctx, holderGrantsKey(ctx, h), what);
  if (value !== undefined) {
    if (
      value.docType !== 'authz.holder-grants' ||
      !Array.isArray(value.grants) ||
      !value.grants.every((g) => g !== null && typeof g === 'object' && !Array.isArray(g))
    ) {
      throw new StateCorruptError(`the ${what} are not a list of grants`);
    }
    const grants = (value.grants as JsonObject[]).map((g) => asGrant(g, String(g.id)));
    return { grants, truncated: false };
  }
  const { entries, truncated } = await readPartialCompositeKey(
    ctx,
    AuthzObjectType.holderIndex,
    [h.mspId, h.holder, h.role],
    limit,
  );
  const grants: AuthorityGrant[] = [];
  for (const entry of entries) {
    const grantId = ctx.stub.splitCompositeKey(entry.key).attributes[3];
    const grant = await readObject(ctx, grantKey(ctx, grantId), `grant ${grantId}`);
    if (grant === undefined) throw new StateCorruptError(`grant ${grantId} is indexed but missing`);
    grants.push(asGrant(grant, grantId));
  }
  return { grants, truncated };
}

/** Writes the active grants of `h` (sorted by id, as the holder index lists them). */
export async function writeActiveGrants(
  ctx: Context,
  h: HolderRole,
  grants: AuthorityGrant[],
): Promise<void> {
  const value: HolderGrants = {
    docType: 'authz.holder-grants',
    grants: [...grants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  await writeObject(ctx, holderGrantsKey(ctx, h), value);
}
