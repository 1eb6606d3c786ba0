import type { Context } from 'fabric-contract-api';
import { inForceWithDelegation, isMinistryAdmin, MAX_GRANTS_PER_ROLE, readGrant } from './authz';
import { AuthzObjectType } from './authz-keys';
import { AccessDeniedError } from './errors';
import { caller } from './identity';
import { readPartialCompositeKey } from './query';
import { txTimestampISO } from './time';

/**
 * Who may read the verification log. A subject asks the ministry that issued their records who
 * verified them; the ministry answers through an officer who issues records (role `issuer` in
 * force, any scope) or its root admin, and only about records it issued itself: the listing is
 * confined to the caller's own MSP ID, whatever the caller asks.
 */

/**
 * Refuses the transaction unless the caller may list verifications of its ministry's records.
 * @returns the MSP ID whose records' verifications the caller may list (its own).
 * @throws AccessDeniedError "<identity> (<msp>) lacks role issuer: ...".
 */
export async function requireVerificationLogReader(ctx: Context): Promise<string> {
  const who = caller(ctx);
  if (isMinistryAdmin(ctx)) return who.mspId;
  const { entries } = await readPartialCompositeKey(
    ctx,
    AuthzObjectType.holderIndex,
    [who.mspId, who.id, 'issuer'],
    MAX_GRANTS_PER_ROLE,
  );
  const now = txTimestampISO(ctx);
  for (const entry of entries) {
    const grant = await readGrant(ctx, ctx.stub.splitCompositeKey(entry.key).attributes[3]);
    if (await inForceWithDelegation(ctx, grant, now)) return who.mspId;
  }
  throw new AccessDeniedError(
    `${who.id} (${who.mspId}) lacks role issuer: only its ministry's admin or issuers may list who verified the records it issued`,
  );
}
