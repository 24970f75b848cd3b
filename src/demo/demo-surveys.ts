import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { surveyResponses, surveys, surveyVersions, units } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { surveySettingsSchema, surveyTemplates } from '../surveys/survey-rules.js';
import { analyseAnswers } from '../surveys/text-analysis.js';
import { createRandom } from './random.js';

const DAY = 86_400_000;
/** What people write, by how cared for they felt: real sentences, so the themes and sentiment are real too. */
const comments = {
  low: [
    'Nobody called me back and I had to chase every week. Terrible service.',
    'The fees were never explained and the complaint took far too long.',
    'I was passed between departments and had to repeat my story each time.',
    'The letter was confusing and the phone queue was awful.',
    'My card replacement took three weeks and nobody apologised.',
    'The adviser did not listen and the decision felt unfair.',
  ],
  middle: [
    'The outcome was fine but the process was slow.',
    'The staff were polite, though the online form kept timing out.',
    'It was resolved in the end, but the updates were patchy.',
    'Reasonable service, the waiting time on the phone could be shorter.',
  ],
  high: [
    'The adviser was very helpful and kind, great service!',
    'Quick response and a clear explanation of the decision. Thank you.',
    'Excellent support from the complaints team, they kept me informed.',
    'The case handler was friendly and sorted everything quickly.',
    'Brilliant broker support, the underwriter called me back the same day.',
  ],
};
const analysed = new Map<string, ReturnType<typeof analyseAnswers>>();

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)));

/**
 * 18 months of answers from customers and advisers, with a real care → propensity relationship
 * (propensity follows care, with noise) and a few teams that differ, for the results dashboard.
 */
export async function seedDemoSurveys(tx: Db, organisationId: string, now: Date): Promise<number> {
  const rand = createRandom(7);
  const teams = await tx.select().from(units).where(inOrg(units, organisationId, eq(units.kind, 'team'))).orderBy(units.depth, units.name);
  const weak = new Set(teams.filter((t) => t.name.startsWith('Northern Ireland')).map((t) => t.id));
  const strong = new Set(teams.filter((t) => t.name.startsWith('Scotland')).map((t) => t.id));
  const defs = [
    { name: 'After your complaint', audience: 'customers' as const, touchpoint: 'case_resolution', questions: surveyTemplates.customer_care, count: 2400, base: 6.2 },
    { name: 'Adviser relationship survey', audience: 'advisers' as const, touchpoint: 'advice_meeting', questions: surveyTemplates.adviser, count: 600, base: 5.8 },
  ];
  let total = 0;
  for (const d of defs) {
    const id = randomUUID();
    await tx.insert(surveys).values({
      id, organisationId, name: d.name, audience: d.audience, touchpoint: d.touchpoint, status: 'live', currentVersion: 1,
      settings: surveySettingsSchema.parse({ triggerOnResolution: d.audience === 'customers' }), createdAt: new Date(now.getTime() - 550 * DAY), updatedAt: now,
    });
    await tx.insert(surveyVersions).values({ id: randomUUID(), organisationId, surveyId: id, version: 1, questions: d.questions, createdAt: new Date(now.getTime() - 550 * DAY) });
    const rows: (typeof surveyResponses.$inferInsert)[] = [];
    for (let i = 0; i < d.count; i++) {
      const team = rand.pick(teams);
      const shift = weak.has(team.id) ? -1.6 : strong.has(team.id) ? 0.9 : 0;
      const care = clamp(rand.normal(d.base + shift, 2.1), 0, 10);
      // Propensity to do business follows perceived care (the relationship the seed research found).
      const propensity = clamp(0.75 * care + 1.6 + rand.normal(0, 1.4), 0, 10);
      const nps = clamp(0.6 * care + 0.3 * propensity + 1 + rand.normal(0, 1.3), 0, 10);
      const answers: Record<string, unknown> = { care, propensity, nps };
      // About a third write something, unhappy people a little more often.
      let text: ReturnType<typeof analyseAnswers> = analyseAnswers({});
      if (rand.next() < (care <= 4 ? 0.5 : 0.3)) {
        const why = rand.pick(care <= 4 ? comments.low : care <= 7 ? comments.middle : comments.high);
        answers.why = why;
        if (!analysed.has(why)) analysed.set(why, analyseAnswers({ why }));
        text = analysed.get(why)!;
      }
      if (d.audience === 'customers') {
        answers.csat = clamp(1 + care / 2.5 + rand.normal(0, 0.7), 1, 5);
        answers.ces = clamp(2 + care / 2 + rand.normal(0, 1), 1, 7);
      } else {
        answers.support = care >= 8 ? 'excellent' : care >= 6 ? 'good' : care >= 4 ? 'fair' : 'poor';
      }
      rows.push({
        id: randomUUID(), organisationId, surveyId: id, version: 1, answers, care, propensity, nps,
        csat: (answers.csat as number | undefined) ?? null, ces: (answers.ces as number | undefined) ?? null,
        unitId: team.id, touchpoint: d.touchpoint, ...text, createdAt: new Date(now.getTime() - rand.next() * 548 * DAY),
      });
    }
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(surveyResponses).values(rows.slice(i, i + 1000));
    total += rows.length;
  }
  return total;
}
