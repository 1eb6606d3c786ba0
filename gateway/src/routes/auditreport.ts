import { stringify } from 'csv-stringify/sync';

/** A ministry's audit report as the chaincode's `audit:GetReport` answers it. */
export interface AuditReport {
  mspId: string;
  from: string;
  to: string;
  actions: { total: number; byAction: Record<string, { count: number; outcomes: Record<string, number> }> };
  cases: {
    opened: number;
    byStatus: Record<string, number>;
    medianSecondsToConfirmation: number | null;
  };
}

/**
 * The report as CSV, one count per row: `section,name,outcome,count` (sections `action` and
 * `cases`), after a header row; the ministry and window are on every row so that files of several
 * reports concatenate.
 */
export function reportCsv(report: AuditReport): string {
  const rows: (string | number)[][] = [];
  const row = (section: string, name: string, outcome: string, count: number | string) =>
    rows.push([report.mspId, report.from, report.to, section, name, outcome, count]);
  row('actions', 'total', '', report.actions.total);
  for (const [action, { count, outcomes }] of Object.entries(report.actions.byAction)) {
    row('action', action, '', count);
    for (const [outcome, n] of Object.entries(outcomes)) row('action', action, outcome, n);
  }
  row('cases', 'opened', '', report.cases.opened);
  for (const [status, n] of Object.entries(report.cases.byStatus)) row('cases', 'status', status, n);
  row('cases', 'medianSecondsToConfirmation', '', report.cases.medianSecondsToConfirmation ?? '');
  return stringify(rows, {
    header: true,
    columns: ['mspId', 'from', 'to', 'section', 'name', 'outcome', 'count'],
  });
}
