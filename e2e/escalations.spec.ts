import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

/**
 * A team lead works the escalations queue: acknowledges an escalation addressed to them, tries
 * to resolve it without a lesson (the API refuses, the form says which fields), resolves it with
 * one, and finds the lesson in the improvement backlog.
 *
 * The escalation is raised through the API by an agent of the lead's team on a new case of their
 * own, so the test does not depend on what the demo's clock sweep happens to raise, or to whom.
 */

const LEAD = 'priya.sharma@harbourvale.example';
const AGENT = 'tom.okafor@harbourvale.example';
const PASSWORD = 'trustdesk-demo-2026';

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible();
}

/** The agent opens a case in their own team and asks for help: it goes to the team's lead. */
async function raiseEscalation(request: APIRequestContext, stamp: number): Promise<string> {
  const login = await request.post('/api/v1/auth/login', { data: { email: AGENT, password: PASSWORD } });
  expect(login.status()).toBe(200);
  const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { id: string; unitId: string } };
  const headers = { 'x-csrf-token': csrfToken };

  const created = await request.post('/api/v1/cases', {
    headers,
    data: {
      subject: `Customer asks for a manager about a refused refund (e2e ${stamp})`,
      description: 'The customer was refused a refund by phone and wants a manager to look at it again.',
      customer: { name: 'Morgan Ellis' },
      unitId: user.unitId,
      ownerId: user.id,
      kind: 'complaint',
    },
  });
  expect(created.status()).toBe(201);
  const { id, ref } = (await created.json()) as { id: string; ref: string };

  const escalated = await request.post(`/api/v1/cases/${id}/escalations`, {
    headers,
    data: { reason: 'customer_request', note: `The customer asked to speak to a manager (e2e ${stamp}).` },
  });
  expect(escalated.status()).toBe(201);
  const escalation = (await escalated.json()) as { toUserName: string };
  expect(escalation.toUserName).toBe('Priya Sharma');
  return ref;
}

test('a lead acknowledges an escalation, resolves it with a lesson and finds the lesson in the backlog', async ({ page, request }) => {
  const stamp = Date.now();
  const caseRef = await raiseEscalation(request, stamp);

  await signIn(page, LEAD);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Escalations', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Escalations' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Addressed to me', selected: true })).toBeVisible();

  const table = page.getByRole('table', { name: 'Escalations' });
  const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: caseRef, exact: true }) });
  await expect(row).toHaveCount(1);
  // The reason and the acknowledgement deadline are given in words, not only colour.
  await expect(row).toContainText('Customer asked for a manager');
  await expect(row).toContainText('Not acknowledged');
  await expect(row).toContainText(/Due in|Was due/);
  await expect(row.getByRole('link', { name: caseRef, exact: true })).toHaveAttribute('href', /^\/cases\/[0-9a-f-]{36}$/);

  // Acknowledge.
  await row.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await expect(row.getByText('Acknowledged', { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Acknowledge', exact: true })).toHaveCount(0);

  // Resolve without a lesson: the API answers 422 and the form points at the lesson fields.
  await row.getByRole('button', { name: 'Resolve', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Resolve escalation on ${caseRef}` });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Resolution').fill('Called the customer, apologised and sent the final response the same day.');
  await dialog.getByRole('button', { name: 'Resolve escalation' }).click();
  await expect(dialog.getByRole('alert')).toContainText('closes with a lesson');
  await expect(dialog.getByRole('combobox', { name: 'Root cause' })).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByRole('textbox', { name: 'Process change' })).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText('Choose the root cause from the list')).toBeVisible();

  // Resolve with the lesson.
  const processChange = `Daily review of cases within five days of their final-response deadline (e2e ${stamp})`;
  await dialog.getByRole('combobox', { name: 'Root cause' }).click();
  await page.getByRole('option', { name: 'Delays/timescales', exact: true }).click();
  await dialog.getByRole('combobox', { name: 'Failure type' }).click();
  await page.getByRole('option', { name: 'Process', exact: true }).click();
  await dialog.getByRole('textbox', { name: 'Process change' }).fill(processChange);
  await dialog.getByRole('button', { name: 'Resolve escalation' }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole('link', { name: caseRef, exact: true })).toHaveCount(0);

  // It is in the Resolved tab…
  await page.getByRole('tab', { name: 'Resolved' }).click();
  await expect(table.getByRole('row').filter({ has: page.getByRole('link', { name: caseRef, exact: true }) }).first()).toContainText('Resolved');

  // …and its lesson is in the backlog.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lessons', exact: true }).click();
  const lessons = page.getByRole('table', { name: 'Lessons' });
  const lesson = lessons.getByRole('row').filter({ hasText: processChange });
  await expect(lesson).toHaveCount(1);
  await expect(lesson.getByRole('link', { name: caseRef, exact: true })).toBeVisible();
  await expect(lesson).toContainText('Delays/timescales');
  await expect(lesson.getByRole('combobox', { name: `Status of the lesson from ${caseRef}` })).toHaveValue('proposed');
  await expect(page.getByRole('list').filter({ hasText: 'Delays/timescales:' })).toBeVisible();
});
