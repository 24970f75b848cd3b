import { expect, test, type Browser, type Page } from '@playwright/test';

/**
 * FCA complaint letters: an agent opens one of their open complaints, previews the
 * acknowledgement letter (filled from the case, with the final response deadline), sends it, and
 * the case's timeline shows the letter.
 */

const AGENT = { email: 'tom.okafor@harbourvale.example', name: 'Tom Okafor' };
const PASSWORD = 'trustdesk-demo-2026';

async function signIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible();
  return page;
}

test('an agent previews and sends an acknowledgement letter; the timeline shows it', async ({ browser }) => {
  const agent = await signIn(browser, AGENT.email);
  await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox', exact: true }).click();
  await expect(agent.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();

  // A complaint: requests and follow-ups carry their kind under the reference.
  const inbox = agent.getByRole('table', { name: 'My cases' });
  const complaint = inbox.getByRole('rowheader').filter({ hasNotText: /Request|Follow-up/ }).getByRole('link').first();
  const caseRef = (await complaint.textContent())?.trim() ?? '';
  expect(caseRef).toMatch(/^C-\d{4}-\d{6}$/);
  await complaint.click();
  await expect(agent.getByText(`${caseRef} · Complaint`)).toBeVisible();
  await expect(agent.getByTestId('case-owner')).toContainText(`Owned by ${AGENT.name} (you)`);

  await agent.getByRole('group', { name: 'Case actions' }).getByRole('button', { name: 'Send letter', exact: true }).click();
  const dialog = agent.getByRole('dialog', { name: 'Send a letter' });
  await dialog.getByRole('combobox', { name: 'Letter' }).click();
  await agent.getByRole('option', { name: 'Acknowledgement', exact: true }).click();

  // The preview is the letter as the customer reads it, every field filled from the case.
  const preview = dialog.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText(`We have received your complaint ${caseRef}`);
  await expect(preview).toContainText(/We will send you our final response by \w+day \d{1,2} \w+ \d{4} at the latest/);
  await expect(preview).toContainText(AGENT.name);
  await expect(preview).not.toContainText('{{');
  await expect(dialog.getByText('Still to fill:')).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Send this letter' }).click();
  await expect(dialog).toBeHidden();
  await expect(agent.getByRole('alert').filter({ hasText: 'Acknowledgement letter sent' })).toBeVisible();

  const timeline = agent.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Letter sent: Acknowledgement' })).toContainText(
    `Subject: We have received your complaint ${caseRef}`,
  );
  const letter = timeline.getByRole('listitem').filter({ hasText: 'We will send you our final response by' });
  await expect(letter).toHaveCount(1);
  await expect(letter).toContainText('To customer');
  await expect(letter).toContainText(`Your reference is ${caseRef}`);
});
