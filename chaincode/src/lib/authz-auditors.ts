import type { Context } from 'fabric-contract-api';
import type { AuthorityGrant } from '../model/authority';
import type { RecordCategory } from '../model/record';
import { findRole, inForceWithDelegation, readGrant } from './authz';
import { AuthzObjectType } from './authz-keys';
import { coveringNodes, type Scope } from './authz-scope';
import { AccessDeniedError } from './errors';
import { caller } from './identity';
import { readPartialCompositeKey } from './query';
import { txTimestampISO } from './time';

/**
 * Auditors: who may audit which records. An auditor grant covers records whose category and type
 * lie below its scope and whose issuing ministry is among its `issuers` (`*` = every ministry;
 * without issuers, only the auditor's own ministry).
 */

/** What identifies the records an audit concerns. */
export interface AuditTarget {
  category: RecordCategory;
  recordType: string;
  issuerMsp: string;
}

/** Most auditor grants read per scope node. */
export const MAX_AUDITORS_PER_NODE = 100;

/** Whether an auditor grant extends to records issued by `issuerMsp`. */
export function auditsIssuer(grant: AuthorityGrant, issuerMsp: string): boolean {
  const issuers = grant.issuers ?? [grant.mspId];
  return issuers.includes('*') || issuers.includes(issuerMsp);
}

/**
 * The auditor grants in force that cover `target`, ordered by grant id: the paper's "appropriate
 * auditors" for a record. `truncated` is set when a scope node held more than
 * {@link MAX_AUDITORS_PER_NODE} grants (those were not read).
 */
export async function findAuditors(
  ctx: Context,
  target: AuditTarget,
): Promise<{ auditors: AuthorityGrant[]; truncated: boolean }> {
  const now = txTimestampISO(ctx);
  const scope: Scope = { category: target.category, path: target.recordType };
  const auditors: AuthorityGrant[] = [];
  let truncated = false;
  for (const node of coveringNodes(scope)) {
    const found = await readPartialCompositeKey(
      ctx,
      AuthzObjectType.scopeIndex,
      ['auditor', ...node],
      MAX_AUDITORS_PER_NODE,
    );
    truncated ||= found.truncated;
    for (const entry of found.entries) {
      const grant = await readGrant(ctx, ctx.stub.splitCompositeKey(entry.key).attributes[3]);
      if (auditsIssuer(grant, target.issuerMsp) && (await inForceWithDelegation(ctx, grant, now))) {
        auditors.push(grant);
      }
    }
  }
  auditors.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { auditors, truncated };
}

/**
 * Refuses the transaction unless the caller may audit records like `target` (for the audit
 * contract).
 * @returns the authorizing auditor grant.
 * @throws AccessDeniedError "<identity> (<msp>) lacks role auditor for scope <c>/<type> of records issued by <msp>".
 */
export async function requireAuditor(ctx: Context, target: AuditTarget): Promise<AuthorityGrant> {
  const scope: Scope = { category: target.category, path: target.recordType };
  const grant = await findRole(ctx, 'auditor', scope, (g) => auditsIssuer(g, target.issuerMsp));
  if (!grant) {
    const who = caller(ctx);
    throw new AccessDeniedError(
      `${who.id} (${who.mspId}) lacks role auditor for scope ${target.category}/${target.recordType} ` +
        `of records issued by ${target.issuerMsp}`,
    );
  }
  return grant;
}
