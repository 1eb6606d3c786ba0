import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { findAuditors } from '../lib/authz-auditors';
import { isMinistryAdmin, MAX_GRANTS_PER_ROLE, readGrant, requireRole } from '../lib/authz';
import { authorizeGrant, authorizeRevoke } from '../lib/authz-grants';
import { activeGrants, writeActiveGrants } from '../lib/authz-holder-grants';
import { AuthzObjectType, grantKey, holderIndexKey, scopeIndexKey } from '../lib/authz-keys';
import { parseScope, scopeAttributes } from '../lib/authz-scope';
import { canonicalJson } from '../lib/canonical';
import { InvalidArgumentError, LimitExceededError, NotFoundError } from '../lib/errors';
import { EventName, emitEvent } from '../lib/events';
import { caller } from '../lib/identity';
import { checkArgument } from '../lib/input';
import { INDEX_VALUE } from '../lib/keys';
import { parsePageSize, readPage } from '../lib/rules-engine-page';
import { readObject, writeObject } from '../lib/state';
import { appendTrail } from '../lib/trail';
import { txFacts } from '../lib/tx';
import {
  asGrant,
  HOLDER_PATTERN,
  MSP_ID_PATTERN,
  newGrant,
  parseGrantInput,
  type AuthorityGrant,
} from '../model/authority';
import { RECORD_CATEGORIES, type RecordCategory } from '../model/record';
import { ID_PATTERN, ID_RULE, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE } from '../model/patterns';
import { isRole, ROLES } from '../model/role';

/** Printable text without control characters, 1-300 characters. */
const REASON_PATTERN = /^[^\p{Cc}]{1,300}$/u;

/**
 * The `authorities` contract: who may do what. Each ministry's root admin (certificate OU=admin)
 * grants and revokes roles (ministry-admin, issuer, auditor, rule-admin, verifier) for identities
 * of its own MSP, each scoped to a node of the service hierarchy, optionally expiring; a delegated
 * ministry-admin may grant within its own scope and expiry. Revocation keeps the grant and its time.
 */
@Info({ title: 'authorities', description: 'Roles of identities, scoped to the service hierarchy' })
export class AuthoritiesContract extends Contract {
  constructor() {
    super('authorities');
  }

  /** Returns the caller's MSP ID, identity id (the `holder` of grants) and whether it is a root admin. */
  @Transaction(false)
  @Returns('JsonObject')
  async WhoAmI(ctx: Context): Promise<string> {
    const who = caller(ctx);
    return canonicalJson({ mspId: who.mspId, id: who.id, ministryAdmin: isMinistryAdmin(ctx) });
  }

  /**
   * Grants a role to an identity of the caller's own ministry.
   * @param grantJson - `{holder, role, scope, expiresAt?, issuers?}`; holder as WhoAmI reports it.
   * @returns the grant (its id is the transaction id).
   * @throws AccessDeniedError when the caller lacks ministry-admin for the scope.
   */
  @Transaction()
  @Param('grantJson', 'string', 'JSON {holder, role, scope, expiresAt?, issuers?}')
  @Returns('AuthorityGrant')
  async GrantRole(ctx: Context, grantJson: string): Promise<string> {
    const input = parseGrantInput(grantJson);
    const tx = txFacts(ctx);
    const { authority, delegated } = await authorizeGrant(ctx, input);
    if (input.expiresAt !== undefined && input.expiresAt <= tx.timestamp) {
      throw new InvalidArgumentError('grantJson: field "expiresAt" must be after the transaction time');
    }
    const holderRole = { mspId: tx.mspId, holder: input.holder, role: input.role };
    const active = await activeGrants(ctx, holderRole, MAX_GRANTS_PER_ROLE);
    if (active.truncated || active.grants.length >= MAX_GRANTS_PER_ROLE) {
      throw new LimitExceededError(
        `the identity already holds ${MAX_GRANTS_PER_ROLE} active ${input.role} grants`,
      );
    }
    const grant = newGrant(input, tx, delegated ? authority.id : undefined);
    await writeObject(ctx, grantKey(ctx, grant.id), grant);
    await writeActiveGrants(ctx, holderRole, [...active.grants, grant]);
    await ctx.stub.putState(holderIndexKey(ctx, grant), INDEX_VALUE);
    await ctx.stub.putState(
      scopeIndexKey(ctx, grant.role, scopeAttributes(parseScope(grant.scope)), grant.id),
      INDEX_VALUE,
    );
    await appendTrail(ctx, 'grant', grant.id, 'ROLE_GRANTED', {
      status: grant.status,
      role: grant.role,
      scope: grant.scope,
    });
    emitEvent(ctx, EventName.roleGranted, {
      id: grant.id,
      mspId: grant.mspId,
      role: grant.role,
      scope: grant.scope,
    });
    return canonicalJson(grant);
  }

