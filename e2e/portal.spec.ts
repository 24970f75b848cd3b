// The named export: under NodeNext the package's CommonJS typings make the default import a namespace.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';

/**
 * The customer portal: a customer with no account files a complaint, sees who looks after it and
 * what happens next, and talks to that person; the agent answers from the staff app. The
 * customer's pages are checked on a phone-sized screen and with axe (WCAG 2.1 A/AA).
 */

const ADMIN = { email: 'admin@harbourvale.example' };
const PASSWORD = 'trustdesk-demo-2026';
const FOOTER = 'you can refer it to the Financial Ombudsman Service';

test.use({ viewport: { width: 390, height: 844 } });

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    console.log(
      `axe (${what}):\n` +
        serious.map((v) => `- [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`).join('\n'),
    );
  }
  expect(serious, `serious or critical axe violations on ${what}`).toEqual([]);
}

async function signIn(browser: Browser, email: string): Promise<Page> {
  // A context of its own (and a desktop screen): the agent is at another computer.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible();
  return page;
}

test('an empty complaint form shows what to fill in, next to each field, and focus goes to the first', async ({ page }) => {
  await page.goto('/portal');
  await expect(page.getByRole('heading', { level: 1, name: 'Make a complaint' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText(FOOTER);
  // The organisation's name, from the products list, sits at the top.
  await expect(page.getByRole('banner')).not.toHaveText('Complaints');
  // Public: nobody is sent to the staff login.
  await expect(page).toHaveURL(/\/portal$/);
  await expectNoSeriousViolations(page, 'the empty complaint form');

  await page.getByRole('button', { name: 'Send my complaint' }).click();
  const name = page.getByRole('textbox', { name: 'Your name' });
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/Please tell us your name/);
  await expect(page.getByRole('textbox', { name: 'E-mail' })).toHaveAccessibleDescription(/Please give an e-mail address/);
  await expect(page.getByRole('textbox', { name: 'What happened' })).toHaveAccessibleDescription(/Please tell us what happened/);
  // Optional fields stay quiet.
  await expect(page.getByRole('textbox', { name: 'Phone (optional)' })).not.toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousViolations(page, 'the complaint form with errors');

  // The honeypot is out of reach: not in the accessibility tree, not in the tab order.
  await expect(page.getByRole('textbox', { name: 'Website' })).toHaveCount(0);
  await expect(page.locator('input[name="website"]')).toHaveAttribute('tabindex', '-1');

  // "I need extra support" opens a question about what would help.
  await expect(page.getByRole('textbox', { name: 'Tell us what would help' })).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'I need extra support' }).check();
  await expect(page.getByRole('textbox', { name: 'Tell us what would help' })).toBeVisible();
});

