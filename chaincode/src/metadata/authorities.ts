import { Object as DataType, Property } from 'fabric-contract-api';
import type { AuthorityGrant as GrantShape } from '../model/authority';
import type { Role } from '../model/role';

/** A role grant as stored (GrantRole, RevokeRole, GetGrant, CheckRole). */
@DataType()
export class AuthorityGrant implements GrantShape {
  @Property('docType', 'string') docType!: 'grant';
  @Property('id', 'string') id!: string;
  @Property('mspId', 'string') mspId!: string;
  @Property('holder', 'string') holder!: string;
  @Property('role', 'string') role!: Role;
  @Property('scope', 'string') scope!: string;
  @Property('expiresAt', 'string') expiresAt?: string;
  @Property('issuers', 'string[]') issuers?: string[];
  @Property('status', 'string') status!: GrantShape['status'];
  @Property('grantedBy', 'string') grantedBy!: string;
  @Property('grantedAt', 'string') grantedAt!: string;
  @Property('txId', 'string') txId!: string;
  @Property('via', 'string') via?: string;
  @Property('revokedBy', 'string') revokedBy?: string;
  @Property('revokedAt', 'string') revokedAt?: string;
  @Property('revokedTxId', 'string') revokedTxId?: string;
  @Property('revokeReason', 'string') revokeReason?: string;
}

/** One page of ListGrants. */
@DataType()
export class GrantPage {
  @Property('items', 'AuthorityGrant[]') items!: GrantShape[];
  @Property('bookmark', 'string') bookmark!: string;
}
