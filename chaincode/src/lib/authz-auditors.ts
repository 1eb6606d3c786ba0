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

/** What decides who may decide an audit case: the record's scope and issuer, and the case's policy. */
export interface CaseAuditTarget extends AuditTarget {
  /** The identity that issued the record (separation of duties: it never audits it). */
  issuerId: string;
  /** Only auditors of these ministries decide, when set. */
  ministries?: string[];
}

/**
 * Refuses a decision on an audit case unless the caller is an eligible auditor: not the identity
 * that issued the record, of a ministry the case's policy allows, holding `auditor` in force over
 * a scope covering the record and its issuer.
 * @returns the authorizing auditor grant.
 * @throws AccessDeniedError naming which condition failed.
 */
export async function requireCaseAuditor(ctx: Context, target: CaseAuditTarget): Promise<AuthorityGrant> {
  const who = caller(ctx);
  if (who.mspId === target.issuerMsp && who.id === target.issuerId) {
    throw new AccessDeniedError(
      `${who.id} (${who.mspId}) issued the record and may not audit it (separation of duties)`,
    );
  }
  if (target.ministries && !target.ministries.includes(who.mspId)) {
    throw new AccessDeniedError(
      `the audit policy admits auditors of ${target.ministries.join(', ') || 'no ministry'} only, not ${who.mspId}`,
    );
  }
  return requireAuditor(ctx, target);
}

/**
 * The auditors eligible for a case: auditor grants in force covering the record and its issuer,
 * of ministries the policy allows, without the record's issuing identity.
 */
export async function eligibleAuditors(
  ctx: Context,
  target: CaseAuditTarget,
): Promise<{ auditors: AuthorityGrant[]; truncated: boolean }> {
  const { auditors, truncated } = await findAuditors(ctx, target);
  return {
    auditors: auditors.filter(
      (g) =>
        !(g.mspId === target.issuerMsp && g.holder === target.issuerId) &&
        (!target.ministries || target.ministries.includes(g.mspId)),
    ),
    truncated,
  };
}
