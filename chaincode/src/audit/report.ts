import type { Context } from 'fabric-contract-api';
import { InvalidArgumentError } from '../lib/errors';
import { TIME_PATTERN } from '../model/authority';
import { MAX_TRAIL_READ, parseIndexEntry, readRangeAll } from '../lib/trail-read';
import { ministryRange } from '../lib/trail-keys';
import type { AuditCaseStatus } from './case';
import { readCase } from './cases';
import { caseIndexRange } from './keys';

/**
 * Reports per ministry and time window, from index keys only: what the ministry's identities did
 * (trail entries by action and outcome) and how the audit cases about the records it issued went.
 */

/** A half-open time window [from, to), ISO 8601 UTC with milliseconds. */
export interface TimeWindow {
  from: string;
  to: string;
}

/** The report of one ministry for one window. */
export interface AuditReport {
  mspId: string;
  from: string;
  to: string;
  actions: {
    total: number;
    /**
     * Trail entries by action (e.g. RECORD_REGISTERED, AUDIT_APPROVED), each with its count by
     * outcome (the status the action left, e.g. PENDING_AUDIT, APPROVE; `-` when it has none).
     */
    byAction: Record<string, { count: number; outcomes: Record<string, number> }>;
  };
  cases: {
    /** Cases about the ministry's records opened in the window, by their status now. */
    opened: number;
    byStatus: Record<AuditCaseStatus, number>;
    /** Median seconds from opening to confirmation of the confirmed ones; null when none. */
    medianSecondsToConfirmation: number | null;
  };
}

/**
 * Parses a window's bounds (ISO 8601 UTC date-times).
 * @throws InvalidArgumentError naming the bad bound.
 */
export function parseWindow(from: string, to: string): TimeWindow {
  const window = { from: parseTime('from', from), to: parseTime('to', to) };
  if (window.to <= window.from) {
    throw new InvalidArgumentError('to must be after from');
  }
  return window;
}

/**
 * Parses a time argument, normalized to `YYYY-MM-DDTHH:mm:ss.sssZ`.
 * @throws InvalidArgumentError naming the argument.
 */
export function parseTime(name: string, value: string): string {
  if (typeof value !== 'string' || !TIME_PATTERN.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError(`${name} must be an ISO 8601 UTC date-time such as 2025-01-01T00:00:00Z`);
  }
  return new Date(value).toISOString();
}

/** The median of a non-empty list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Builds the report of `mspId` for `window`.
 * @throws LimitExceededError when the window holds more than MAX_TRAIL_READ entries or cases.
 */
export async function buildReport(ctx: Context, mspId: string, window: TimeWindow): Promise<AuditReport> {
  const entries = await readRangeAll(
    ctx,
    ministryRange(mspId, window.from, window.to),
    MAX_TRAIL_READ,
    `the trail of ${mspId} in the window`,
    parseIndexEntry,
  );
  const byAction: AuditReport['actions']['byAction'] = {};
  for (const e of entries) {
    const counts = (byAction[e.action] ??= { count: 0, outcomes: {} });
    const outcome = e.outcome ?? '-';
    counts.count += 1;
    counts.outcomes[outcome] = (counts.outcomes[outcome] ?? 0) + 1;
  }
  const caseIds = await readRangeAll(
    ctx,
    caseIndexRange(mspId, window.from, window.to),
    MAX_TRAIL_READ,
    `the audit cases of ${mspId} in the window`,
    (key) => key.slice(key.lastIndexOf('|') + 1),
  );
  const byStatus: Record<AuditCaseStatus, number> = { OPEN: 0, CONFIRMED: 0, REJECTED: 0, EXPIRED: 0 };
  const toConfirm: number[] = [];
  for (const id of caseIds) {
    const c = await readCase(ctx, id);
    byStatus[c.status] += 1;
    if (c.status === 'CONFIRMED' && c.closedAt !== undefined) {
      toConfirm.push((Date.parse(c.closedAt) - Date.parse(c.openedAt)) / 1000);
    }
  }
  return {
    mspId,
    ...window,
    actions: { total: entries.length, byAction },
    cases: {
      opened: caseIds.length,
      byStatus,
      medianSecondsToConfirmation: toConfirm.length > 0 ? median(toConfirm) : null,
    },
  };
}
