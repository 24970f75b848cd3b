import { sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { reportCaseFacts } from '../db/schema/index.js';
import { AppError } from '../server/errors.js';
import { NONE, rowsOf } from './rollup.service.js';

export const returnQuery = z.object({ from: z.string().date(), to: z.string().date() });

export interface ReturnRow {
  productGroup: string;
  mainCause: string;
  outstandingAtStart: number;
  received: number;
  closedWithin3BusinessDays: number;
  closedAfter3DaysWithin8Weeks: number;
  closedAfter8Weeks: number;
  closed: number;
  upheld: number;
  redressPaid: number;
}

export interface CfpbRow {
  product: string;
  issue: string;
  received: number;
  closedWithMonetaryRelief: number;
  closedWithExplanation: number;
  inProgress: number;
  timely: number;
  closed: number;
}

/**
 * The regulatory complaints return of a period (see docs/complaints-return.md for the reading of
 * FCA DISP 1.10 and DISP 1 Annex 1R behind each column): per product group and main cause, the
 * complaints outstanding at the start, received, closed (within 3 business days, after that but
 * within 8 weeks, after 8 weeks), upheld (partly upheld counts as upheld) and redress paid.
 * Firm-wide: the return is the firm's, so it is for executives, compliance and admins.
 */
export async function complaintsReturn(ctx: AppContext, actor: Actor, query: z.infer<typeof returnQuery>) {
  requireRole(actor, 'admin', 'executive', 'compliance');
  if (query.from > query.to) throw new AppError('unprocessable', 'The period starts after it ends', [{ path: 'from', message: 'must not be after to' }]);
  const org = actor.organisationId;
  const inPeriod = (column: 'received_day' | 'resolved_day') => sql`${sql.raw(column)} BETWEEN ${query.from}::date AND ${query.to}::date`;
  const rows = rowsOf<Record<string, string | number>>(await ctx.db.execute(sql`
    SELECT coalesce(product, ${NONE}) AS product_group, coalesce(category, ${NONE}) AS main_cause,
      count(*) FILTER (WHERE received_day < ${query.from}::date AND (resolved_day IS NULL OR resolved_day >= ${query.from}::date))::int AS outstanding,
      count(*) FILTER (WHERE ${inPeriod('received_day')})::int AS received,
      count(*) FILTER (WHERE ${inPeriod('resolved_day')} AND business_days <= 3)::int AS closed_3bd,
      count(*) FILTER (WHERE ${inPeriod('resolved_day')} AND business_days > 3 AND within_8_weeks)::int AS closed_8w,
      count(*) FILTER (WHERE ${inPeriod('resolved_day')} AND business_days > 3 AND NOT within_8_weeks)::int AS closed_late,
      count(*) FILTER (WHERE ${inPeriod('resolved_day')})::int AS closed,
      count(*) FILTER (WHERE ${inPeriod('resolved_day')} AND outcome IN ('upheld', 'partially_upheld'))::int AS upheld,
      coalesce(sum(redress_amount) FILTER (WHERE ${inPeriod('resolved_day')}), 0)::float8 AS redress,
      count(*) FILTER (WHERE ${inPeriod('received_day')} AND resolved_day IS NULL)::int AS in_progress,
      count(*) FILTER (WHERE ${inPeriod('resolved_day')} AND redress_amount > 0)::int AS relief,
      count(*) FILTER (WHERE ${inPeriod('resolved_day')} AND calendar_days <= 15)::int AS timely
    FROM ${reportCaseFacts}
    WHERE organisation_id = ${org} AND kind = 'complaint' AND received_day <= ${query.to}::date
      AND (resolved_day IS NULL OR resolved_day >= ${query.from}::date)
    GROUP BY 1, 2 ORDER BY 1, 2`));
  const lines: ReturnRow[] = [];
  const cfpb = new Map<string, CfpbRow>();
  for (const r of rows) {
    const n = (k: string) => Number(r[k] ?? 0);
    const line: ReturnRow = {
      productGroup: String(r.product_group), mainCause: String(r.main_cause), outstandingAtStart: n('outstanding'), received: n('received'),
      closedWithin3BusinessDays: n('closed_3bd'), closedAfter3DaysWithin8Weeks: n('closed_8w'), closedAfter8Weeks: n('closed_late'),
      closed: n('closed'), upheld: n('upheld'), redressPaid: Math.round(n('redress') * 100) / 100,
    };
    if (line.outstandingAtStart + line.received + line.closed > 0) lines.push(line);
    const key = `${line.productGroup}|${line.mainCause}`;
    if (n('received') + n('closed') > 0) {
      cfpb.set(key, {
        product: line.productGroup, issue: line.mainCause, received: n('received'), closed: n('closed'),
        closedWithMonetaryRelief: n('relief'), closedWithExplanation: n('closed') - n('relief'), inProgress: n('in_progress'), timely: n('timely'),
      });
    }
  }
  const sum = (k: keyof ReturnRow) => lines.reduce((s, l) => s + (l[k] as number), 0);
  const totals: ReturnRow = {
    productGroup: 'Total', mainCause: '', outstandingAtStart: sum('outstandingAtStart'), received: sum('received'),
    closedWithin3BusinessDays: sum('closedWithin3BusinessDays'), closedAfter3DaysWithin8Weeks: sum('closedAfter3DaysWithin8Weeks'),
    closedAfter8Weeks: sum('closedAfter8Weeks'), closed: sum('closed'), upheld: sum('upheld'), redressPaid: Math.round(sum('redressPaid') * 100) / 100,
  };
  return { period: { from: query.from, to: query.to }, rows: lines, totals, cfpb: [...cfpb.values()] };
}

export const returnColumns: { key: keyof ReturnRow; header: string }[] = [
  { key: 'productGroup', header: 'Product group' },
  { key: 'mainCause', header: 'Main cause' },
  { key: 'outstandingAtStart', header: 'Outstanding at start of period' },
  { key: 'received', header: 'Received' },
  { key: 'closedWithin3BusinessDays', header: 'Closed within 3 business days' },
  { key: 'closedAfter3DaysWithin8Weeks', header: 'Closed after 3 business days, within 8 weeks' },
  { key: 'closedAfter8Weeks', header: 'Closed after 8 weeks' },
  { key: 'closed', header: 'Closed (total)' },
  { key: 'upheld', header: 'Upheld (incl. partly upheld)' },
  { key: 'redressPaid', header: 'Redress paid (GBP)' },
];

export function complaintsReturnCsv(result: Awaited<ReturnType<typeof complaintsReturn>>): string {
  const body = [...result.rows, result.totals].map((r) => returnColumns.map((c) => (c.key === 'redressPaid' ? r.redressPaid.toFixed(2) : r[c.key])));
  return stringify([returnColumns.map((c) => c.header), ...body]);
}
