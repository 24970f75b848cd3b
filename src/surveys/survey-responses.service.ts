import { and, count, desc, eq, gt, ilike, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { surveyResponses, units } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { containsPattern, inUnitSubtree, unitScopeCondition } from '../org/unit.service.js';
import { decodeCursor, toPage } from '../server/pagination.js';
import type { SurveySettings } from './survey-rules.js';
import { loadSurvey, questionsOf } from './survey.service.js';
import { NEUTRAL_BAND, sentimentLabel, type SentimentLabel, type TextAnalysis } from './text-analysis.js';

const readers = ['admin', 'compliance', 'executive', 'lead'] as const;
type ResponseRow = typeof surveyResponses.$inferSelect;
const cursorShape = z.tuple([z.string().datetime(), z.string().uuid()]);

/** Newest first, keyset on (created_at, id) so pages never skip or repeat. */
function afterCursor(cursor: string | undefined): SQL | undefined {
  const after = decodeCursor(cursor, cursorShape);
  if (!after) return undefined;
  const at = new Date(after[0]);
  return or(lt(surveyResponses.createdAt, at), and(eq(surveyResponses.createdAt, at), lt(surveyResponses.id, after[1])));
}

const keyOf = (r: ResponseRow) => [r.createdAt.toISOString(), r.id];

function toResponseView(r: ResponseRow) {
  return {
    id: r.id, version: r.version, answers: r.answers as Record<string, unknown>, care: r.care, propensity: r.propensity, nps: r.nps, csat: r.csat, ces: r.ces,
    unitId: r.unitId, product: r.product, channel: r.channel, touchpoint: r.touchpoint, caseId: r.caseId, followUpCaseId: r.followUpCaseId,
    sentiment: r.sentiment, themes: r.themes ?? [], createdAt: r.createdAt.toISOString(),
  };
}

export async function listResponses(ctx: AppContext, actor: Actor, surveyId: string, page: { limit: number; cursor?: string }) {
  requireRole(actor, ...readers);
  await loadSurvey(ctx.db, actor.organisationId, surveyId);
  const rows = await ctx.db.select().from(surveyResponses)
    .where(inOrg(surveyResponses, actor.organisationId, eq(surveyResponses.surveyId, surveyId), unitScopeCondition(actor, surveyResponses.unitId), afterCursor(page.cursor)))
    .orderBy(desc(surveyResponses.createdAt), desc(surveyResponses.id)).limit(page.limit + 1);
  return toPage(rows, page.limit, toResponseView, keyOf);
}

/** Every response in scope as CSV: segment, scores, sentiment, then each current question's answer. */
export async function responsesCsv(ctx: AppContext, actor: Actor, surveyId: string): Promise<string> {
  requireRole(actor, ...readers);
  const survey = await loadSurvey(ctx.db, actor.organisationId, surveyId);
  const questions = await questionsOf(ctx.db, survey);
  const unitNames = new Map((await ctx.db.select({ id: units.id, name: units.name }).from(units).where(inOrg(units, actor.organisationId))).map((u) => [u.id, u.name]));
  const { stringify } = await import('csv-stringify/sync');
  const header = ['response_id', 'created_at', 'version', 'unit', 'product', 'channel', 'touchpoint', 'care', 'propensity', 'nps', 'csat', 'ces', 'sentiment', 'follow_up_case_id', ...questions.map((q) => `q_${q.id}`)];
  const lines: string[] = [stringify([header])];
  let cursor: string | undefined;
  // In batches, so a large survey never holds every row's answers at once.
  do {
    const page = await ctx.db.select().from(surveyResponses)
      .where(inOrg(surveyResponses, actor.organisationId, eq(surveyResponses.surveyId, surveyId), unitScopeCondition(actor, surveyResponses.unitId), afterCursor(cursor)))
      .orderBy(desc(surveyResponses.createdAt), desc(surveyResponses.id)).limit(5001);
    const { items, nextCursor } = toPage(page, 5000, (r) => r, keyOf);
    lines.push(stringify(items.map((r) => {
      const answers = r.answers as Record<string, unknown>;
      return [
        r.id, r.createdAt.toISOString(), r.version, r.unitId ? (unitNames.get(r.unitId) ?? r.unitId) : '', r.product ?? '', r.channel ?? '', r.touchpoint,
        r.care, r.propensity, r.nps, r.csat, r.ces, r.sentiment, r.followUpCaseId ?? '',
        ...questions.map((q) => {
          const v = answers[q.id];
          return Array.isArray(v) ? v.join('; ') : (v ?? '');
        }),
      ].map((v) => (v === null || v === undefined ? '' : v));
    }), { cast: { number: (n) => String(n) } }));
    cursor = nextCursor ?? undefined;
  } while (cursor);
  return lines.join('');
}

export interface VerbatimFilter {
  q?: string;
  sentiment?: SentimentLabel;
  unitId?: string;
  cursor?: string;
  limit: number;
  minN?: number;
}

const sentimentCondition: Record<SentimentLabel, SQL> = {
  negative: lt(surveyResponses.sentiment, -NEUTRAL_BAND),
  neutral: sql`${surveyResponses.sentiment} BETWEEN ${-NEUTRAL_BAND} AND ${NEUTRAL_BAND}`,
  positive: gt(surveyResponses.sentiment, NEUTRAL_BAND),
};

/**
 * Search of what respondents wrote, newest first. Only responses in the caller's unit scope; and
 * when the segment searched (survey, unit) has fewer responses than the anonymity threshold,
 * nothing is shown, since a handful of comments can identify the people who wrote them.
 */
export async function searchVerbatims(ctx: AppContext, actor: Actor, surveyId: string, filter: VerbatimFilter) {
  requireRole(actor, ...readers);
  const survey = await loadSurvey(ctx.db, actor.organisationId, surveyId);
  const threshold = filter.minN ?? (survey.settings as SurveySettings).minResponses;
  const segment = [
    eq(surveyResponses.surveyId, surveyId), unitScopeCondition(actor, surveyResponses.unitId),
    filter.unitId ? inUnitSubtree(surveyResponses.unitId, actor.organisationId, filter.unitId) : undefined,
  ];
  const [{ n }] = await ctx.db.select({ n: count() }).from(surveyResponses).where(inOrg(surveyResponses, actor.organisationId, ...segment));
  if (n < threshold) return { items: [], nextCursor: null, n, hidden: true, threshold };
  const rows = await ctx.db.select({ r: surveyResponses, unitName: units.name }).from(surveyResponses)
    .leftJoin(units, and(eq(units.organisationId, surveyResponses.organisationId), eq(units.id, surveyResponses.unitId)))
    .where(inOrg(surveyResponses, actor.organisationId, ...segment, isNotNull(surveyResponses.verbatim),
      filter.q ? ilike(surveyResponses.verbatim, containsPattern(filter.q)) : undefined,
      filter.sentiment ? sentimentCondition[filter.sentiment] : undefined, afterCursor(filter.cursor)))
    .orderBy(desc(surveyResponses.createdAt), desc(surveyResponses.id)).limit(filter.limit + 1);
  const page = toPage(rows, filter.limit, ({ r, unitName }) => {
    const analysis = (r.textAnalysis ?? {}) as Record<string, TextAnalysis>;
    return {
      id: r.id, createdAt: r.createdAt.toISOString(), text: r.verbatim!, sentiment: r.sentiment ?? 0, sentimentLabel: sentimentLabel(r.sentiment ?? 0),
      keyPhrases: [...new Set(Object.values(analysis).flatMap((a) => a.keyPhrases))], care: r.care, nps: r.nps, unitId: r.unitId, unitName,
    };
  }, ({ r }) => keyOf(r));
  return { ...page, n, hidden: false, threshold };
}
