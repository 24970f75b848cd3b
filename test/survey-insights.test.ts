import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { surveyResponses } from '../src/db/schema/index.js';
import { tasks } from '../src/jobs/maintenance.js';
import { deliverOutbox } from '../src/notify/outbox.service.js';
import { meanWithConfidence } from '../src/surveys/statistics.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { startSmtpServer } from './helpers/smtp.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * What respondents and analysts get beyond a single answer: drafts saved as they go, the survey
 * in their language, the comments analysed and searchable (within scope and the anonymity
 * threshold), trends with intervals, the care × propensity grid, the closed loop's recovery rate,
 * and every response as CSV. The dataset is small and hand-made so every number can be checked.
 */

let t: TestApp;
let tree: OrgTree;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let surveyId: string;
const tokens: Record<string, string> = {};

const fr = (en: string, frText: string) => ({ en, fr: frText });
const questions = [
  { id: 'care', kind: 'care', required: true, text: fr('How far do you feel {{company}} cares about you?', 'Dans quelle mesure {{company}} se soucie-t-elle de vous ?') },
  { id: 'propensity', kind: 'propensity', required: true, text: fr('How likely are you to do more business with us?', 'Quelle est la probabilité que vous fassiez davantage affaire avec nous ?') },
  { id: 'nps', kind: 'nps', required: true, text: fr('How likely are you to recommend us?', 'Quelle est la probabilité que vous nous recommandiez ?') },
  { id: 'why', kind: 'text', required: false, text: fr('What is the main reason for your scores?', 'Quelle est la raison principale de vos notes ?') },
];

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  tree = await buildOrgTree(t);
  const created = await t.request({
    method: 'POST', url: '/api/v1/surveys', token: tree.users.compliance.token,
    payload: { name: 'Insights', audience: 'customers', touchpoint: 'case_resolution', questions, settings: { throttleDays: 0, reminderDays: 0, careThreshold: 4, followUpDetractors: false, minResponses: 3 } },
  });
  expect(created.statusCode, created.body).toBe(201);
  surveyId = created.json().id;
  await t.request({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, token: tree.users.compliance.token, payload: { status: 'live' } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

/** Invites someone and returns the token from the newest e-mail that reached the SMTP server. */
async function invite(email: string, unitId: string) {
  const before = smtp.mails.length;
  const res = await t.request({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, token: tree.users.compliance.token, payload: { recipients: [{ email, unitId }] } });
  expect(res.json().invited, res.body).toBe(1);
  await deliverOutbox(t.ctx);
  const mail = smtp.mails.slice(before).find((m) => m.to.includes(email));
  return mail!.raw.match(/\/s\/(tdv_[A-Za-z0-9_-]+)/)![1];
}

async function respond(key: string, unitId: string, answers: Record<string, unknown>) {
  const token = await invite(`${key}@customer.example`, unitId);
  tokens[key] = token;
  const res = await t.request({ method: 'POST', url: `/s/api/${token}`, payload: { answers } });
  expect(res.statusCode, res.body).toBe(201);
}

const analytics = async (token = tree.users.compliance.token) => {
  const res = await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/analytics?minN=1`, token });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('the response page', () => {
  it('shows the survey in the language asked for, else the browser\'s, else English', async () => {
    const token = await invite('lang@customer.example', tree.units.teamA);
    const asked = (await t.request({ method: 'GET', url: `/s/api/${token}?lang=fr` })).json();
    expect(asked).toMatchObject({ lang: 'fr', languages: ['en', 'fr'] });
    expect(asked.questions[0].text).toMatch(/^Dans quelle mesure .* se soucie-t-elle de vous/);
    const browser = (await t.request({ method: 'GET', url: `/s/api/${token}`, headers: { 'accept-language': 'de-DE,fr-FR;q=0.8' } })).json();
    expect(browser.lang).toBe('fr');
    const neither = (await t.request({ method: 'GET', url: `/s/api/${token}?lang=de`, headers: { 'accept-language': 'de' } })).json();
    expect(neither.lang).toBe('en');
    expect(neither.questions[3].text).toBe('What is the main reason for your scores?');
  });

  it('saves answers as the respondent goes; a draft is restored, checked, never counted, and gone once sent', async () => {
    const token = await invite('draft@customer.example', tree.units.teamA);
    const before = (await analytics()).n;
    const saved = await t.request({ method: 'PUT', url: `/s/api/${token}/draft`, payload: { answers: { care: 6, why: 'Half way' } } });
    expect(saved.statusCode, saved.body).toBe(204);
    expect((await t.request({ method: 'GET', url: `/s/api/${token}` })).json().draft).toEqual({ care: 6, why: 'Half way' });
    const bad = await t.request({ method: 'PUT', url: `/s/api/${token}/draft`, payload: { answers: { care: 11 } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details).toEqual([{ path: 'answers.care', message: 'a whole number from 0 to 10' }]);
    expect((await t.request({ method: 'GET', url: `/s/api/${token}` })).json().draft).toEqual({ care: 6, why: 'Half way' });
    expect((await analytics()).n).toBe(before); // a draft is not a response
    const listed = (await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses`, token: tree.users.compliance.token })).json();
    expect(listed.items).toHaveLength(before);

    const sent = await t.request({ method: 'POST', url: `/s/api/${token}`, payload: { answers: { care: 6, propensity: 6, nps: 7 } } });
    expect(sent.statusCode, sent.body).toBe(201);
    expect((await analytics()).n).toBe(before + 1);
    const after = (await t.request({ method: 'GET', url: `/s/api/${token}` })).json();
    expect(after).toMatchObject({ answered: true, draft: null });
    expect((await t.request({ method: 'PUT', url: `/s/api/${token}/draft`, payload: { answers: { care: 1 } } })).statusCode).toBe(409);
    expect((await t.request({ method: 'POST', url: `/s/api/${token}`, payload: { answers: { care: 1, propensity: 1, nps: 1 } } })).statusCode).toBe(409);
  });

  it('works without JavaScript: a plain HTML form, errors on the page, a thanks page, single use', async () => {
    const token = await invite('nojs@customer.example', tree.units.teamA);
    const page = await t.request({ method: 'GET', url: `/s/${token}?lang=fr`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<noscript>');
    expect(page.body).toContain(`<form method="post" action="/s/${token}?lang=fr">`);
    expect(page.body).toContain('<input type="radio" name="answers.care" value="10">');
    expect(page.body).toContain('Dans quelle mesure');
    const post = (body: string) => t.request({ method: 'POST', url: `/s/${token}?lang=fr`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    const missing = await post('answers.care=3&answers.why=Trop+lent');
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Merci de répondre à cette question'); // on the propensity question
    expect(missing.body).toContain('<input type="radio" name="answers.care" value="3" checked>'); // what was given stays
    expect(missing.body).toContain('Trop lent');
    const sent = await post('answers.care=6&answers.propensity=4&answers.nps=5&answers.why=Trop+lent');
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.body).toContain('Merci — vos réponses nous aident');
    const items = (await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses?limit=500`, token: tree.users.compliance.token })).json().items;
    expect(items.map((x: { answers: unknown }) => x.answers)).toContainEqual({ care: 6, propensity: 4, nps: 5, why: 'Trop lent' });
    expect((await post('answers.care=3&answers.propensity=4&answers.nps=5')).statusCode).toBe(409);
    expect((await t.request({ method: 'GET', url: '/s/tdv_not-a-real-link' })).statusCode).toBe(404);
  });

  it('an anonymous link keeps no draft on the server', async () => {
    const link = (await t.request({ method: 'POST', url: `/api/v1/surveys/${surveyId}/public-link`, token: tree.users.compliance.token })).json();
    const token = link.url.split('/s/')[1];
    expect((await t.request({ method: 'GET', url: `/s/api/${token}` })).json()).toMatchObject({ canSaveDraft: false, draft: null });
    expect((await t.request({ method: 'PUT', url: `/s/api/${token}/draft`, payload: { answers: { care: 5 } } })).statusCode).toBe(409);
    await t.request({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}/public-link`, token: tree.users.compliance.token });
  });
});

