import { Object as DataType, Property } from 'fabric-contract-api';
import type {
  PersonalDataResult as PersonalDataShape,
  RegisterRecordResult as RegisterShape,
  StatusChangeResult as StatusChangeShape,
} from '../contracts/ledger';
import type { JsonObject as Json } from '../lib/canonical';
import type { VerifyResult as VerifyShape } from '../lib/verify-result';
import type { AuditState as AuditStateShape } from '../audit/verify';
import type { LedgerRecord as LedgerRecordShape, RecordCategory, RecordStatus } from '../model/record';
import './json';

/**
 * The ledger contract's data types as GetMetadata describes them. Each class implements the
 * interface the contract uses, so the compiler keeps the two in step; the contract still returns
 * canonical JSON text, which fabric-contract-api passes through unchanged.
 */

/** A record as stored (public fields only). */
@DataType()
export class LedgerRecord implements LedgerRecordShape {
  @Property('docType', 'string') docType!: 'record';
  @Property('id', 'string') id!: string;
  @Property('category', 'string') category!: RecordCategory;
  @Property('recordType', 'string') recordType!: string;
  @Property('schemaId', 'string') schemaId?: string;
  @Property('schemaVersion', 'number') schemaVersion?: number;
  @Property('subjectRef', 'string') subjectRef!: string;
  @Property('issuerMsp', 'string') issuerMsp!: string;
  @Property('issuerId', 'string') issuerId!: string;
  @Property('hash', 'string') hash!: string;
  @Property('hashScheme', 'number') hashScheme?: number;
  @Property('personalHash', 'string') personalHash?: string;
  @Property('personalCollection', 'string') personalCollection?: string;
  @Property('status', 'string') status!: RecordStatus;
  @Property('statusReason', 'string') statusReason?: string;
  @Property('version', 'number') version!: number;
  @Property('supersedes', 'string') supersedes?: string;
  @Property('supersededBy', 'string') supersededBy?: string;
  @Property('legalBasis', 'JsonObject[]') legalBasis?: LedgerRecordShape['legalBasis'];
  @Property('createdAt', 'string') createdAt!: string;
  @Property('updatedAt', 'string') updatedAt!: string;
  @Property('registeredTxId', 'string') registeredTxId?: string;
  @Property('auditCaseId', 'string') auditCaseId?: string;
  @Property('trailStart', 'JsonObject') trailStart?: LedgerRecordShape['trailStart'];
  @Property('txId', 'string') txId!: string;
  @Property('payload', 'JsonObject') payload!: Json;
}

/** What RegisterRecord and AmendRecord answer. */
@DataType()
export class RegisterRecordResult implements RegisterShape {
  @Property('id', 'string') id!: string;
  @Property('hash', 'string') hash!: string;
  @Property('txId', 'string') txId!: string;
  @Property('status', 'string') status!: RecordStatus;
  @Property('version', 'number') version!: number;
  @Property('schemaVersion', 'number') schemaVersion!: number;
  @Property('issuerMsp', 'string') issuerMsp!: string;
  @Property('createdAt', 'string') createdAt!: string;
  @Property('hashScheme', 'number') hashScheme!: number;
  @Property('supersedes', 'string') supersedes?: string;
}

/** What SuspendRecord, ReinstateRecord and RevokeRecord answer. */
@DataType()
export class StatusChangeResult implements StatusChangeShape {
  @Property('id', 'string') id!: string;
  @Property('status', 'string') status!: RecordStatus;
  @Property('txId', 'string') txId!: string;
}

/** The audit state a verification reports for a record under an audit policy. */
@DataType()
export class AuditState implements Omit<AuditStateShape, 'policies'> {
  @Property('caseId', 'string') caseId!: string;
  @Property('status', 'string') status!: AuditStateShape['status'];
  @Property('policies', 'JsonObject[]') policies!: AuditStateShape['policies'];
  @Property('deadline', 'string') deadline!: string;
  @Property('confirmedBy', 'string[]') confirmedBy?: string[];
  @Property('closedAt', 'string') closedAt?: string;
}

/** What VerifyHash and VerifyRecord answer (`found: false` alone when unknown). */
@DataType()
export class VerifyResult implements VerifyShape {
  @Property('found', 'boolean') found!: boolean;
  @Property('id', 'string') id?: string;
  @Property('status', 'string') status?: RecordStatus;
  @Property('issuerMsp', 'string') issuerMsp?: string;
  @Property('recordType', 'string') recordType?: string;
  @Property('version', 'number') version?: number;
  @Property('registeredAt', 'string') registeredAt?: string;
  @Property('registeredTxId', 'string') registeredTxId?: string;
  @Property('updatedAt', 'string') updatedAt?: string;
  @Property('txId', 'string') txId?: string;
  @Property('supersededBy', 'string') supersededBy?: string;
  @Property('hashScheme', 'number') hashScheme?: number;
  @Property('audit', 'AuditState') audit?: AuditStateShape;
}

/** What GetPersonalData answers (the issuing ministry only). */
@DataType()
export class PersonalDataResult implements PersonalDataShape {
  @Property('id', 'string') id!: string;
  @Property('collection', 'string') collection!: string;
  @Property('hash', 'string') hash!: string;
  @Property('personal', 'JsonObject') personal!: Json;
  @Property('hashScheme', 'number') hashScheme!: number;
  @Property('salt', 'string') salt?: string;
}

/** What VerifyPersonalDataHash answers. */
@DataType()
export class PersonalDataCheck {
  @Property('id', 'string') id!: string;
  @Property('hasPersonalData', 'boolean') hasPersonalData!: boolean;
  @Property('matches', 'boolean') matches!: boolean;
}

/** One page of ListRecords. */
@DataType()
export class RecordPage {
  @Property('items', 'LedgerRecord[]') items!: LedgerRecordShape[];
  /** Empty on the last page. */
  @Property('bookmark', 'string') bookmark!: string;
}

/** One change of a record, as GetRecordHistory lists them. */
@DataType()
export class RecordChange {
  @Property('recordId', 'string') recordId!: string;
  @Property('txId', 'string') txId!: string;
  @Property('timestamp', 'string') timestamp!: string;
  @Property('isDelete', 'boolean') isDelete!: boolean;
  @Property('record', 'LedgerRecord') record?: LedgerRecordShape;
}
