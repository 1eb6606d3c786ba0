import type { Context } from 'fabric-contract-api';
import type { LedgerRecord } from '../model/record';
import type { AuditCaseStatus } from './case';
import { readCase } from './cases';
import type { PolicyRef } from './policy';

/** What verification tells about a record's audit (no auditor identities, only ministries). */
export interface AuditState {
  caseId: string;
  status: AuditCaseStatus;
  /** The policy versions that applied when the case opened. */
  policies: PolicyRef[];
  deadline: string;
  /** Ministries whose auditors confirmed it, when CONFIRMED. */
  confirmedBy?: string[];
  closedAt?: string;
}

/** The audit state of a record registered under an audit policy, as `{audit}`; `{}` for other records. */
export async function auditStateOf(ctx: Context, record: LedgerRecord): Promise<{ audit?: AuditState }> {
  if (record.auditCaseId === undefined) return {};
  const c = await readCase(ctx, record.auditCaseId);
  return {
    audit: {
      caseId: c.id,
      status: c.status,
      policies: c.requirement.policies,
      deadline: c.deadline,
      ...(c.confirmedBy ? { confirmedBy: c.confirmedBy } : {}),
      ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    },
  };
}
