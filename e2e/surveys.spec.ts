import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { smtpPort } from '../playwright.config.js';
import { startSmtpServer, type ReceivedMail } from '../test/helpers/smtp.js';

/**
 * The closed loop of a care survey, end to end: compliance creates a survey from the customer
 * care template, publishes it and invites one address; the invitation arrives at a real SMTP
 * server; the customer opens the single-use link, answers as a detractor and sees the thanks
 * page; the low scores have opened a follow-up case with an owner and a "contact" clock.
 */

const COMPLIANCE = 'compliance@harbourvale.example';
const ADMIN = 'admin@harbourvale.example';
/** A team lead: the customer is invited as served by their team, so a follow-up has people to go to. */
const LEAD = 'priya.sharma@harbourvale.example';
const PASSWORD = 'trustdesk-demo-2026';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

test.beforeAll(async () => {
  smtp = await startSmtpServer(smtpPort);
});

test.afterAll(async () => {
  await smtp?.stop();
});

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible();
}

/** The text of a received mail, whatever transfer encoding the mailer chose. */
function mailText(mail: ReceivedMail): string {
  const unwrapped = mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  if (/\/s\/tdv_/.test(unwrapped)) return unwrapped;
  // Base64 bodies: decode every long base64 block.
  const blocks = mail.raw.match(/(?:^[A-Za-z0-9+/=]{20,}\r?\n)+/gm) ?? [];
  return unwrapped + blocks.map((block) => Buffer.from(block.replace(/\s+/g, ''), 'base64').toString('utf8')).join('\n');
}

async function invitationLink(email: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        const mail = smtp.mails.find((m) => m.to.some((to) => to.toLowerCase() === email));
        link = mail ? mailText(mail).match(/\/s\/(tdv_[A-Za-z0-9_-]+)/)?.[0] : undefined;
        return link;
      },
      { timeout: 20_000, intervals: [250, 500, 1000] },
    )
    .toBeTruthy();
  return link!;
}

