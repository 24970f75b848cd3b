import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { demoConductAssessorTeam, demoConductWeakPocket } from '../src/demo/demo-conduct.js';

/**
 * Conduct improvement through the UI, with the demo data: the dashboard's first screen shows the
 * weak pocket and the capped score; then one cell walks a cycle — a team lead assesses it with an
 * uploaded evidence file, compliance returns it with a comment, the lead re-assesses, compliance
 * approves the low score and a required action appears, compliance delegates it to an agent, the
 * agent marks it done with evidence, compliance verifies. axe checks the dashboard and the form.
 */

const PASSWORD = 'trustdesk-demo-2026';
const COMPLIANCE = 'compliance@harbourvale.example';
const EXECUTIVE = 'ceo@harbourvale.example';
/** Lead of "England & Wales Complaints"; Tom Okafor is an agent in the same team. */
const LEAD = 'priya.sharma@harbourvale.example';
const AGENT = 'tom.okafor@harbourvale.example';
const AGENT_NAME = 'Tom Okafor';
const WEAK_REGION = demoConductWeakPocket.region;
const WEAK_PRACTICE = demoConductWeakPocket.practice;

async function expectNoSeriousViolations(page: Page, what: string) {
  // Not over a link or button that was just clicked: a hover shade is not what everyone sees.
  await page.mouse.move(0, 0);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `[${v.impact}] ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `serious or critical axe violations on ${what}`,
  ).toEqual([]);
}

async function signIn(browser: Browser, email: string): Promise<Page> {
  // A context of its own per person: each works at their own computer.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Sign-in hashes the password (Argon2id): allow for a busy machine.
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible({ timeout: 30_000 });
  return page;
}

async function apiLogin(request: APIRequestContext, email: string) {
  const response = await request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as { user: { id: string; unitId: string; unitName: string } };
}

interface CycleRow {
  id: string;
  name: string;
  status: 'open' | 'closed';
}

/** The cycle the dashboard opens on: the newest open one, else the newest. */
async function defaultCycle(request: APIRequestContext): Promise<CycleRow> {
  const response = await request.get('/api/v1/cycles');
  expect(response.ok()).toBeTruthy();
  const { items } = (await response.json()) as { items: CycleRow[] };
  const cycle = items.find((item) => item.status === 'open') ?? items[0];
  expect(cycle, 'the demo has assessment cycles').toBeTruthy();
  return cycle!;
}

function pdf(text: string): { name: string; mimeType: string; buffer: Buffer } {
  const body = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return { name: `${text.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(body) };
}