test('a customer files a complaint, sees the person who owns it, and talks to them on the status page', async ({ page, browser, request }) => {
  const stamp = Date.now();
  // A word nobody else writes, so the staff search finds this case and no other.
  const marker = `quokka${stamp}`;
  const whatHappened = `My direct debit was taken twice in March ${marker}. Please refund the second payment.`;
  const agentReply = `Thank you for telling us. I can see the second payment and will refund it today (e2e ${stamp}).`;
  const customerAnswer = `Thank you, that is kind. Please let me know once it is done (e2e ${stamp}).`;

  // 1. The complaint form, filled by label (the accessible name: Mantine's "*" is hidden from it).
  await page.goto('/portal');
  const field = (label: string) => page.getByRole('textbox', { name: label, exact: true });
  await field('Your name').fill('Morgan Example');
  await field('E-mail').fill(`morgan.${stamp}@example.com`);
  await field('Phone (optional)').fill('+44 7700 900123');
  await page.getByRole('combobox', { name: 'Product (optional)' }).selectOption({ index: 1 });
  await field('What happened').fill(whatHappened);
  await field('What would put it right for you? (optional)').fill('A refund of the second payment.');
  await page.getByRole('radio', { name: 'E-mail' }).check();
  await page.locator('input[type="file"]').setInputFiles({ name: 'bank-statement.txt', mimeType: 'text/plain', buffer: Buffer.from('3 March: standing order 250.00; 3 March: standing order 250.00') });
  await page.getByRole('button', { name: 'Send my complaint' }).click();

  // 2. The status page: the reference, a named person and a next step with a date; the document is there.
  await expect(page.getByRole('list', { name: 'Documents' })).toContainText('bank-statement.txt');
  await expect(page).toHaveURL(/\/portal\/status\/[^/]+$/);
  const statusUrl = new URL(page.url()).pathname;
  const banner = page.getByRole('heading', { level: 1, name: /^We have your complaint\. Your reference is C-\d{4}-\d{6}/ });
  await expect(banner).toBeFocused();
  const ref = (await banner.textContent())!.match(/C-\d{4}-\d{6}/)![0];
  const owner = page.getByRole('region', { name: 'Who is looking after this' });
  await expect(owner).toContainText(/\S+, \S.*/);
  const ownerLine = (await owner.locator('p').first().textContent())!.trim();
  expect(ownerLine).toMatch(/^\S+, .+$/);
  const ownerFirstName = ownerLine.split(',')[0]!;
  await expect(page.getByRole('region', { name: 'What happens next' })).toContainText(
    / by (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ \d{4}\./,
  );
  const steps = page.getByRole('list', { name: 'Progress of your complaint' });
  await expect(steps.locator('[aria-current="step"]')).toContainText('We are here');
  await expect(page.getByRole('region', { name: 'What we promised' })).toContainText(/Due \w+day \d{1,2} \w+ \d{4}/);
  await expect(page.getByRole('heading', { level: 2, name: `Write to ${ownerFirstName}` })).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText(FOOTER);
  await expectNoSeriousViolations(page, 'the status page');

  // 3. Who owns it, found through the staff API as an admin.
  const login = await request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: PASSWORD } });
  expect(login.ok()).toBeTruthy();
  const found = await request.get('/api/v1/cases', { params: { q: marker } });
  expect(found.ok()).toBeTruthy();
  const { items } = (await found.json()) as { items: { id: string; ref: string; ownerId: string }[] };
  const filed = items.find((item) => item.ref === ref);
  expect(filed, `case ${ref} in the search for ${marker}`).toBeTruthy();
  const ownerUser = await request.get(`/api/v1/users/${filed!.ownerId}`);
  expect(ownerUser.ok()).toBeTruthy();
  const { email: ownerEmail, name: ownerName } = (await ownerUser.json()) as { email: string; name: string };
  expect(ownerName.split(' ')[0]).toBe(ownerFirstName);

  // 4. The owner replies from the staff app.
  const agent = await signIn(browser, ownerEmail);
  await agent.goto(`/cases/${filed!.id}`);
  await agent.getByRole('button', { name: 'Reply to customer' }).click();
  const reply = agent.getByRole('dialog', { name: /^Reply to / });
  await reply.getByRole('textbox', { name: 'Message' }).fill(agentReply);
  await reply.getByRole('button', { name: 'Send message' }).click();
  await expect(reply).toBeHidden();

  // 5. The customer sees it, from the person by name, and answers.
  await page.goto(statusUrl);
  const messages = page.getByRole('list', { name: 'Messages' });
  const fromAgent = messages.getByRole('listitem').filter({ hasText: agentReply });
  await expect(fromAgent).toHaveCount(1);
  await expect(fromAgent).toContainText(ownerFirstName);
  // After a reload the page is the ordinary one: no "we have your complaint" banner, focus not stolen.
  await expect(page.getByRole('heading', { level: 1, name: 'Your complaint' })).toBeVisible();
  await expect(page.getByText(`Your reference is ${ref}`)).toBeVisible();
  await page.getByRole('textbox', { name: 'Your message' }).fill(customerAnswer);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Your message has been sent to ${ownerFirstName}` })).toBeVisible();
  const fromCustomer = messages.getByRole('listitem').filter({ hasText: customerAnswer });
  await expect(fromCustomer).toHaveCount(1);
  await expect(fromCustomer).toContainText('You');
  await expect(page.getByRole('textbox', { name: 'Your message' })).toHaveValue('');
  await expectNoSeriousViolations(page, 'the status page with a conversation');

  // The customer adds a document; it is listed as theirs.
  await page.locator('input[type="file"]').setInputFiles({ name: 'statement.txt', mimeType: 'text/plain', buffer: Buffer.from('Both payments on 3 March: 250.00 and 250.00') });
  await page.getByRole('button', { name: 'Send document' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'we have received statement.txt' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Documents' })).toContainText('statement.txt');

  // 6. The agent sees the answer in the case's timeline.
  await agent.reload();
  const timeline = agent.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').filter({ hasText: customerAnswer })).toHaveCount(1);
  await agent.context().close();

  // 7. "I'd like to speak to a manager": the answer names who.
  await page.getByRole('button', { name: "I'd like to speak to a manager" }).click();
  const dialog = page.getByRole('dialog', { name: 'Speak to a manager' });
  await dialog.getByRole('textbox', { name: /Anything you want the manager to know/ }).fill('Nothing more, thank you.');
  await dialog.getByRole('button', { name: 'Ask for a manager' }).click();
  await expect(dialog).toBeHidden();
  const passed = page.getByText(/^We have passed your complaint to \S+, .+, who will contact you\.$/);
  await expect(passed).toBeVisible();
  await expect(passed).toBeFocused();
  await expect(page.getByRole('button', { name: "I'd like to speak to a manager" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(/^We have passed your complaint to \S+, .+, who will contact you\.$/)).toBeVisible();
});

test("the server's answers reach the customer: its field errors sit on their fields, and a rate limit is explained", async ({ page }) => {
  await page.goto('/portal');
  const field = (label: string) => page.getByRole('textbox', { name: label, exact: true });
  await field('Your name').fill('Robin Example');
  await field('E-mail').fill('robin@example..com');
  await field('What happened').fill('The cash machine kept my card.');

  // An address the form accepts but the server does not: its message lands on the field, with focus.
  await page.getByRole('button', { name: 'Send my complaint' }).click();
  const email = field('E-mail');
  await expect(email).toBeFocused();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/e-mail address/);
  await expect(page).toHaveURL(/\/portal$/);

  // Too many complaints from one place: said in plain words, and the answers stay on the form.
  await page.route('**/portal/api/complaints*', (route) =>
    route.fulfill({ status: 429, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests; try again in 540 s' } }) }),
  );
  await email.fill('robin@example.com');
  await page.getByRole('button', { name: 'Send my complaint' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'You have sent several complaints in a short time. Please wait a few minutes and try again.',
  );
  await expect(field('What happened')).toHaveValue('The cash machine kept my card.');
});

test('a link that does not work says so kindly, without details, and never asks a customer to sign in', async ({ page }) => {
  await page.goto('/portal/status/tdp_this-link-does-not-exist-0000');
  await expect(page.getByRole('heading', { level: 1, name: "We can't find this page" })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('The link may be out of date. If you need help, contact us quoting your reference.');
  await expect(page).toHaveURL(/\/portal\/status\//);
  await expect(page.getByRole('contentinfo')).toContainText(FOOTER);
});
