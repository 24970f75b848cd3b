import { expect, test } from '@playwright/test';

/**
 * Data care: a compliance officer puts a case under legal hold from the case page, then on the
 * Data care page asks for a customer's data (nothing held: said so) and sees the retention report
 * list what is kept past its date.
 */

const COMPLIANCE = 'compliance@harbourvale.example';
const PASSWORD = 'trustdesk-demo-2026';

test('a compliance officer places a legal hold and answers a customer data request', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(COMPLIANCE);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases', exact: true }).click();
  await page.getByRole('rowheader').getByRole('link').first().click();
  await page.getByRole('button', { name: 'Legal hold' }).click();
  const dialog = page.getByRole('dialog', { name: 'Place a legal hold' });
  await dialog.getByLabel('Reason').fill('Litigation 2026/14');
  await dialog.getByRole('button', { name: 'Place a legal hold' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Legal hold', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Clear hold' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data care' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Data care' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Retention report' })).toBeVisible();
  await page.getByLabel("Customer's e-mail").fill('nobody.at.all@example.com');
  await page.getByRole('button', { name: 'Export as JSON' }).click();
  await expect(page.getByRole('alert')).toContainText('No data is held about this customer');
});
