import { expect, test, type Page } from '@playwright/test';

/**
 * The survey builder: compliance writes a survey with a French translation and a skip rule, the
 * live preview shows it in either language and applies the rule, and the survey is published.
 */

const COMPLIANCE = 'compliance@harbourvale.example';
const PASSWORD = 'trustdesk-demo-2026';

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^User menu/ })).toBeVisible();
}

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
