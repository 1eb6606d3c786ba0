import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../lib/canonical';
import { NotFoundError } from '../lib/errors';
import { EventName, emitEvent } from '../lib/events';
import { checkArgument } from '../lib/input';
import { auditCaseKey } from '../lib/keys';
import { readRecord } from '../lib/records';
import { readObject, writeObject } from '../lib/state';
import { appendAuditEntry, readAuditTrail } from '../lib/trail';
import { txFacts } from '../lib/tx';
import { asAuditCase, checkReason, newAuditCase, newAuditEntry, type AuditCase } from '../model/audit';
import { ID_PATTERN, ID_RULE } from '../model/patterns';

/** A Fabric transaction id: lower-case hex SHA-256 (audit case ids are transaction ids). */
const TX_ID_PATTERN = /^[0-9a-f]{64}$/;

/** Result of OpenCase. */
export interface OpenCaseResult {
  caseId: string;
  recordId: string;
  status: AuditCase['status'];
  txId: string;
}

/**
 * The `audit` contract: every change of a record leaves an audit entry; audit cases are an
 * authority's inquiries into a record. Who may open a case is not restricted yet (authorities
 * come later): any identity of a channel member can.
 */
@Info({ title: 'audit', description: 'Audit trails of records and audit cases' })
export class AuditContract extends Contract {
  constructor() {
    super('audit');
  }

  /**
   * Returns a record's audit trail, oldest first.
   * @returns canonical JSON array of audit entries.
   * @throws NotFoundError "record X does not exist".
   */
  @Transaction(false)
  @Returns('string')
  async GetTrail(ctx: Context, recordId: string): Promise<string> {
    checkArgument('recordId', recordId, ID_PATTERN, ID_RULE);
    await readRecord(ctx, recordId);
    return canonicalJson(await readAuditTrail(ctx, recordId));
  }

  /**
   * Opens an audit case about a record; the case id is this transaction's id.
   * @param reason - why the case is opened (1-1000 characters, no personal data: it is on chain).
   * @returns canonical JSON {@link OpenCaseResult}.
   */
  @Transaction()
  @Returns('string')
  async OpenCase(ctx: Context, recordId: string, reason: string): Promise<string> {
    checkArgument('recordId', recordId, ID_PATTERN, ID_RULE);
    checkReason(reason);
    await readRecord(ctx, recordId);
    const tx = txFacts(ctx);
    const auditCase = newAuditCase(recordId, reason, tx);
    await writeObject(ctx, auditCaseKey(ctx, auditCase.id), auditCase);
    await appendAuditEntry(ctx, newAuditEntry(recordId, 'AUDIT_CASE_OPENED', tx, { caseId: auditCase.id }));
    emitEvent(ctx, EventName.auditCaseOpened, { caseId: auditCase.id, recordId, status: auditCase.status });
    const result: OpenCaseResult = {
      caseId: auditCase.id,
      recordId,
      status: auditCase.status,
      txId: tx.txId,
    };
    return canonicalJson(result);
  }

  /**
   * Returns an audit case.
   * @throws NotFoundError "audit case X does not exist".
   */
  @Transaction(false)
  @Returns('string')
  async GetCase(ctx: Context, caseId: string): Promise<string> {
    checkArgument('caseId', caseId, TX_ID_PATTERN, 'a transaction id: 64 lower-case hex characters');
    const value = await readObject(ctx, auditCaseKey(ctx, caseId), `audit case ${caseId}`);
    if (!value) {
      throw new NotFoundError(`audit case ${caseId} does not exist`);
    }
    return canonicalJson(asAuditCase(value, caseId));
  }
}
