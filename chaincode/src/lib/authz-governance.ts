import type { Context } from 'fabric-contract-api';
import { asMinistry, type Ministry } from '../model/authority-ministry';
import { AuthzObjectType, ministryKey } from './authz-keys';
import { findRole } from './authz';
import { parseScope } from './authz-scope';
import { unmarshal } from './canonical';
import { AccessDeniedError, LimitExceededError } from './errors';
import { caller } from './identity';
import { readPartialCompositeKey } from './query';
import { exists } from './state';

/** Most ministries the registry holds (a channel with more would need a paginated tally). */
export const MAX_MINISTRIES = 64;

/**
 * Refuses a governance action (propose, approve, reject) unless the caller's ministry is
 * registered and the caller holds `rule-admin` for every scope concerned (a root admin does).
 * @param action - the transaction, for the error.
 * @throws AccessDeniedError naming the missing registration, or role and scope.
 */
export async function requireGovernanceRole(ctx: Context, action: string, scopes: string[]): Promise<void> {
  const who = caller(ctx);
  if (!(await exists(ctx, ministryKey(ctx, who.mspId)))) {
    throw new AccessDeniedError(
      `${action}: ministry ${who.mspId} is not registered for governance (its admin runs governance:RegisterMinistry)`,
    );
  }
  for (const scope of scopes) {
    if (!(await findRole(ctx, 'rule-admin', parseScope(scope)))) {
      throw new AccessDeniedError(`${who.id} (${who.mspId}) lacks role rule-admin for scope ${scope}`);
    }
  }
}

/**
 * Reads every registered ministry, ordered by MSP ID.
 * @throws LimitExceededError beyond {@link MAX_MINISTRIES}.
 */
export async function readMinistries(ctx: Context): Promise<Ministry[]> {
  const { entries, truncated } = await readPartialCompositeKey(
    ctx,
    AuthzObjectType.ministry,
    [],
    MAX_MINISTRIES,
  );
  if (truncated) {
    throw new LimitExceededError(`more than ${MAX_MINISTRIES} ministries are registered`);
  }
  return entries.map((e) => {
    const mspId = ctx.stub.splitCompositeKey(e.key).attributes[0];
    return asMinistry(unmarshal(e.value, `ministry ${mspId}`), mspId);
  });
}