  /**
   * Revokes an active grant; the grant stays readable with who revoked it, when and why.
   * Only the granting ministry's admins (root, or delegated for the grant's scope) may revoke.
   */
  @Transaction()
  @Param('grantId', 'string', 'grant id (the granting transaction id)')
  @Param('reason', 'string', 'why (stored on chain: never personal data)')
  @Returns('AuthorityGrant')
  async RevokeRole(ctx: Context, grantId: string, reason: string): Promise<string> {
    checkArgument('reason', reason, REASON_PATTERN, '1-300 characters without control characters');
    const grant = await requireGrant(ctx, grantId);
    const tx = txFacts(ctx);
    await authorizeRevoke(ctx, grant);
    if (grant.status !== 'ACTIVE') {
      throw new InvalidArgumentError(`grant ${grantId} was already revoked at ${String(grant.revokedAt)}`);
    }
    const revoked: AuthorityGrant = {
      ...grant,
      status: 'REVOKED',
      revokedBy: tx.clientId,
      revokedAt: tx.timestamp,
      revokedTxId: tx.txId,
      revokeReason: reason,
    };
    await writeObject(ctx, grantKey(ctx, grantId), revoked);
    const holderRole = { mspId: grant.mspId, holder: grant.holder, role: grant.role };
    const active = await activeGrants(ctx, holderRole, MAX_GRANTS_PER_ROLE);
    await writeActiveGrants(
      ctx,
      holderRole,
      active.grants.filter((g) => g.id !== grantId),
    );
    await ctx.stub.deleteState(holderIndexKey(ctx, grant));
    await ctx.stub.deleteState(
      scopeIndexKey(ctx, grant.role, scopeAttributes(parseScope(grant.scope)), grant.id),
    );
    await appendTrail(ctx, 'grant', grantId, 'ROLE_REVOKED', { status: 'REVOKED', role: grant.role });
    emitEvent(ctx, EventName.roleRevoked, {
      id: grantId,
      mspId: grant.mspId,
      role: grant.role,
      scope: grant.scope,
    });
    return canonicalJson(revoked);
  }

  /** Returns a grant, active or revoked. */
  @Transaction(false)
  @Param('grantId', 'string', 'grant id (the granting transaction id)')
  @Returns('AuthorityGrant')
  async GetGrant(ctx: Context, grantId: string): Promise<string> {
    return canonicalJson(await requireGrant(ctx, grantId));
  }

  /**
   * Lists a ministry's active grants, optionally of one holder, one page at a time.
   * @param holder - '' for every identity of the ministry.
   */
  @Transaction(false)
  @Param('mspId', 'string', 'MSP id')
  @Param('holder', 'string', 'x509::<subject>::<issuer> of the holder; empty for all')
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('GrantPage')
  async ListGrants(
    ctx: Context,
    mspId: string,
    holder: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    checkArgument('mspId', mspId, MSP_ID_PATTERN, 'an MSP ID');
    if (holder !== '') checkArgument('holder', holder, HOLDER_PATTERN, "an identity id or ''");
    const attrs = holder === '' ? [mspId] : [mspId, holder];
    const page = await readPage(
      ctx,
      AuthzObjectType.holderIndex,
      attrs,
      parsePageSize(pageSize),
      bookmark,
      (key) => readGrant(ctx, ctx.stub.splitCompositeKey(key).attributes[3]),
    );
    return canonicalJson(page);
  }

  /**
   * Answers whether the caller holds a role for a scope now, with the grant that authorizes it.
   * @throws AccessDeniedError "<identity> (<msp>) lacks role R for scope S".
   */
  @Transaction(false)
  @Param('role', 'string', 'role name')
  @Param('scope', 'string', 'role scope, e.g. G2C/education')
  @Returns('AuthorityGrant')
  async CheckRole(ctx: Context, role: string, scope: string): Promise<string> {
    if (!isRole(role)) {
      throw new InvalidArgumentError(`role must be one of ${ROLES.join(', ')}`);
    }
    const grant = await requireRole(ctx, role, scope);
    return canonicalJson(grant);
  }

  /**
   * Who may audit records of a category and type issued by a ministry: the auditor grants in force
   * whose scope covers `<category>/<recordType>` and whose issuers include that ministry (an auditor
   * grant without issuers covers its own ministry's records only). Ordered by grant id. Root admins,
   * who audit their own ministry's records implicitly, are not listed.
   */
  @Transaction(false)
  @Param('category', 'string', 'G2C, G2B, G2G or G2E')
  @Param('recordType', 'string', 'dotted record type, e.g. education.credential')
  @Param('issuerMsp', 'string', 'MSP id of the issuing ministry')
  @Returns('JsonObject')
  async WhoMayAudit(ctx: Context, category: string, recordType: string, issuerMsp: string): Promise<string> {
    checkArgument('category', category, /^G2[CBGE]$/, `one of ${RECORD_CATEGORIES.join(', ')}`);
    checkArgument('recordType', recordType, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE);
    checkArgument('issuerMsp', issuerMsp, MSP_ID_PATTERN, 'an MSP ID');
    const { auditors, truncated } = await findAuditors(ctx, {
      category: category as RecordCategory,
      recordType,
      issuerMsp,
    });
    return canonicalJson({ auditors, truncated });
  }
}

/**
 * Reads a grant by id.
 * @throws NotFoundError "grant X does not exist".
 */
async function requireGrant(ctx: Context, grantId: string): Promise<AuthorityGrant> {
  checkArgument('grantId', grantId, ID_PATTERN, ID_RULE);
  const value = await readObject(ctx, grantKey(ctx, grantId), `grant ${grantId}`);
  if (!value) {
    throw new NotFoundError(`grant ${grantId} does not exist`);
  }
  return asGrant(value, grantId);
}
