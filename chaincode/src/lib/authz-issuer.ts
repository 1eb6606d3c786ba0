import type { Context } from 'fabric-contract-api';
import type { LedgerRecord, RecordCategory } from '../model/record';
import { requireRole } from './authz';
import { AccessDeniedError } from './errors';
import { caller } from './identity';

/**
 * Who may issue and change records. Issuing needs the `issuer` role for the record's category and
 * type (granted in the authority repository, or implicitly held by the ministry's root admin), and
 * the record type's domain to be the caller's ministry's own. Changing a record additionally needs
 * the caller to belong to the issuing ministry; the record key's endorsement policy enforces the
 * same at commit on every peer.
 */

/**
 * Refuses the transaction unless the caller may issue records of this category and type.
 * @throws AccessDeniedError naming the foreign domain, or the missing role and scope.
 */
export async function requireIssuer(
  ctx: Context,
  category: RecordCategory,
  recordType: string,
): Promise<void> {
  await requireRole(ctx, 'issuer', `${category}/${recordType}`);
}

/**
 * Refuses a change of a record by anyone but an issuer of the issuing ministry.
 * @param action - what the caller tries, for the message, e.g. `revoke it`.
 * @throws AccessDeniedError "record X was issued by EducationMSP; only EducationMSP may revoke it
 *   (the caller is from HealthMSP)".
 */
export async function requireRecordIssuer(ctx: Context, record: LedgerRecord, action: string): Promise<void> {
  const { mspId } = caller(ctx);
  if (mspId !== record.issuerMsp) {
    throw new AccessDeniedError(
      `record ${record.id} was issued by ${record.issuerMsp}; only ${record.issuerMsp} may ${action} (the caller is from ${mspId})`,
    );
  }
  await requireIssuer(ctx, record.category, record.recordType);
}