describe('insights from a small hand-made dataset', () => {
  beforeAll(async () => {
    // The draft test's answer is in March; this dataset fills April and May.
    t.clock.set('2026-04-06T10:00:00Z');
    await respond('a1', tree.units.teamA, { care: 2, propensity: 3, nps: 2, why: 'Nobody called me back. Terrible service.' });
    await respond('b', tree.units.teamA, { care: 8, propensity: 8, nps: 9, why: 'Great service, the adviser was very helpful.' });
    await respond('c', tree.units.teamB, { care: 5, propensity: 4, nps: 6 });
    await respond('d1', tree.units.teamB, { care: 3, propensity: 2, nps: 3, why: 'The fees were outrageous.' });
    t.clock.set('2026-05-11T10:00:00Z');
    // a and d answer again a month later, after their follow-up calls.
    const again = async (key: string, email: string, unitId: string, answers: Record<string, unknown>) => {
      tokens[key] = await invite(email, unitId);
      expect((await t.request({ method: 'POST', url: `/s/api/${tokens[key]}`, payload: { answers } })).statusCode).toBe(201);
    };
    await again('a2', 'a1@customer.example', tree.units.teamA, { care: 7, propensity: 7, nps: 8 });
    await again('d2', 'd1@customer.example', tree.units.teamB, { care: 2, propensity: 2, nps: 1 });
    await respond('e', tree.units.teamA, { care: 10, propensity: 9, nps: 10 });
  });

  it('each comment is analysed once, at submission: sentiment and themes stored with the response', async () => {
    const items = (await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses?limit=500`, token: tree.users.compliance.token })).json().items;
    const a = items.find((x: { answers: { why?: string } }) => x.answers.why?.startsWith('Nobody called'));
    expect(a.sentiment).toBeLessThan(-0.05);
    expect(a.themes).toContain('service');
    const b = items.find((x: { answers: { why?: string } }) => x.answers.why?.startsWith('Great service'));
    expect(b.sentiment).toBeGreaterThan(0.05);
  });

  it('trend by month with intervals and NPS margins; the 11×11 grid; the recovery rate', async () => {
    const a = await analytics();
    const april = a.trend.find((m: { month: string }) => m.month === '2026-04');
    const may = a.trend.find((m: { month: string }) => m.month === '2026-05');
    expect(april.n).toBe(4);
    expect(april.care.mean).toBeCloseTo(4.5, 10);
    const expected = meanWithConfidence([2, 8, 5, 3]);
    expect(april.care.lower).toBeCloseTo(expected.lower!, 8);
    expect(april.care.upper).toBeCloseTo(expected.upper!, 8);
    expect(april.propensity.mean).toBeCloseTo(4.25, 10);
    expect(april.nps).toBeCloseTo(-50, 10); // 9 | 6, 3, 2: one promoter, three detractors
    expect(april.npsMargin).toBeCloseTo(100 * 1.959963984540054 * Math.sqrt((1 - 0.25) / 4), 8);
    expect(may).toMatchObject({ n: 3, nps: 0 });
    expect(may.care.mean).toBeCloseTo(19 / 3, 10);

    const cell = (care: number, propensity: number) => a.careGrid.find((c: { care: number; propensity: number }) => c.care === care && c.propensity === propensity)?.count ?? 0;
    expect(cell(2, 3)).toBe(1);
    expect(cell(2, 2)).toBe(1);
    expect(cell(10, 9)).toBe(1);
    expect(a.careGrid.reduce((sum: number, c: { count: number }) => sum + c.count, 0)).toBe(a.careToPropensity.spearman.n);

    // Follow-ups: a (care 2, April), d (care 3, April), d (care 2, May). a and d (April) answered again;
    // a's care rose 2 → 7, d's fell 3 → 2.
    expect(a.recovery).toEqual({ followUps: 3, answeredAgain: 2, improved: 1, rate: 0.5 });
    expect((await t.request({ method: 'GET', url: '/api/v1/surveys/recovery', token: tree.users.compliance.token })).json()).toEqual(a.recovery);
    // A lead sees their own unit's: team B's one follow-up that was answered again did not improve.
    expect((await t.request({ method: 'GET', url: '/api/v1/surveys/recovery', token: tree.users.leadB.token })).json()).toEqual({ followUps: 2, answeredAgain: 1, improved: 0, rate: 0 });
  });

  it('themes: most frequent per month with counts and mean sentiment', async () => {
    const { themes } = await analytics();
    const service = themes.top.find((x: { theme: string }) => x.theme === 'service');
    expect(service.count).toBe(2);
    const april = themes.byMonth.find((m: { month: string }) => m.month === '2026-04');
    expect(april.themes.map((x: { theme: string }) => x.theme)).toEqual(expect.arrayContaining(['service', 'fee']));
    expect(themes.byMonth.find((m: { month: string }) => m.month === '2026-05')).toBeUndefined(); // nobody wrote in May
  });

  it('units against the whole with significance flags', async () => {
    const { units } = await analytics();
    const teamA = units.find((u: { unitId: string }) => u.unitId === tree.units.teamA);
    expect(teamA.comparison).toMatchObject({ significant: false });
    expect(typeof teamA.comparison.pValue).toBe('number');
  });

  it('verbatim search: by words and sentiment, in unit scope, paged', async () => {
    const search = (query: string, token = tree.users.compliance.token) => t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/verbatims${query}`, token });
    const service = (await search('?q=SERVICE')).json();
    expect(service.items.map((x: { text: string }) => x.text).sort()).toEqual(['Great service, the adviser was very helpful.', 'Nobody called me back. Terrible service.']);
    const negative = (await search('?sentiment=negative')).json();
    expect(negative.items.map((x: { text: string }) => x.text).sort()).toEqual(['Nobody called me back. Terrible service.', 'The fees were outrageous.']);
    expect(negative.items.every((x: { sentimentLabel: string }) => x.sentimentLabel === 'negative')).toBe(true);
    // A lead of team B sees team B's comments only.
    const leadB = (await search('', tree.users.leadB.token)).json();
    expect(leadB.items.map((x: { text: string }) => x.text)).toEqual(['The fees were outrageous.']);
    expect((await search(`?unitId=${tree.units.teamB}`)).json().items).toHaveLength(1);
    // Pages: one at a time, no repeats.
    const first = (await search('?limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await search(`?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });

  it('verbatims of a segment below the anonymity threshold are not shown', async () => {
    await t.request({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, token: tree.users.compliance.token, payload: { settings: { minResponses: 4 } } });
    const leadB = (await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/verbatims`, token: tree.users.leadB.token })).json();
    expect(leadB).toMatchObject({ items: [], hidden: true, n: 3, threshold: 4 });
    await t.request({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, token: tree.users.compliance.token, payload: { settings: { minResponses: 3 } } });
  });

  it('responses page with a real cursor, and export as CSV in scope', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses?limit=3${cursor ? `&cursor=${cursor}` : ''}`, token: tree.users.compliance.token })).json();
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength((await analytics()).n);

    const csv = await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses.csv`, token: tree.users.compliance.token });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('response_id,created_at,version,unit,product,channel,touchpoint,care,propensity,nps,csat,ces,sentiment,follow_up_case_id,q_care,q_propensity,q_nps,q_why');
    expect(lines).toHaveLength(seen.length + 1);
    expect(csv.body).toContain('Nobody called me back. Terrible service.');
    const leadB = await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses.csv`, token: tree.users.leadB.token });
    expect(leadB.body.trim().split('\n').slice(1).every((line) => line.includes('South Complaints'))).toBe(true);
    expect(leadB.body.trim().split('\n')).toHaveLength(4);
  });

  it('responses saved before comments were analysed are analysed by the maintenance sweep', async () => {
    // As a row from before the migration looks: comments in the answers, no analysis.
    await t.ctx.db.update(surveyResponses).set({ verbatim: null, sentiment: null, themes: null, textAnalysis: null }).where(eq(surveyResponses.surveyId, surveyId));
    expect((await analytics()).themes.top).toEqual([]);
    await tasks.slow(t.ctx);
    const { themes } = await analytics();
    expect(themes.top.find((x: { theme: string }) => x.theme === 'service').count).toBe(2);
    const negative = (await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/verbatims?sentiment=negative`, token: tree.users.compliance.token })).json();
    expect(negative.items).toHaveLength(2);
  });
});