test('the first screen of the conduct dashboard shows the weak pocket and the capped score', async ({ browser, request }) => {
  await apiLogin(request, EXECUTIVE);
  const cycle = await defaultCycle(request);
  const statusResponse = await request.get(`/api/v1/cycles/${cycle.id}/status`);
  expect(statusResponse.ok()).toBeTruthy();
  const status = (await statusResponse.json()) as {
    capped: boolean;
    capReason: string;
    score: number;
    weakestUnit: { name: string };
    redCells: { unitName: string; practiceTitle: string; critical: boolean }[];
  };
  // The demo's weak pocket (src/demo/demo-conduct.ts): a region fails complaint handling, a
  // critical practice, which caps the company score.
  expect(status.capped).toBe(true);
  const worst = status.redCells[0]!;
  expect(worst.critical).toBe(true);
  expect(worst.unitName.startsWith(WEAK_REGION)).toBe(true);
  expect(worst.practiceTitle).toBe(WEAK_PRACTICE);

  const page = await signIn(browser, EXECUTIVE);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conduct status', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Conduct status' })).toBeVisible();

  // Without scrolling: the capped score with its reason, the weakest unit, and the worst red cell.
  const score = page.getByRole('article', { name: /^Status score/ });
  await expect(score).toContainText(String(Math.round(status.score)));
  await expect(score.getByText('Score capped')).toBeInViewport();
  await expect(score.getByText(status.capReason)).toBeInViewport();
  await expect(score).toContainText(WEAK_REGION);
  await expect(score).toContainText(WEAK_PRACTICE);
  const distribution = page.getByRole('article', { name: 'Distribution' });
  await expect(distribution).toContainText(status.weakestUnit.name);
  await expect(distribution).toBeInViewport();
  const redCells = page.getByRole('table', { name: /^Red cells/ });
  const firstRow = redCells.getByRole('row').nth(1);
  await expect(firstRow).toContainText(worst.unitName);
  await expect(firstRow).toContainText(worst.practiceTitle);
  await expect(firstRow).toContainText('Critical');
  await expect(firstRow).toContainText('below threshold');
  await expect(firstRow).toBeInViewport();

  // The heat map is a real table with text values; the weak region's row says "below".
  const heatmap = page.getByRole('table', { name: 'Heat map' });
  await expect(heatmap.getByRole('row').filter({ has: page.getByRole('rowheader', { name: worst.unitName, exact: true }) })).toContainText('below');

  // Drill down from the company into the division that holds the weak region.
  const drill = page.getByRole('table', { name: /^Inside / });
  const divisionRow = drill.getByRole('row').filter({ hasText: 'Capped' }).first();
  await divisionRow.getByRole('button').click();
  await expect(page.getByRole('navigation', { name: 'Drill-down path' }).getByRole('button', { name: 'Whole company' })).toBeVisible();
  await expect(page.getByRole('table', { name: /^Red cells/ })).toContainText(worst.unitName);

  await page.getByRole('navigation', { name: 'Drill-down path' }).getByRole('button', { name: 'Whole company' }).click();
  await expect(page.getByRole('table', { name: /^Red cells/ }).getByRole('row').nth(1)).toContainText(worst.unitName);
  await expectNoSeriousViolations(page, 'the conduct dashboard');
  // Exports are plain downloads of the cycle.
  await expect(page.getByRole('link', { name: 'Board report (PDF)' })).toHaveAttribute('href', `/api/v1/cycles/${cycle.id}/export.pdf`);
  await expect(page.getByRole('link', { name: 'All cells (CSV)' })).toHaveAttribute('href', `/api/v1/cycles/${cycle.id}/export.csv`);
});

