import { expect, type Page, test } from '@playwright/test';

const PASSWORD = 'trustdesk-demo-2026';

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a wrong password is refused with a message on the field', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@harbourvale.example');
  await page.getByLabel(/^Password/).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/not correct/i)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test('an admin signs in, creates a unit and a user, and signs out', async ({ page }) => {
  await signIn(page, 'admin@harbourvale.example');
  await expect(page.getByRole('heading', { name: /Welcome, Alex Morgan/ })).toBeVisible();
  // Opening the home page directly (a reload, a bookmark) serves the app too.
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /Welcome, Alex Morgan/ })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Units' }).click();
  const units = page.getByRole('table', { name: 'Units' });
  await expect(units.getByRole('rowheader', { name: 'Everyday Banking' })).toBeVisible();
  await page.getByRole('button', { name: 'New unit' }).click();
  const unitDialog = page.getByRole('dialog');
  await unitDialog.getByLabel('Name').fill('Edinburgh Vulnerable Customers');
  await unitDialog.getByRole('combobox', { name: 'Kind' }).click();
  await page.getByRole('option', { name: 'team', exact: false }).first().click();
  await unitDialog.getByRole('combobox', { name: 'Parent unit' }).click();
  await page.getByRole('option', { name: /^Scotland$/ }).first().click();
  await unitDialog.getByRole('button', { name: 'Create' }).click();
  await expect(units.getByRole('rowheader', { name: 'Edinburgh Vulnerable Customers' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'New user' }).click();
  const userDialog = page.getByRole('dialog');
  await userDialog.getByLabel('Name').fill('Fiona Blair');
  await userDialog.getByLabel('Email').fill('fiona.blair@harbourvale.example');
  await userDialog.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: /agent/i }).first().click();
  await userDialog.getByRole('combobox', { name: 'Unit' }).click();
  await page.getByRole('option', { name: /Edinburgh Vulnerable Customers/ }).first().click();
  await userDialog.getByLabel(/^Password/).fill('a-long-enough-password');
  await userDialog.getByRole('button', { name: 'Create' }).click();
  await page.getByLabel('Search users').fill('Fiona');
  await expect(page.getByRole('table', { name: 'Users' }).getByText('fiona.blair@harbourvale.example')).toBeVisible();

  await page.getByRole('button', { name: /User menu/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
});

test('an agent sees no administration and is refused it', async ({ page }) => {
  await signIn(page, 'tom.okafor@harbourvale.example');
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Units' })).toHaveCount(0);
  await page.goto('/admin/users');
  await expect(page.getByText(/not allowed/i).first()).toBeVisible();
});
