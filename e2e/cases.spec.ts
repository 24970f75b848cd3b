import { expect, test, type Browser, type Page } from '@playwright/test';

/**
 * One accountable owner: an agent opens a case from their inbox, writes to the customer and asks
 * their team to take the case over; the team lead accepts it from the transfers page, and the
 * case's timeline tells the whole story (message, transfer request, acceptance, new owner).
 */

const AGENT = { email: 'tom.okafor@harbourvale.example', name: 'Tom Okafor' };
const LEAD = { email: 'priya.sharma@harbourvale.example', name: 'Priya Sharma' };
const TEAM = 'England & Wales Complaints';
const PASSWORD = 'trustdesk-demo-2026';

async function signIn(browser: Browser, email: string): Promise<Page> {
  // A context of its own: a second person at a second browser.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible();
  return page;
}

test('an agent replies and hands a case to their team; the lead accepts it and the timeline shows it all', async ({ browser }) => {
  const stamp = Date.now();
  const message = `Dear customer, we are looking into this now and will call you tomorrow. (e2e ${stamp})`;
  const reason = `Needs a lead's authority for a goodwill payment (e2e ${stamp})`;

  // The agent opens the case with the nearest deadline from their inbox.
  const agent = await signIn(browser, AGENT.email);
  await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox', exact: true }).click();
  await expect(agent.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  const inbox = agent.getByRole('table', { name: 'My cases' });
  const firstCase = inbox.getByRole('rowheader').getByRole('link').first();
  const caseRef = (await firstCase.textContent())?.trim() ?? '';
  expect(caseRef).toMatch(/^C-\d{4}-\d{6}$/);
  // The deadline reads in words, not only in colour.
  await expect(inbox.getByRole('row').filter({ has: agent.getByRole('link', { name: caseRef, exact: true }) })).toContainText(
    /due in|overdue by|No deadline/,
  );
  await firstCase.click();
  await expect(agent).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseUrl = new URL(agent.url()).pathname;
  await expect(agent.getByText(`${caseRef} ·`)).toBeVisible();
  await expect(agent.getByTestId('case-owner')).toContainText(`Owned by ${AGENT.name} (you)`);
  await expect(agent.getByRole('table', { name: 'Clocks' })).toBeVisible();

  // A message to the customer.
  await agent.getByRole('button', { name: 'Reply to customer' }).click();
  const reply = agent.getByRole('dialog', { name: /^Reply to / });
  await reply.getByRole('textbox', { name: 'Message' }).fill(message);
  await reply.getByRole('button', { name: 'Send message' }).click();
  await expect(reply).toBeHidden();
  const agentTimeline = agent.getByRole('list', { name: 'Timeline' });
  const sent = agentTimeline.getByRole('listitem').filter({ hasText: message });
  await expect(sent).toHaveCount(1);
  await expect(sent).toContainText('To customer');

  // A transfer to the team: agents cannot look colleagues up, so the page explains and offers units.
  await agent.getByRole('button', { name: 'Transfer', exact: true }).click();
  const transfer = agent.getByRole('dialog', { name: `Transfer ${caseRef}` });
  await expect(transfer.getByRole('note')).toContainText('cannot look up colleagues');
  await transfer.getByRole('combobox', { name: 'Unit' }).click();
  await agent.getByRole('option', { name: TEAM, exact: true }).click();
  await transfer.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await transfer.getByRole('button', { name: 'Request transfer' }).click();
  await expect(transfer).toBeHidden();
  // Until someone accepts, the agent still owns it and may withdraw the request.
  await expect(agent.getByText('Transfer waiting for an answer')).toBeVisible();
  await expect(agent.getByTestId('case-owner')).toContainText(`Owned by ${AGENT.name} (you)`);
  await expect(agent.getByRole('button', { name: 'Withdraw' })).toBeVisible();
  await expect(agentTimeline).toContainText(`Transfer requested to the unit ${TEAM}: ${reason}`);

  // The lead, in another browser, accepts it from the transfers page.
  const lead = await signIn(browser, LEAD.email);
  await lead.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers', exact: true }).click();
  const transfers = lead.getByRole('table', { name: 'Transfers waiting for you' });
  const offered = transfers.getByRole('row').filter({ has: lead.getByRole('link', { name: caseRef, exact: true }) });
  await expect(offered).toContainText(AGENT.name);
  await expect(offered).toContainText(reason);
  await offered.getByRole('button', { name: 'Accept' }).click();
  await expect(lead.getByText(`You now own ${caseRef}`)).toBeVisible();
  await expect(offered).toHaveCount(0);

  // The case is the lead's now, and its timeline has the message, the request and the acceptance.
  await lead.goto(caseUrl);
  await expect(lead.getByTestId('case-owner')).toContainText(`Owned by ${LEAD.name} (you)`);
  await expect(lead.getByText('Transfer waiting for an answer')).toHaveCount(0);
  const timeline = lead.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').filter({ hasText: message })).toContainText('To customer');
  await expect(timeline).toContainText(`Transfer requested to the unit ${TEAM}: ${reason}`);
  await expect(timeline).toContainText(`Transfer accepted by ${LEAD.name}`);
  await expect(timeline).toContainText(`Owner changed from ${AGENT.name} to ${LEAD.name}`);
  // In time order: the message, then the request, then the acceptance.
  const text = (await timeline.textContent()) ?? '';
  const at = (needle: string) => text.indexOf(needle);
  expect(at(message)).toBeGreaterThan(-1);
  expect(at(message)).toBeLessThan(at('Transfer requested to'));
  expect(at('Transfer requested to')).toBeLessThan(at('Transfer accepted by'));

  await agent.context().close();
  await lead.context().close();
});