test('a cell walks the cycle: assess with evidence, return, re-assess, approve low, required action done and verified', async ({ browser, request }) => {
  // Find, through the API, a non-critical cell of the lead's team still to assess in the open cycle.
  const { user: lead } = await apiLogin(request, LEAD);
  const cyclesResponse = await request.get('/api/v1/cycles?status=open');
  expect(cyclesResponse.ok()).toBeTruthy();
  const open = ((await cyclesResponse.json()) as { items: CycleRow[] }).items.find((item) => item.status === 'open');
  expect(open, 'the demo has a cycle in progress').toBeTruthy();
  type Cell = { id: string; state: string; critical: boolean; practiceTitle: string; unitName: string };
  const cells: Cell[] = [];
  let cursor: string | null = null;
  do {
    const response = await request.get('/api/v1/assessments', { params: { cycleId: open!.id, unitId: lead.unitId, limit: 100, ...(cursor ? { cursor } : {}) } });
    expect(response.ok()).toBeTruthy();
    const page = (await response.json()) as { items: Cell[]; nextCursor: string | null };
    cells.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const cell = cells.find((item) => !item.critical && (item.state === 'not_started' || item.state === 'draft'));
  expect(lead.unitName).toBe(demoConductAssessorTeam);
  expect(cell, `a cell of ${lead.unitName} to assess`).toBeTruthy();
  const name = `${cell!.practiceTitle} in ${cell!.unitName}`;
  const stamp = Date.now();

  // 0. An agent of the team adds a link as evidence; agents cannot score.
  const agent = await signIn(browser, AGENT);
  await agent.goto(`/conduct/assessments/${cell!.id}`);
  await expect(agent.getByRole('heading', { level: 1, name: `${cell!.practiceTitle} · ${cell!.unitName}` })).toBeVisible();
  await expect(agent.getByRole('button', { name: 'Submit for review' })).toHaveCount(0);
  await agent.getByRole('tab', { name: 'Add a link' }).click();
  await agent.getByRole('textbox', { name: 'Link title' }).fill(`Complaints procedure ${stamp}`);
  await agent.getByRole('textbox', { name: 'Address (URL)' }).fill('https://intranet.example/complaints-procedure');
  await agent.getByRole('button', { name: 'Add link' }).click();
  await expect(agent.getByRole('list', { name: 'Attached evidence' })).toContainText(`Complaints procedure ${stamp}`);

  // 1. The lead assesses the cell: score, rationale, an uploaded evidence file; submits.
  const leadPage = await signIn(browser, LEAD);
  await leadPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conduct assessments', exact: true }).click();
  await expect(leadPage.getByRole('heading', { level: 1, name: 'Assessments' })).toBeVisible();
  await expect(leadPage.getByRole('table', { name: 'Cells' })).toBeVisible();
  await leadPage.goto(`/conduct/assessments/${cell!.id}`);
  await expect(leadPage.getByRole('heading', { level: 1, name: `${cell!.practiceTitle} · ${cell!.unitName}` })).toBeVisible();
  await expect(leadPage.getByRole('heading', { name: 'What good looks like' })).toBeVisible();
  await expectNoSeriousViolations(leadPage, 'the assessment form');

  // Submitting without a rationale says what is missing.
  await leadPage.getByRole('radio', { name: /^4 · / }).check();
  await leadPage.getByRole('textbox', { name: 'Rationale' }).fill('');
  await leadPage.getByRole('button', { name: 'Submit for review' }).click();
  await expect(leadPage.getByRole('textbox', { name: 'Rationale' })).toBeFocused();
  await expect(leadPage.getByRole('textbox', { name: 'Rationale' })).toHaveAccessibleDescription(/Explain the score/);

  const evidenceFile = pdf(`Complaints MI pack ${stamp}`);
  await leadPage.locator('input[type="file"]').setInputFiles(evidenceFile);
  await leadPage.getByRole('textbox', { name: 'Title' }).fill(`Complaints MI pack ${stamp}`);
  await leadPage.getByRole('button', { name: 'Upload evidence' }).click();
  const attached = leadPage.getByRole('list', { name: 'Attached evidence' });
  await expect(attached).toContainText(evidenceFile.name);
  await expect(attached).toContainText(`Complaints procedure ${stamp}`);
  await leadPage.getByRole('textbox', { name: 'Rationale' }).fill('Complaints are logged the same day and answered within the deadline; see the MI pack.');
  await leadPage.getByRole('button', { name: 'Submit for review' }).click();
  await expect(leadPage.getByText('Submitted for review').first()).toBeVisible();

  // 2. Compliance finds it in the review queue and returns it with a comment.
  const compliance = await signIn(browser, COMPLIANCE);
  await compliance.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conduct review', exact: true }).click();
  await expect(compliance.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  await compliance.getByRole('combobox', { name: 'Unit' }).fill(lead.unitName);
  await compliance.getByRole('option', { name: lead.unitName, exact: true }).click();
  await compliance.getByRole('button', { name: `Review ${name}` }).click();
  const review = compliance.getByRole('dialog', { name: `Review ${name}` });
  await expect(review).toContainText('Self-assessed 4');
  await review.getByRole('radio', { name: 'Return with comments' }).check();
  const comment = `The MI pack shows 30% of complaints answered late; score what you see (${stamp}).`;
  await review.getByRole('textbox', { name: 'Comment' }).fill(comment);
  await review.getByRole('button', { name: 'Return to the unit' }).click();
  await expect(review).toBeHidden();

  // 3. The lead sees the comment and re-assesses with a low score.
  await leadPage.reload();
  await expect(leadPage.getByText('Returned by the reviewer')).toBeVisible();
  await expect(leadPage.getByText(comment).first()).toBeVisible();
  await expect(leadPage.getByRole('list', { name: 'Attached evidence' })).toContainText(evidenceFile.name);
  await leadPage.getByRole('radio', { name: /^2 · / }).check();
  await leadPage.getByRole('textbox', { name: 'Rationale' }).fill('Too many complaints are answered late (30%); triage needs fixing.');
  await leadPage.getByRole('button', { name: 'Submit for review' }).click();
  await expect(leadPage.getByText('Submitted for review').first()).toBeVisible();

  // 4. Compliance approves the low score on the cell page; a required action appears.
  await compliance.goto(`/conduct/assessments/${cell!.id}`);
  const panel = compliance.getByRole('form', { name: `Review ${name}` });
  await panel.getByRole('radio', { name: 'Approve' }).check();
  await panel.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(compliance.getByText('Locked after approval')).toBeVisible();
  await expect(compliance.getByText('Improvement action required')).toBeVisible();
  await compliance.getByRole('link', { name: 'Open the required action' }).click();
  await expect(compliance.getByRole('heading', { level: 1 })).toBeVisible();
  const actionUrl = compliance.url();
  const actionTitle = (await compliance.getByRole('heading', { level: 1 }).textContent())!;
  await expect(compliance.getByText(cell!.practiceTitle).first()).toBeVisible();

  // Compliance delegates it to an agent of the team.
  await compliance.getByRole('button', { name: 'Delegate, deadline or priority' }).click();
  const edit = compliance.getByRole('dialog');
  await edit.getByRole('combobox', { name: 'Delegate' }).fill(AGENT_NAME);
  await compliance.getByRole('option', { name: new RegExp(`^${AGENT_NAME}`) }).click();
  await edit.getByRole('combobox', { name: 'Priority' }).click();
  await compliance.getByRole('option', { name: 'High', exact: true }).click();
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  const facts = compliance.getByRole('region', { name: 'Details' });
  await expect(facts).toContainText(AGENT_NAME);

  // 5. The agent finds it under "My actions" and marks it done with evidence.
  await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conduct actions', exact: true }).click();
  await agent.getByRole('table', { name: 'My actions' }).getByRole('link', { name: actionTitle, exact: true }).click();
  await expect(agent.getByRole('heading', { level: 1, name: actionTitle })).toBeVisible();
  const doneFile = pdf(`Triage checklist ${stamp}`);
  await agent.locator('input[type="file"]').setInputFiles(doneFile);
  await agent.getByRole('button', { name: 'Upload evidence' }).click();
  await expect(agent.getByRole('list', { name: 'Attached evidence' })).toContainText(doneFile.name);
  await agent.getByRole('textbox', { name: 'What was done' }).fill('New same-day triage checklist in use since Monday; late answers tracked daily.');
  await agent.getByRole('button', { name: 'Mark done' }).click();
  await expect(agent.getByText('Done, awaiting verification').first()).toBeVisible();

  // 6. Compliance verifies it; the evidence is listed and downloadable.
  await compliance.goto(actionUrl);
  const evidence = compliance.getByRole('region', { name: 'Evidence' });
  await expect(evidence.getByRole('link', { name: new RegExp(doneFile.name.replace(/[.]/g, '\\.')) })).toBeVisible();
  await compliance.getByRole('region', { name: 'Verify' }).getByRole('textbox', { name: 'Comment' }).fill('Checked the checklist and the daily tracker.');
  await compliance.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(compliance.getByText('Verified').first()).toBeVisible();
  await expect(compliance.getByRole('region', { name: 'Verify' })).toHaveCount(0);
});

test('every conduct page passes axe: assessments, review queue, actions, an action, the catalogue, a practice', async ({ browser }) => {
  const page = await signIn(browser, COMPLIANCE);
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('link', { name: 'Conduct assessments', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Cells' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the assessments list');

  await nav.getByRole('link', { name: 'Conduct review', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Waiting for review' }).or(page.getByText('Nothing to review'))).toBeVisible();
  await expectNoSeriousViolations(page, 'the review queue');

  await nav.getByRole('link', { name: 'Conduct actions', exact: true }).click();
  await page.getByRole('tab', { name: 'Overdue' }).click();
  // The demo has overdue actions (one escalated to the delegate's lead).
  const overdue = page.getByRole('table', { name: 'Overdue actions' });
  await expect(overdue).toBeVisible();
  await expect(overdue.getByText('Overdue').first()).toBeVisible();
  await expectNoSeriousViolations(page, 'the overdue actions');
  await overdue.getByRole('rowheader').first().getByRole('link').click();
  await expect(page.getByRole('region', { name: 'Details' })).toBeVisible();
  await expectNoSeriousViolations(page, 'an action page');

  await nav.getByRole('link', { name: 'Practices', exact: true }).click();
  await page.getByRole('combobox', { name: 'Framework' }).click();
  await page.getByRole('option', { name: new RegExp(`^${demoConductWeakPocket.framework}`) }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Consumer support' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Assessment cycles' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the practice catalogue');
  await page.getByRole('link', { name: WEAK_PRACTICE, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: WEAK_PRACTICE })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What good looks like' })).toBeVisible();
  await expectNoSeriousViolations(page, 'a practice page');
});

test('compliance adds its own framework and a practice, marks it not applicable to a unit, and changes the reminder settings', async ({ browser }) => {
  const stamp = Date.now();
  const frameworkName = `Vulnerability standards ${stamp}`;
  const page = await signIn(browser, COMPLIANCE);
  // The page's first list of frameworks is slow to arrive: the framework is added while it is on its way,
  // and the picker must still show it (it once kept the stale list).
  let slowFirstList = true;
  await page.route('**/api/v1/frameworks', async (route) => {
    if (route.request().method() !== 'GET' || !slowFirstList) return route.continue();
    slowFirstList = false;
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await route.fulfill({ response });
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Practices', exact: true }).click();

  await page.getByRole('button', { name: 'Add a framework' }).click();
  const frameworkDialog = page.getByRole('dialog', { name: 'Add a framework' });
  await frameworkDialog.getByRole('radio', { name: 'Our own framework' }).check();
  await frameworkDialog.getByRole('textbox', { name: 'Name' }).fill(frameworkName);
  await frameworkDialog.getByRole('textbox', { name: 'Outcomes' }).fill('Customers in vulnerable circumstances are identified\nSupport fits the need');
  await frameworkDialog.getByRole('button', { name: 'Add framework' }).click();
  await expect(frameworkDialog).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Framework' })).toHaveValue(new RegExp(`^${frameworkName}`));
  await expect(page.getByRole('heading', { level: 2, name: 'Support fits the need' })).toBeVisible();

  await page.getByRole('button', { name: 'Add a practice' }).click();
  const practiceDialog = page.getByRole('dialog', { name: `Add a practice to ${frameworkName}` });
  await practiceDialog.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'Support fits the need' }).click();
  await practiceDialog.getByRole('textbox', { name: 'Code' }).fill('VUL-1');
  await practiceDialog.getByRole('textbox', { name: 'Title' }).fill('Tailored support plans');
  await practiceDialog.getByRole('textbox', { name: 'What good looks like' }).fill('Every customer flagged as vulnerable has a recorded support plan, reviewed at each contact.');
  await practiceDialog.getByRole('textbox', { name: 'Example evidence' }).fill('Support plan audit\nContact notes sample');
  await practiceDialog.getByRole('switch', { name: /Critical practice/ }).check();
  await practiceDialog.getByRole('button', { name: 'Add practice' }).click();
  await expect(practiceDialog).toBeHidden();

  const outcome = page.getByRole('table', { name: 'Support fits the need' });
  const row = outcome.getByRole('row').filter({ hasText: 'Tailored support plans' });
  await expect(row).toContainText('VUL-1');
  await expect(row).toContainText('Critical');
  await row.getByRole('link', { name: 'Tailored support plans' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tailored support plans' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'What good looks like' })).toContainText('recorded support plan');
  await expect(page.getByRole('region', { name: 'What good looks like' })).toContainText('Support plan audit');

  // A unit where the practice does not apply, with its justification; then it applies again.
  const notApplicable = page.getByRole('region', { name: 'Not applicable in' });
  await notApplicable.getByRole('combobox', { name: 'Unit' }).fill('Scotland');
  await page.getByRole('option', { name: 'Scotland', exact: true }).click();
  await notApplicable.getByRole('textbox', { name: 'Why it does not apply' }).fill('Scotland serves business customers only; no retail support plans.');
  await notApplicable.getByRole('button', { name: 'Mark not applicable' }).click();
  await expect(notApplicable.getByRole('listitem')).toContainText('Scotland serves business customers only');
  await notApplicable.getByRole('button', { name: 'Tailored support plans applies to Scotland again' }).click();
  await expect(notApplicable.getByRole('listitem')).toHaveCount(0);

  // Reminder offsets are settings compliance can change.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conduct settings', exact: true }).click();
  const offsets = page.getByRole('textbox', { name: 'Reminders before the deadline (days)' });
  await expect(offsets).toHaveValue('7, 1, 0');
  await expectNoSeriousViolations(page, 'the conduct settings');
  await offsets.fill('14, 7, 1, 0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Conduct settings saved')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Reminders before the deadline (days)' })).toHaveValue('14, 7, 1, 0');
});
