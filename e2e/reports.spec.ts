import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { demoConductWeakPocket } from '../src/demo/demo-conduct.js';

/**
 * The executive trust report on the demo organisation: the chief executive opens it, writes the
 * commentary, narrows it to a division, follows a figure to the cases behind it, and downloads
 * the PDF. The rollups are built by the job a little after start, so the first figures are awaited.
 */

const CEO = 'ceo@harbourvale.example';
const PASSWORD = 'trustdesk-demo-2026';

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible();
}

test('executive report: commentary, unit filter, drill-down, PDF', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, CEO);
  // The job settles events for 30 s before rolling them up: wait for the demo complaints to count.
  await expect
    .poll(async () => {
      const res = await page.request.get('/api/v1/reports/executive');
      const body = await res.json();
      return body.indicators?.find((i: { key: string }) => i.key === 'received')?.value ?? 0;
    }, { timeout: 90_000, intervals: [2_000] })
    .toBeGreaterThan(0);

  await page.goto('/reports/executive');
  await expect(page.getByRole('heading', { level: 1, name: 'Executive trust report' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Headline indicators' })).toBeVisible();
  // The conduct section names the weakest pocket of the demo's cycle, not just its average.
  const conduct = page.locator('section[aria-labelledby="conduct"]');
  await expect(conduct.getByText('Weakest pockets')).toBeVisible();
  await expect(conduct.getByRole('listitem').filter({ hasText: demoConductWeakPocket.region }).filter({ hasText: demoConductWeakPocket.practice }).first()).toBeVisible();

  await page.getByRole('textbox', { name: 'Headline for the board' }).fill('Complaint volumes steady; fraud turnaround needs attention');
  await page.getByRole('textbox', { name: 'Risks and weak pockets' }).fill('Card fraud cases past eight weeks');
  await page.getByRole('textbox', { name: 'Actions agreed' }).fill('Extra fraud handlers from next month');
  await page.getByRole('button', { name: 'Save commentary' }).click();
  await expect(page.getByText('Commentary saved; it will appear in the PDF.')).toBeVisible();
  await expect(page.getByText(/Last saved by Catherine Blake/)).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download PDF' }).click();
  const file = await (await download).path();
  expect(fs.readFileSync(file!).subarray(0, 5).toString()).toBe('%PDF-');

  await page.getByRole('combobox', { name: 'Unit' }).click();
  await page.getByRole('option', { name: 'Everyday Banking' }).click();
  await expect(page).toHaveURL(/unitId=/);
  await expect(page.getByText(/^Everyday Banking · /)).toBeVisible();

  const received = page.getByTestId('indicator-received').getByRole('link');
  const count = Number((await received.textContent())?.replace(/,/g, ''));
  await received.click();
  await expect(page).toHaveURL(/\/cases\?.*kind=complaint/);
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  if (count > 0) await expect(page.getByRole('row').nth(1)).toBeVisible();
});

test('an emerging complaint issue opens an improvement action with one form', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'compliance@harbourvale.example');
  // Themes come from the rollup job's key phrases: wait until the demo's rising themes are found.
  await expect
    .poll(async () => ((await (await page.request.get('/api/v1/reports/emerging-issues')).json()).items ?? []).length, { timeout: 90_000, intervals: [2_000] })
    .toBeGreaterThan(0);
  await page.goto('/reports/complaints');
  await page.getByRole('button', { name: 'Open improvement action' }).first().click();
  const form = page.getByRole('dialog', { name: 'New improvement action from an alert' });
  // The suggested practice (root-cause analysis of complaints) is preselected from the catalogue.
  await expect(form.getByRole('combobox', { name: 'Practice to improve' })).toHaveValue(/Complaint handling/);
  const title = await form.getByRole('textbox', { name: 'What will be done' }).inputValue();
  expect(title).toMatch(/complaint/i);
  await form.getByRole('button', { name: 'Create action' }).click();
  await expect(form.getByText('Choose the unit')).toBeVisible();
  await form.getByRole('combobox', { name: 'Unit' }).fill('Northern Ireland');
  await page.getByRole('option', { name: 'Northern Ireland', exact: true }).click();
  await form.getByRole('combobox', { name: 'Delegate' }).fill('Tom Okafor');
  await page.getByRole('option', { name: /^Tom Okafor/ }).click();
  await form.getByRole('textbox', { name: 'Deadline' }).fill(new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10));
  await form.getByRole('textbox', { name: 'Expected effect' }).fill('The theme falls back under its control limit within a month');
  await form.getByRole('button', { name: 'Create action' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  // The action says where it came from and which practice it improves.
  await expect(page.getByText(/from an emerging complaint issue/).first()).toBeVisible();
  await expect(page.getByText(/Complaint handling/).first()).toBeVisible();
});
