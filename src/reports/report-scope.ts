import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole, seesWholeOrganisation } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { getUnitRow, inUnitSubtree } from '../org/unit.service.js';
import { AppError } from '../server/errors.js';

/** Reports are for the people who answer for a whole organisation or a part of it. */
export const reportRoles = ['admin', 'executive', 'compliance', 'lead'] as const;

export const periodQuery = z.object({
  from: z.string().date().optional(),
  to: z.string().date().optional(),
  unitId: z.string().uuid().optional(),
});
export type PeriodQuery = z.infer<typeof periodQuery>;

export interface ReportScope {
  organisationId: string;
  /** The unit whose subtree is reported; null for the whole organisation. */
  unitId: string | null;
  unitName: string | null;
  from: string;
  to: string;
  /** The period of the same length just before, for the trend. */
  previousFrom: string;
  previousTo: string;
  days: number;
}

const MAX_DAYS = 3 * 366;

/**
 * Who sees what: executives, compliance and admins the whole organisation (or any unit of it);
 * leads their own subtree (or a unit inside it; anything else is a 404 like every out-of-scope
 * record); agents no reports. The period defaults to the last 90 days up to today.
 */
export async function resolveScope(ctx: AppContext, actor: Actor, query: PeriodQuery): Promise<ReportScope> {
  requireRole(actor, ...reportRoles);
  const today = DateTime.fromJSDate(ctx.clock.now(), { zone: 'utc' }).startOf('day');
  const to = query.to ? DateTime.fromISO(query.to, { zone: 'utc' }) : today;
  const from = query.from ? DateTime.fromISO(query.from, { zone: 'utc' }) : to.minus({ days: 89 });
  if (!from.isValid || !to.isValid) throw new AppError('validation_failed', 'from and to are dates (YYYY-MM-DD)');
  if (from > to) throw new AppError('unprocessable', 'The period starts after it ends', [{ path: 'from', message: 'must not be after to' }]);
  const days = Math.round(to.diff(from, 'days').days) + 1;
  if (days > MAX_DAYS) throw new AppError('unprocessable', 'A report covers at most three years', [{ path: 'from', message: 'period too long' }]);
  let unitId: string | null = null;
  let unitName: string | null = null;
  if (query.unitId) {
    const unit = await getUnitRow(ctx.db, actor, query.unitId);
    unitId = unit.id;
    unitName = unit.name;
  } else if (!seesWholeOrganisation(actor)) {
    const unit = await getUnitRow(ctx.db, actor, actor.unitId);
    unitId = unit.id;
    unitName = unit.name;
  }
  return {
    organisationId: actor.organisationId, unitId, unitName, days,
    from: from.toISODate()!, to: to.toISODate()!,
    previousFrom: from.minus({ days }).toISODate()!, previousTo: from.minus({ days: 1 }).toISODate()!,
  };
}

/** The unit filter of a report query: the scope's subtree, or TRUE for the whole organisation. */
export function inScope(scope: Pick<ReportScope, 'organisationId' | 'unitId'>, column: PgColumn): SQL {
  return scope.unitId ? inUnitSubtree(column, scope.organisationId, scope.unitId) : sql`TRUE`;
}

/** The case list behind a number: the staff app's list page with the same filters. */
export function casesLink(filters: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams({ kind: 'complaint' });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return `/cases?${params.toString()}`;
}
