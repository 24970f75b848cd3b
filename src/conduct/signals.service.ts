import { and, avg, count, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { seesWholeOrganisation } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { cases, surveyResponses, units } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { findUnitRow } from '../org/unit.service.js';
import { AppError } from '../server/errors.js';
import { requireInScope } from './conduct-access.js';
import { effectiveScore } from './conduct-rules.js';
import { getConductSettings } from './conduct-settings.js';
import { findCycle } from './cycle.service.js';
import { loadStatusCells } from './status-score.service.js';

const YEAR = 365 * 86_400_000;

/** Upheld in the regulator's sense: fully or partly (FCA complaints return counts both). */
const upheldOutcomes = sql`('upheld', 'partially_upheld')`;

/**
 * Beside each cell: the complaints of the categories mapped to its practice in the unit's subtree
 * over the twelve months before the cycle is due, their upheld rate, the unit's mean care score
 * from surveys, and a flag when a practice the unit rates strong has many, mostly upheld complaints.
 */
export async function cycleSignals(ctx: AppContext, actor: Actor, cycleId: string, unitId?: string) {
  const cycle = await findCycle(ctx.db, actor.organisationId, cycleId);
  const settings = await getConductSettings(ctx.db, actor.organisationId);
  let scopePath = '/';
  if (unitId) {
    const unit = await findUnitRow(ctx.db, actor.organisationId, unitId);
    if (!unit) throw new AppError('unprocessable', 'The unit does not exist', [{ path: 'unitId', message: 'unknown unit' }]);
    requireInScope(actor, unit, 'unit');
    scopePath = unit.path;
  } else if (!seesWholeOrganisation(actor)) {
    scopePath = actor.unitPath;
  }
  const to = new Date(Math.min(cycle.dueAt.getTime(), ctx.clock.now().getTime()));
  const from = new Date(to.getTime() - YEAR);
  const cells = (await loadStatusCells(ctx.db, actor.organisationId, cycleId)).filter((c) => c.unitPath.startsWith(scopePath) && c.state !== 'not_applicable');
  const complaintRows = await ctx.db.select({
    unitPath: units.path, category: cases.category, n: count(), upheld: sql<number>`count(*) FILTER (WHERE ${cases.outcome} IN ${upheldOutcomes})::int`,
    decided: sql<number>`count(*) FILTER (WHERE ${cases.outcome} IS NOT NULL)::int`,
  }).from(cases).innerJoin(units, eq(units.id, cases.unitId))
    .where(inOrg(cases, actor.organisationId, eq(cases.kind, 'complaint'), isNotNull(cases.category), gte(cases.receivedAt, from), lte(cases.receivedAt, to)))
    .groupBy(units.path, cases.category);
  const careRows = await ctx.db.select({ unitPath: units.path, care: avg(surveyResponses.care), n: count() }).from(surveyResponses).innerJoin(units, eq(units.id, surveyResponses.unitId))
    .where(and(inOrg(surveyResponses, actor.organisationId, isNotNull(surveyResponses.care), gte(surveyResponses.createdAt, from), lte(surveyResponses.createdAt, to))))
    .groupBy(units.path);
  const categoriesOf = (code: string) => Object.entries(settings.categoryPractices).filter(([, codes]) => codes.includes(code)).map(([category]) => category);
  const flag = settings.complaintFlag;
  const items = cells.map((c) => {
    const categories = categoriesOf(c.practiceCode);
    const related = complaintRows.filter((r) => r.unitPath.startsWith(c.unitPath) && r.category !== null && categories.includes(r.category));
    const complaints = related.reduce((s, r) => s + Number(r.n), 0);
    const upheld = related.reduce((s, r) => s + r.upheld, 0);
    const decided = related.reduce((s, r) => s + r.decided, 0);
    const care = careRows.filter((r) => r.unitPath.startsWith(c.unitPath));
    const careN = care.reduce((s, r) => s + Number(r.n), 0);
    const careScore = careN === 0 ? null : Math.round((care.reduce((s, r) => s + Number(r.care) * Number(r.n), 0) / careN) * 10) / 10;
    const upheldRate = decided === 0 ? null : Math.round((upheld / decided) * 1000) / 1000;
    const strong = c.selfScore !== null && c.selfScore >= flag.strongScore;
    const flagged = strong && complaints >= flag.minComplaints && upheldRate !== null && upheldRate >= flag.upheldRate;
    return {
      assessmentId: c.assessmentId, unitId: c.unitId, unitName: c.unitName, practiceId: c.practiceId, practiceTitle: c.practiceTitle, practiceCode: c.practiceCode,
      selfScore: c.selfScore, score: effectiveScore(c), categories, complaints, upheld, upheldRate, careScore, careResponses: careN,
      flag: flagged ? 'strong_self_assessment_high_complaints' as const : null,
    };
  });
  items.sort((a, b) => Number(b.flag !== null) - Number(a.flag !== null) || b.complaints - a.complaints || a.unitName.localeCompare(b.unitName));
  return { items, window: { from: from.toISOString(), to: to.toISOString() }, mapping: settings.categoryPractices, flagRule: flag };
}