test('a detractor answers a care survey from the e-mailed link and a follow-up case is opened', async ({ page, request }) => {
  const stamp = Date.now();
  const surveyName = `After your case (e2e ${stamp})`;
  const customer = `survey.e2e.${stamp}@example.com`;
  const leadLogin = await request.post('/api/v1/auth/login', { data: { email: LEAD, password: PASSWORD } });
  expect(leadLogin.ok()).toBeTruthy();
  const { user: lead } = (await leadLogin.json()) as { user: { unitName: string } };

  // Compliance creates the survey from the customer care template.
  await signIn(page, COMPLIANCE);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Surveys', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Surveys' })).toBeVisible();
  await page.getByRole('button', { name: 'New survey' }).click();
  const create = page.getByRole('dialog', { name: 'New survey' });
  await create.getByLabel('Name').fill(surveyName);
  await expect(create.getByRole('combobox', { name: 'Touchpoint' })).toHaveValue('Case resolution');
  await expect(create.getByRole('combobox', { name: 'Questions from template' })).toHaveValue('Customer care');
  await create.getByRole('button', { name: 'Create survey' }).click();
  await expect(create).toBeHidden();

  const table = page.getByRole('table', { name: 'Surveys' });
  const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: surveyName, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Draft');

  // Publish, then invite one address.
  await row.getByRole('button', { name: `Publish ${surveyName}` }).click();
  await expect(row).toContainText('Live');
  // An anonymous link can be made for a live survey; it is shown once.
  await row.getByRole('button', { name: `Public link for ${surveyName}` }).click();
  const linkDialog = page.getByRole('dialog', { name: `Public link for ${surveyName}` });
  await expect(linkDialog.getByRole('textbox', { name: 'Link' })).toHaveValue(/\/s\/tdv_/);
  await linkDialog.getByRole('button', { name: 'Close' }).click();
  await row.getByRole('button', { name: `Invite people to ${surveyName}` }).click();
  const invite = page.getByRole('dialog', { name: `Invite people to ${surveyName}` });
  await invite.getByLabel('E-mail addresses').fill(customer);
  await invite.getByRole('combobox', { name: 'Unit that served them' }).fill(lead.unitName);
  await page.getByRole('option', { name: lead.unitName, exact: true }).click();
  await invite.getByRole('button', { name: 'Send invitations' }).click();
  await expect(invite.getByRole('status')).toContainText('1 person invited');
  await invite.getByRole('button', { name: 'Done' }).click();
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');

  // The invitation arrives by e-mail with a single-use link.
  const link = await invitationLink(customer);

  // The customer opens it: public, no staff chrome.
  await page.context().clearCookies();
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: surveyName })).toBeVisible();
  await expect(page.getByRole('button', { name: /^User menu/ })).toHaveCount(0);

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);

  // Sending nothing: the first required question says so and takes the focus.
  await page.getByRole('button', { name: 'Send my answers' }).click();
  const care = page.getByRole('radiogroup', { name: /cares about you/ });
  await expect(care).toHaveAccessibleDescription(/Please answer this question/);
  await expect(care.getByRole('radio').first()).toBeFocused();

  // A detractor: care 2, propensity 2, recommend 1.
  await expect(care).toHaveAccessibleDescription(/0 = not at all, 10 = completely/);
  await expect(care.getByRole('radio')).toHaveCount(11);
  await care.getByRole('radio', { name: '2', exact: true }).check();
  await page.getByRole('radiogroup', { name: /do more business/ }).getByRole('radio', { name: '2', exact: true }).check();
  await page.getByRole('radiogroup', { name: /recommend/ }).getByRole('radio', { name: '1', exact: true }).check();
  await page.getByLabel('What is the main reason for your scores?').fill('Nobody called me back.');
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Thank you — your answers help us/ })).toBeVisible();

  // The link is single-use.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'You have already answered this survey. Thank you.' })).toBeVisible();

  // The closed loop: a follow-up case for this customer, with an owner and a "contact" clock.
  const login = await request.post('/api/v1/auth/login', { data: { email: ADMIN, password: PASSWORD } });
  expect(login.ok()).toBeTruthy();
  const list = await request.get('/api/v1/cases?kind=follow_up&limit=500');
  expect(list.ok()).toBeTruthy();
  const { items } = (await list.json()) as { items: { id: string; ownerId: string | null; owner: { name: string } | null; customer: { email: string | null } }[] };
  const followUp = items.find((item) => item.customer.email?.toLowerCase() === customer);
  expect(followUp, `a follow_up case for ${customer}`).toBeTruthy();
  expect(followUp!.ownerId).toBeTruthy();
  expect(followUp!.owner?.name).toBeTruthy();
  const detail = await request.get(`/api/v1/cases/${followUp!.id}`);
  expect(detail.ok()).toBeTruthy();
  const { clocks } = (await detail.json()) as { clocks: { name: string }[] };
  expect(clocks.map((clock) => clock.name)).toContain('contact');

  // Staff see it in the closed-loop queue, and the results page shows n and hides small samples.
  await signIn(page, COMPLIANCE);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Survey follow-ups', exact: true }).click();
  const queue = page.getByRole('table', { name: 'Survey follow-ups' });
  const followUpRow = queue.getByRole('row').filter({ hasText: customer });
  await expect(followUpRow).toHaveCount(1);
  await expect(followUpRow.getByRole('link')).toHaveAttribute('href', `/cases/${followUp!.id}`);
  await expect(followUpRow).toContainText(followUp!.owner!.name);

  await page.goto('/surveys');
  await page.getByRole('link', { name: surveyName, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Results: ${surveyName}` })).toBeVisible();
  await expect(page.getByText('Based on 1 answer.')).toBeVisible();
  await expect(page.getByText('Too few answers to show').first()).toBeVisible();
  await expect(page.getByRole('article', { name: /Feeling cared for/ })).toContainText('Benchmark 6.0/10');
});

test('the response page switches language and restores a partial answer after a reload', async ({ page, request, browser }) => {
  const stamp = Date.now();
  const customer = `survey.lang.${stamp}@example.com`;
  const login = await request.post('/api/v1/auth/login', { data: { email: COMPLIANCE, password: PASSWORD } });
  expect(login.ok()).toBeTruthy();
  const headers = { 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  const fr = (en: string, frText: string) => ({ en, fr: frText });
  const created = await request.post('/api/v1/surveys', {
    headers,
    data: {
      name: `Bilingual (e2e ${stamp})`, audience: 'customers', touchpoint: 'custom',
      questions: [
        { id: 'care', kind: 'care', required: true, text: fr('How far do you feel {{company}} cares about you?', 'Dans quelle mesure {{company}} se soucie-t-elle de vous ?') },
        { id: 'why', kind: 'text', required: false, text: fr('Why?', 'Pourquoi ?') },
      ],
    },
  });
  expect(created.ok(), await created.text()).toBeTruthy();
  const { id } = (await created.json()) as { id: string };
  expect((await request.patch(`/api/v1/surveys/${id}`, { headers, data: { status: 'live' } })).ok()).toBeTruthy();
  expect((await request.post(`/api/v1/surveys/${id}/invitations`, { headers, data: { recipients: [{ email: customer }] } })).ok()).toBeTruthy();
  const link = await invitationLink(customer);

  await page.context().clearCookies();
  await page.goto(link);
  const care = page.getByRole('radiogroup', { name: /cares about you/ });
  await expect(care).toBeVisible();
  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: 'Français' }).click();
  await expect(page).toHaveURL(/[?&]lang=fr/);
  const soin = page.getByRole('radiogroup', { name: /se soucie-t-elle de vous/ });
  await expect(soin).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  // A partial answer is saved as they go, and is there again after a reload.
  await soin.getByRole('radio', { name: '3', exact: true }).check();
  await page.getByLabel('Pourquoi ?').fill('Personne ne m’a rappelé');
  await expect(page.getByRole('status').filter({ hasText: 'Vos réponses sont enregistrées' })).toBeVisible();
  await page.reload();
  await expect(soin.getByRole('radio', { name: '3', exact: true })).toBeChecked();
  await expect(page.getByLabel('Pourquoi ?')).toHaveValue('Personne ne m’a rappelé');
  await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Merci — vos réponses nous aident' })).toBeVisible();

  // Without JavaScript the same link is a plain form, in the chosen language.
  const other = `survey.nojs.${stamp}@example.com`;
  expect((await request.post(`/api/v1/surveys/${id}/invitations`, { headers, data: { recipients: [{ email: other }] } })).ok()).toBeTruthy();
  const plainLink = await invitationLink(other);
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(`${plainLink}?lang=fr`);
  await plain.getByRole('button', { name: 'Envoyer mes réponses' }).click();
  // (Playwright's text search skips <noscript>, so the error is read as the question's description.)
  const plainCare = plain.getByRole('group', { name: /se soucie-t-elle de vous/ });
  await expect(plainCare).toHaveAccessibleDescription('Merci de répondre à cette question');
  await plainCare.getByRole('radio', { name: '7', exact: true }).check();
  await plain.getByRole('button', { name: 'Envoyer mes réponses' }).click();
  await expect(plain.getByRole('heading', { level: 1, name: 'Merci — vos réponses nous aident' })).toBeVisible();
  await noJs.close();
});

/**
 * The survey builder: compliance writes a survey with a French translation and a skip rule, the
 * live preview shows it in either language and applies the rule, and the survey is published.
 */
test('build a survey in two languages with a skip rule, preview it, publish it', async ({ page, request }) => {
  const name = `Builder e2e ${Date.now()}`;
  await signIn(page, COMPLIANCE);
  await page.goto('/surveys');
  await page.getByRole('link', { name: 'Build a survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New survey' })).toBeVisible();

  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('combobox', { name: 'Add a language' }).click();
  await page.getByRole('option', { name: 'Français' }).click();
  await page.getByRole('button', { name: 'Add language' }).click();

  const q1 = page.getByRole('group', { name: 'Question 1' });
  const q2 = page.getByRole('group', { name: 'Question 2' });
  await q1.getByLabel('Question text (Français)').fill('Dans quelle mesure {{company}} se soucie-t-elle de vous ?');
  await q2.getByLabel('Question text (Français)').fill('Feriez-vous davantage affaire avec nous ?');

  // A free-text question asked only after a low care score.
  await page.getByRole('combobox', { name: 'New question kind' }).click();
  await page.getByRole('option', { name: 'Free text' }).click();
  await page.getByRole('button', { name: 'Add question' }).click();
  const q3 = page.getByRole('group', { name: 'Question 3' });
  await q3.getByLabel('Question id').fill('what_went_wrong');
  await q3.getByLabel('Question text (English)').fill('What went wrong?');
  await q3.getByLabel('Question text (Français)').fill('Qu’est-ce qui n’a pas fonctionné ?');
  await q3.getByRole('combobox', { name: 'Ask only if' }).click();
  await page.getByRole('option', { name: /^care:/ }).click();
  await q3.getByRole('combobox', { name: '…was answered with' }).click();
  for (const score of ['0', '1', '2', '3']) await page.getByRole('option', { name: score, exact: true }).click();
  await page.keyboard.press('Escape');

  // The preview: what respondents see, with the organisation's name and the rule applied.
  const preview = page.getByRole('region', { name: 'Survey preview' });
  await expect(preview.getByRole('heading', { name })).toBeVisible();
  const care = preview.getByRole('radiogroup', { name: /cares about you/ });
  await expect(care).toHaveAccessibleName('How far do you feel Harbour & Vale Bank cares about you?');
  await expect(preview.getByLabel('What went wrong?')).toHaveCount(0);
  await care.getByRole('radio', { name: '2', exact: true }).check();
  await expect(preview.getByLabel('What went wrong?')).toBeVisible();
  await care.getByRole('radio', { name: '8', exact: true }).check();
  await expect(preview.getByLabel('What went wrong?')).toHaveCount(0);

  await page.getByRole('combobox', { name: 'Preview language' }).click();
  await page.getByRole('option', { name: 'Français' }).click();
  await expect(preview.getByRole('radiogroup', { name: /se soucie-t-elle de vous/ })).toBeVisible();
  await expect(preview.getByRole('button', { name: 'Envoyer mes réponses' })).toBeVisible();

  // A bad question id comes back from the API onto its field.
  await q3.getByLabel('Question id').fill('What Went Wrong');
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(q3.getByLabel('Question id')).toHaveAccessibleDescription(/lower-case letters, digits and _/i);
  await q3.getByLabel('Question id').fill('what_went_wrong');

  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByText(`“${name}” published`)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: `Edit survey: ${name}` })).toBeVisible();
  await expect(page.getByText('This survey is live')).toBeVisible();

  // Saved as built.
  const login = await request.post('/api/v1/auth/login', { data: { email: COMPLIANCE, password: PASSWORD } });
  expect(login.ok()).toBeTruthy();
  const list = (await (await request.get('/api/v1/surveys')).json()) as { items: { name: string; status: string; questions: { id: string; text: Record<string, string>; showIf?: unknown }[] }[] };
  const saved = list.items.find((s) => s.name === name)!;
  expect(saved.status).toBe('live');
  expect(saved.questions.map((q) => q.id)).toEqual(['care', 'propensity', 'what_went_wrong']);
  expect(saved.questions[2]).toMatchObject({ text: { en: 'What went wrong?', fr: 'Qu’est-ce qui n’a pas fonctionné ?' }, showIf: { questionId: 'care', anyOf: [0, 1, 2, 3] } });
});

test('an unknown survey link says so kindly', async ({ page }) => {
  await page.goto('/s/tdv_not-a-real-link');
  await expect(page.getByRole('heading', { level: 1, name: 'This link does not work any more' })).toBeVisible();
});
