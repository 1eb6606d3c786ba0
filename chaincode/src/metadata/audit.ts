import { Object as DataType, Property } from 'fabric-contract-api';
import type { AuditCase as CaseShape, AuditDecision as DecisionShape } from '../audit/case';
import type { DecisionResult as DecisionResultShape, OpenCaseResult as OpenShape } from '../contracts/audit';
import type { JsonObject as Json } from '../lib/canonical';
import type { TrailEntry as TrailEntryShape, TrailIndexEntry as TrailIndexShape } from '../lib/trail-entry';
import type { RecordCategory } from '../model/record';
import './json';

/** An audit case as stored. */
@DataType()
export class AuditCase implements CaseShape {
  @Property('docType', 'string') docType!: 'auditCase';
  @Property('id', 'string') id!: string;
  @Property('recordId', 'string') recordId!: string;
  @Property('category', 'string') category!: RecordCategory;
  @Property('recordType', 'string') recordType!: string;
  @Property('issuerMsp', 'string') issuerMsp!: string;
  @Property('issuerId', 'string') issuerId!: string;
  @Property('origin', 'string') origin!: CaseShape['origin'];
  @Property('reason', 'string') reason?: string;
  @Property('status', 'string') status!: CaseShape['status'];
  @Property('requirement', 'JsonObject') requirement!: CaseShape['requirement'];
  @Property('openedByMsp', 'string') openedByMsp!: string;
  @Property('openedBy', 'string') openedBy!: string;
  @Property('openedAt', 'string') openedAt!: string;
  @Property('deadline', 'string') deadline!: string;
  @Property('txId', 'string') txId!: string;
  @Property('closedAt', 'string') closedAt?: string;
  @Property('closedTxId', 'string') closedTxId?: string;
  @Property('confirmedBy', 'string[]') confirmedBy?: string[];
}

/** An auditor's decision on a case. */
@DataType()
export class AuditDecision implements DecisionShape {
  @Property('docType', 'string') docType!: 'auditDecision';
  @Property('caseId', 'string') caseId!: string;
  @Property('mspId', 'string') mspId!: string;
  @Property('auditorId', 'string') auditorId!: string;
  @Property('decision', 'string') decision!: DecisionShape['decision'];
  @Property('reason', 'string') reason!: string;
  @Property('grantId', 'string') grantId!: string;
  @Property('at', 'string') at!: string;
  @Property('txId', 'string') txId!: string;
}

/** The count of a case's decisions. */
@DataType()
export class Tally {
  @Property('approvals', 'number') approvals!: number;
  @Property('outsideApprovals', 'number') outsideApprovals!: number;
  @Property('rejections', 'number') rejections!: number;
  @Property('approvingMinistries', 'string[]') approvingMinistries!: string[];
}

/** What GetCase answers: the case, its decisions and their tally. */
@DataType()
export class AuditCaseView {
  @Property('case', 'AuditCase') case!: CaseShape;
  @Property('decisions', 'AuditDecision[]') decisions!: DecisionShape[];
  @Property('tally', 'Tally') tally!: Tally;
  @Property('overdue', 'boolean') overdue!: boolean;
}

/** What OpenCase answers. */
@DataType()
export class OpenCaseResult implements OpenShape {
  @Property('caseId', 'string') caseId!: string;
  @Property('recordId', 'string') recordId!: string;
  @Property('status', 'string') status!: OpenShape['status'];
  @Property('deadline', 'string') deadline!: string;
  @Property('txId', 'string') txId!: string;
}

/** What Approve, Reject and ExpireCase answer. */
@DataType()
export class DecisionResult implements DecisionResultShape {
  @Property('caseId', 'string') caseId!: string;
  @Property('status', 'string') status!: DecisionResultShape['status'];
  @Property('decision', 'string') decision?: DecisionResultShape['decision'];
  @Property('approvals', 'number') approvals!: number;
  @Property('outsideApprovals', 'number') outsideApprovals!: number;
  @Property('rejections', 'number') rejections!: number;
  @Property('txId', 'string') txId!: string;
}

/** One page of ListCases. */
@DataType()
export class AuditCasePage {
  @Property('items', 'AuditCase[]') items!: CaseShape[];
  @Property('bookmark', 'string') bookmark!: string;
}

/** An entry of an audit trail (hash-chained per target). */
@DataType()
export class TrailEntry implements TrailEntryShape {
  @Property('docType', 'string') docType!: 'trailEntry';
  @Property('targetType', 'string') targetType!: TrailEntryShape['targetType'];
  @Property('targetId', 'string') targetId!: string;
  @Property('seq', 'number') seq!: number;
  @Property('action', 'string') action!: string;
  @Property('actorMsp', 'string') actorMsp!: string;
  @Property('actorId', 'string') actorId!: string;
  @Property('txId', 'string') txId!: string;
  @Property('at', 'string') at!: string;
  @Property('details', 'JsonObject') details!: Json;
  @Property('prevHash', 'string') prevHash!: string;
  @Property('hash', 'string') hash!: string;
}

/** One page of a trail listing (GetTrail, ListTrailByMinistry, ListTrailByActor). */
@DataType()
export class TrailPage {
  @Property('items', 'TrailEntry[]') items!: TrailEntryShape[];
  @Property('bookmark', 'string') bookmark!: string;
}

/** A trail entry as the by-ministry and by-actor listings give it (no details or hashes). */
@DataType()
export class TrailIndexEntry implements TrailIndexShape {
  @Property('targetType', 'string') targetType!: TrailIndexShape['targetType'];
  @Property('targetId', 'string') targetId!: string;
  @Property('seq', 'number') seq!: number;
  @Property('action', 'string') action!: string;
  @Property('actorMsp', 'string') actorMsp!: string;
  @Property('at', 'string') at!: string;
  @Property('txId', 'string') txId!: string;
  @Property('outcome', 'string') outcome?: string;
}

/** One page of ListTrailByMinistry or ListTrailByActor. */
@DataType()
export class TrailIndexPage {
  @Property('items', 'TrailIndexEntry[]') items!: TrailIndexShape[];
  @Property('bookmark', 'string') bookmark!: string;
}
