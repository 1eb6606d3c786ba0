import type { Context } from 'fabric-contract-api';
import { marshal } from './canonical';

/**
 * Chaincode event names. Fabric keeps only one event per transaction (the last setEvent wins), so
 * each transaction emits at most one, named after what happened.
 */
export const EventName = {
  recordRegistered: 'RecordRegistered',
  recordAmended: 'RecordAmended',
  recordSuspended: 'RecordSuspended',
  recordReinstated: 'RecordReinstated',
  recordRevoked: 'RecordRevoked',
  schemaRegistered: 'SchemaRegistered',
  auditCaseOpened: 'AuditCaseOpened',
  auditDecided: 'AuditDecided',
  auditCaseClosed: 'AuditCaseClosed',
  ministryRegistered: 'MinistryRegistered',
  proposalSubmitted: 'ProposalSubmitted',
  proposalDecided: 'ProposalDecided',
  proposalClosed: 'ProposalClosed',
  roleGranted: 'RoleGranted',
  roleRevoked: 'RoleRevoked',
  tokenMoved: 'TokenMoved',
  ratePublished: 'RatePublished',
  conversionRecorded: 'ConversionRecorded',
} as const;

/** One of {@link EventName}'s values. */
export type EventNameValue = (typeof EventName)[keyof typeof EventName];

/** Sets the transaction's chaincode event; the payload is canonical JSON and must hold no personal data. */
export function emitEvent(ctx: Context, name: EventNameValue, payload: object): void {
  ctx.stub.setEvent(name, marshal(payload));
}
