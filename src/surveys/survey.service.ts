import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import { generateSecret, sha256 } from '../auth/secrets.js';
import { insertCase } from '../cases/case.service.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { cases, organisations, surveyDrafts, surveyInvitations, surveyResponses, surveys, surveyVersions, units, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { enqueueMail } from '../notify/outbox.service.js';
import { AppError, notFound } from '../server/errors.js';
import {
  type Answers, needsFollowUp, type Question, ratedScores, type SurveySettings, surveySettingsSchema, validateAnswers,
} from './survey-rules.js';
import { analyseAnswers, textAnswers } from './text-analysis.js';

type SurveyRow = typeof surveys.$inferSelect;
const surveyManagers = ['admin', 'compliance'] as const;

export async function loadSurvey(db: Db, organisationId: string, id: string): Promise<SurveyRow> {
  const [row] = await db.select().from(surveys).where(inOrg(surveys, organisationId, eq(surveys.id, id)));
  if (!row) throw notFound('Survey');
  return row;
}

export async function questionsOf(db: Db, s: SurveyRow, version = s.currentVersion): Promise<Question[]> {
  const [v] = await db.select().from(surveyVersions).where(inOrg(surveyVersions, s.organisationId, eq(surveyVersions.surveyId, s.id), eq(surveyVersions.version, version)));
  return v.questions as Question[];
}

async function toView(db: Db, s: SurveyRow) {
  const [{ invited, responded }] = await db.select({
    invited: sql<number>`count(*)::int`, responded: sql<number>`count(${surveyInvitations.respondedAt})::int`,
  }).from(surveyInvitations).where(inOrg(surveyInvitations, s.organisationId, eq(surveyInvitations.surveyId, s.id)));
  return {
    id: s.id, name: s.name, audience: s.audience, touchpoint: s.touchpoint, status: s.status, version: s.currentVersion,
    settings: s.settings as SurveySettings, questions: await questionsOf(db, s), invited, responded, hasPublicLink: s.publicTokenHash !== null,
    createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
  };
}

export interface SurveyInput {
  name: string;
  audience: 'customers' | 'advisers';
  touchpoint: string;
  questions: Question[];
  settings?: Partial<SurveySettings>;
}

export async function createSurvey(ctx: AppContext, actor: Actor, input: SurveyInput) {
  requireRole(actor, ...surveyManagers);
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(surveys).values({
      id, organisationId: actor.organisationId, name: input.name, audience: input.audience, touchpoint: input.touchpoint, status: 'draft',
      currentVersion: 1, settings: surveySettingsSchema.parse(input.settings ?? {}), createdAt: now, updatedAt: now,
    });
    await tx.insert(surveyVersions).values({ id: randomUUID(), organisationId: actor.organisationId, surveyId: id, version: 1, questions: input.questions, createdAt: now });
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `survey:${id}`, type: 'survey.created', actorId: actor.userId, at: now, data: { name: input.name, touchpoint: input.touchpoint } });
  });
  return getSurvey(ctx, actor, id);
}

/** Editing a live survey makes a new version; answers already given keep theirs. */
export async function updateSurvey(ctx: AppContext, actor: Actor, id: string, patch: Partial<SurveyInput> & { status?: 'draft' | 'live' | 'closed' }) {
  requireRole(actor, ...surveyManagers);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const s = await loadSurvey(tx, actor.organisationId, id);
    let version = s.currentVersion;
    if (patch.questions) {
      if (s.status === 'draft') {
        await tx.update(surveyVersions).set({ questions: patch.questions }).where(inOrg(surveyVersions, actor.organisationId, eq(surveyVersions.surveyId, id), eq(surveyVersions.version, version)));
      } else {
        version += 1;
        await tx.insert(surveyVersions).values({ id: randomUUID(), organisationId: actor.organisationId, surveyId: id, version, questions: patch.questions, createdAt: now });
      }
    }
    await tx.update(surveys).set({
      name: patch.name ?? s.name, audience: patch.audience ?? s.audience, touchpoint: patch.touchpoint ?? s.touchpoint, status: patch.status ?? s.status,
      settings: patch.settings ? surveySettingsSchema.parse({ ...(s.settings as object), ...patch.settings }) : s.settings, currentVersion: version, updatedAt: now,
    }).where(inOrg(surveys, actor.organisationId, eq(surveys.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `survey:${id}`, type: 'survey.updated', actorId: actor.userId, at: now, data: { version, status: patch.status ?? s.status } });
  });
  return getSurvey(ctx, actor, id);
}

export async function getSurvey(ctx: AppContext, actor: Actor, id: string) {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  return toView(ctx.db, await loadSurvey(ctx.db, actor.organisationId, id));
}

export async function listSurveys(ctx: AppContext, actor: Actor) {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  const rows = await ctx.db.select().from(surveys).where(inOrg(surveys, actor.organisationId)).orderBy(desc(surveys.createdAt));
  return Promise.all(rows.map((r) => toView(ctx.db, r)));
}

export interface Recipient {
  email: string;
  name?: string;
  unitId?: string;
  product?: string;
  channel?: string;
  caseId?: string;
  adviserFirm?: string;
}

/**
 * Invites people with single-use links. Anyone invited to any survey of the organisation within
 * the throttle period is skipped (and reported), so nobody is surveyed too often.
 */
export async function inviteRecipients(tx: Db, ctx: AppContext, s: SurveyRow, recipients: Recipient[], sendAt: Date) {
  const settings = s.settings as SurveySettings;
  const since = new Date(sendAt.getTime() - settings.throttleDays * 86_400_000);
  const invited: string[] = [];
  const skipped: { email: string; reason: string }[] = [];
  for (const r of recipients) {
    const [recent] = await tx.select({ id: surveyInvitations.id }).from(surveyInvitations)
      .where(inOrg(surveyInvitations, s.organisationId, eq(sql`lower(${surveyInvitations.email})`, r.email.toLowerCase()), gte(surveyInvitations.createdAt, since))).limit(1);
    if (recent || invited.includes(r.email.toLowerCase())) {
      skipped.push({ email: r.email, reason: `already invited in the last ${settings.throttleDays} days` });
      continue;
    }
    // The real link is made when the invitation is sent; until then the hash matches no link.
    await tx.insert(surveyInvitations).values({
      id: randomUUID(), organisationId: s.organisationId, surveyId: s.id, tokenHash: sha256(generateSecret('unsent')), email: r.email, name: r.name ?? null,
      segment: { unitId: r.unitId ?? null, product: r.product ?? null, channel: r.channel ?? null, caseId: r.caseId ?? null, adviserFirm: r.adviserFirm ?? null },
      createdAt: ctx.clock.now(), sendAt,
    });
    invited.push(r.email.toLowerCase());
  }
  return { invited: invited.length, skipped };
}

export async function inviteToSurvey(ctx: AppContext, actor: Actor, id: string, recipients: Recipient[]) {
  requireRole(actor, ...surveyManagers);
  const result = await ctx.db.transaction(async (tx) => {
    const s = await loadSurvey(tx, actor.organisationId, id);
    if (s.status !== 'live') throw new AppError('conflict', 'Publish the survey before inviting anyone');
    return inviteRecipients(tx, ctx, s, recipients, ctx.clock.now());
  });
  await sendDueInvitations(ctx);
  return result;
}

/** Sends invitations whose time has come, and one reminder to those who have not answered. */
export async function sendDueInvitations(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const due = await tx.select({ i: surveyInvitations, s: surveys, org: organisations.name }).from(surveyInvitations)
      .innerJoin(surveys, eq(surveys.id, surveyInvitations.surveyId)).innerJoin(organisations, eq(organisations.id, surveyInvitations.organisationId))
      .where(and(isNull(surveyInvitations.sentAt), lte(surveyInvitations.sendAt, now), eq(surveys.status, 'live')))
      .limit(500).for('update', { of: surveyInvitations, skipLocked: true });
    for (const { i, org } of due) {
      // The link exists only in the e-mail: the table keeps its SHA-256.
      const token = generateSecret('tdv');
      await enqueueMail(tx, { organisationId: i.organisationId, to: i.email, subject: `${org}: how did we do?`, body: invitationText(ctx, org, i.name, token) }, now);
      await tx.update(surveyInvitations).set({ sentAt: now, tokenHash: sha256(token) }).where(inOrg(surveyInvitations, i.organisationId, eq(surveyInvitations.id, i.id)));
    }
    const settings = (x: typeof surveys.$inferSelect) => x.settings as SurveySettings;
    const unanswered = await tx.select({ i: surveyInvitations, s: surveys, org: organisations.name }).from(surveyInvitations)
      .innerJoin(surveys, eq(surveys.id, surveyInvitations.surveyId)).innerJoin(organisations, eq(organisations.id, surveyInvitations.organisationId))
      .where(and(isNotNull(surveyInvitations.sentAt), isNull(surveyInvitations.respondedAt), isNull(surveyInvitations.remindedAt), eq(surveys.status, 'live')))
      .limit(500).for('update', { of: surveyInvitations, skipLocked: true });
    let reminded = 0;
    for (const { i, s, org } of unanswered) {
      const days = settings(s).reminderDays;
      if (days === 0 || now.getTime() - i.sentAt!.getTime() < days * 86_400_000) continue;
      const token = generateSecret('tdv');
      await enqueueMail(tx, { organisationId: i.organisationId, to: i.email, subject: `Reminder: ${org} would like to know how we did`, body: invitationText(ctx, org, i.name, token) }, now);
      await tx.update(surveyInvitations).set({ remindedAt: now, reminderTokenHash: sha256(token) }).where(inOrg(surveyInvitations, i.organisationId, eq(surveyInvitations.id, i.id)));
      reminded++;
    }
    return due.length + reminded;
  });
}

function invitationText(ctx: AppContext, org: string, name: string | null, token: string) {
  return `${name ? `Dear ${name},` : 'Hello,'}\n\n${org} would like to know how we did. It takes two minutes:\n\n${ctx.config.publicUrl}/s/${token}\n\nThank you.`;
}

type Link = { i: typeof surveyInvitations.$inferSelect | null; s: SurveyRow };

/** A personal link (first or reminder) or a survey's anonymous public link. */
async function linkForToken(db: Db, token: string): Promise<Link> {
  const hash = sha256(token);
  const [personal] = await db.select({ i: surveyInvitations, s: surveys }).from(surveyInvitations)
    .innerJoin(surveys, eq(surveys.id, surveyInvitations.surveyId))
    .where(or(eq(surveyInvitations.tokenHash, hash), eq(surveyInvitations.reminderTokenHash, hash)));
  if (personal) {
    if (personal.s.status === 'closed') throw notFound('Survey');
    return personal;
  }
  const [open] = await db.select().from(surveys).where(eq(surveys.publicTokenHash, hash));
  if (!open || open.status !== 'live') throw notFound('Survey');
  return { i: null, s: open };
}

/** The languages a survey's questions are written in, English first. */
export function surveyLanguages(questions: Question[]): string[] {
  const all = new Set<string>(['en']);
  for (const q of questions) {
    for (const l of Object.keys(q.text)) all.add(l);
  }
  // A language counts only when every question (and option) has it, so nobody sees a mixed page.
  return [...all].filter((l) => questions.every((q) => l in q.text && (q.options ?? []).every((o) => l in o.text)));
}

/**
 * What the response page shows: the questions in the chosen language (or, failing that, the
 * best of the browser's languages, then English), whether it was answered, and the saved draft.
 */
export async function publicSurvey(ctx: AppContext, token: string, requested?: string, acceptLanguage?: string) {
  const { i, s } = await linkForToken(ctx.db, token);
  const [org] = await ctx.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, s.organisationId));
  const questions = await questionsOf(ctx.db, s);
  const languages = surveyLanguages(questions);
  const lang = pickLanguage(languages, requested, acceptLanguage);
  const say = (t: Record<string, string>) => (t[lang] ?? t.en).replace(/\{\{company\}\}/g, org.name);
  let draft: Answers | null = null;
  if (i && !i.respondedAt) {
    const [saved] = await ctx.db.select({ answers: surveyDrafts.answers }).from(surveyDrafts).where(inOrg(surveyDrafts, s.organisationId, eq(surveyDrafts.invitationId, i.id)));
    draft = (saved?.answers as Answers | undefined) ?? null;
  }
  return {
    organisation: { name: org.name }, name: s.name, answered: i?.respondedAt != null, lang, languages, canSaveDraft: i !== null, draft,
    questions: questions.map((q) => ({
      id: q.id, kind: q.kind, text: say(q.text), required: q.required, showIf: q.showIf ?? null,
      options: q.options?.map((o) => ({ value: o.value, text: say(o.text) })) ?? null,
    })),
  };
}

/** `?lang=` when the survey has it, else the first of Accept-Language it has, else English. */
export function pickLanguage(languages: string[], requested: string | undefined, acceptLanguage: string | undefined): string {
  const base = (tag: string) => tag.trim().split(';')[0].trim().toLowerCase().split('-')[0];
  if (requested && languages.includes(base(requested))) return base(requested);
  for (const tag of (acceptLanguage ?? '').split(',')) if (languages.includes(base(tag))) return base(tag);
  return 'en';
}

/**
 * Saves a respondent's answers so far (personal links only: an anonymous link is shared, so its
 * answers stay in the browser). Checked like a submission but nothing is required yet.
 */
export async function saveDraft(ctx: AppContext, token: string, answers: Answers) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { i, s } = await linkForToken(tx, token);
    if (!i) throw new AppError('conflict', 'Answers through an anonymous link are kept in your browser only');
    if (i.respondedAt) throw new AppError('conflict', 'This link has already been used to answer; thank you');
    const errors = validateAnswers(await questionsOf(tx, s), answers, { partial: true });
    if (errors.length > 0) throw new AppError('unprocessable', 'Some answers need another look', errors);
    await tx.insert(surveyDrafts).values({ organisationId: s.organisationId, invitationId: i.id, answers, updatedAt: now })
      .onConflictDoUpdate({ target: [surveyDrafts.organisationId, surveyDrafts.invitationId], set: { answers, updatedAt: now } });
  });
}

/** Saves an answer: once per link; a low score opens a follow-up case with an owner and a clock. */
export async function submitResponse(ctx: AppContext, token: string, answers: Answers) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { i, s } = await linkForToken(tx, token);
    if (i) {
      const [locked] = await tx.select().from(surveyInvitations).where(eq(surveyInvitations.id, i.id)).for('update');
      if (locked.respondedAt) throw new AppError('conflict', 'This link has already been used to answer; thank you');
    }
    const questions = await questionsOf(tx, s);
    const errors = validateAnswers(questions, answers, { partial: false });
    if (errors.length > 0) throw new AppError('unprocessable', 'Some answers need another look', errors);
    const scores = ratedScores(questions, answers);
    const texts = textAnswers(questions, answers);
    const segment = (i?.segment ?? {}) as { unitId?: string | null; product?: string | null; channel?: string | null; caseId?: string | null };
    const id = randomUUID();
    await tx.insert(surveyResponses).values({
      id, organisationId: s.organisationId, surveyId: s.id, version: s.currentVersion, invitationId: i?.id ?? null, answers, ...scores,
      unitId: segment.unitId ?? null, product: segment.product ?? null, channel: segment.channel ?? null, touchpoint: s.touchpoint,
      caseId: segment.caseId ?? null, ...analyseAnswers(texts), createdAt: now,
    });
    if (i) {
      await tx.update(surveyInvitations).set({ respondedAt: now }).where(eq(surveyInvitations.id, i.id));
      await tx.delete(surveyDrafts).where(inOrg(surveyDrafts, s.organisationId, eq(surveyDrafts.invitationId, i.id)));
    }
    const reason = needsFollowUp(scores, s.settings as SurveySettings);
    let followUp: { ref: string } | undefined;
    // An anonymous answer has nobody to call back; it still counts in the results.
    if (reason && i) followUp = await openFollowUp(tx, ctx, { organisationId: s.organisationId, responseId: id, surveyName: s.name, reason, email: i.email, name: i.name, segment });
    return { id, followUp: followUp ? true : false };
  });
}

/**
 * The closed loop: a follow-up case owned by the related case's owner (or the unit's lead), with
 * the "contact within 2 business days" clock of the follow-up policy.
 */
async function openFollowUp(tx: Db, ctx: AppContext, r: { organisationId: string; responseId: string; surveyName: string; reason: string; email: string; name: string | null; segment: { unitId?: string | null; caseId?: string | null; product?: string | null } }) {
  let ownerId: string | undefined;
  let unitId = r.segment.unitId ?? undefined;
  if (r.segment.caseId) {
    const [related] = await tx.select({ ownerId: cases.ownerId, unitId: cases.unitId, active: users.active }).from(cases)
      .innerJoin(users, eq(users.id, cases.ownerId)).where(inOrg(cases, r.organisationId, eq(cases.id, r.segment.caseId)));
    if (related?.active) ownerId = related.ownerId;
    unitId ??= related?.unitId;
  }
  if (!unitId) {
    const [root] = await tx.select({ id: units.id }).from(units).where(inOrg(units, r.organisationId, eq(units.depth, 0)));
    unitId = root.id;
  }
  if (!ownerId) {
    const [lead] = await tx.select({ id: users.id }).from(users).where(inOrg(users, r.organisationId, eq(users.unitId, unitId), eq(users.role, 'lead'), eq(users.active, true))).limit(1);
    ownerId = lead?.id;
  }
  if (!ownerId) {
    // Nobody in the unit: the customer's answers are never refused for want of staff; compliance (or an admin) owns the call.
    for (const role of ['compliance', 'admin'] as const) {
      const [person] = await tx.select({ id: users.id }).from(users).where(inOrg(users, r.organisationId, eq(users.role, role), eq(users.active, true))).orderBy(users.name).limit(1);
      if (person && !ownerId) ownerId = person.id;
    }
  }
  const created = await insertCase(tx, ctx, { system: { organisationId: r.organisationId, source: `survey:${r.responseId}` } }, {
    kind: 'follow_up', channel: 'survey', unitId, ownerId, product: r.segment.product ?? null,
    subject: `Follow up a low survey score (${r.surveyName})`,
    description: `The customer gave ${r.reason}. Contact them, listen, put right what can be, and record what was done.${r.segment.caseId ? `\nRelated case: ${r.segment.caseId}` : ''}`,
    customer: { name: r.name ?? r.email, email: r.email },
  });
  await tx.update(surveyResponses).set({ followUpCaseId: created.id }).where(inOrg(surveyResponses, r.organisationId, eq(surveyResponses.id, r.responseId)));
  return created;
}

/** When a case is resolved, a live survey with the trigger invites its customer after the delay. */
export async function inviteAfterResolution(tx: Db, ctx: AppContext, c: { organisationId: string; id: string; customerEmail: string | null; customerName: string; unitId: string; product: string | null; channel: string }) {
  if (!c.customerEmail) return;
  const live = await tx.select().from(surveys).where(inOrg(surveys, c.organisationId, eq(surveys.status, 'live'), eq(surveys.audience, 'customers')));
  const survey = live.find((s) => (s.settings as SurveySettings).triggerOnResolution);
  if (!survey) return;
  const delay = (survey.settings as SurveySettings).triggerDelayHours * 3_600_000;
  await inviteRecipients(tx, ctx, survey, [{ email: c.customerEmail, name: c.customerName, unitId: c.unitId, product: c.product ?? undefined, channel: c.channel, caseId: c.id }], new Date(ctx.clock.now().getTime() + delay));
}

/** A new anonymous link for a survey (replacing any earlier one); shown once. */
export async function createPublicLink(ctx: AppContext, actor: Actor, id: string) {
  requireRole(actor, ...surveyManagers);
  const token = generateSecret('tdv');
  await ctx.db.transaction(async (tx) => {
    await loadSurvey(tx, actor.organisationId, id);
    await tx.update(surveys).set({ publicTokenHash: sha256(token), updatedAt: ctx.clock.now() }).where(inOrg(surveys, actor.organisationId, eq(surveys.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `survey:${id}`, type: 'survey.public_link_created', actorId: actor.userId, at: ctx.clock.now(), data: {} });
  });
  return { url: `${ctx.config.publicUrl}/s/${token}` };
}

export async function removePublicLink(ctx: AppContext, actor: Actor, id: string) {
  requireRole(actor, ...surveyManagers);
  await loadSurvey(ctx.db, actor.organisationId, id);
  await ctx.db.update(surveys).set({ publicTokenHash: null, updatedAt: ctx.clock.now() }).where(inOrg(surveys, actor.organisationId, eq(surveys.id, id)));
}

/**
 * Recipients from a CSV file (columns: email, and optionally name, unit, product, case): every row
 * is checked first, with its line number; one bad row and nobody is invited.
 */
export async function recipientsFromCsv(ctx: AppContext, actor: Actor, text: string): Promise<Recipient[]> {
  const { parse } = await import('csv-parse/sync');
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new AppError('unprocessable', `The file is not valid CSV: ${(err as Error).message}`);
  }
  if (rows.length === 0 || !('email' in rows[0])) throw new AppError('unprocessable', 'The file needs a header row with an "email" column');
  const unitRows = await ctx.db.select({ id: units.id, name: units.name }).from(units).where(inOrg(units, actor.organisationId));
  const errors: { path: string; message: string }[] = [];
  const recipients: Recipient[] = [];
  for (const [index, row] of rows.entries()) {
    const line = index + 2;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(row.email ?? '')) { errors.push({ path: `line ${line}`, message: 'not an e-mail address' }); continue; }
    const unit = row.unit ? unitRows.find((u) => u.name.toLowerCase() === row.unit.toLowerCase()) : undefined;
    if (row.unit && !unit) { errors.push({ path: `line ${line}`, message: `no unit named "${row.unit}"` }); continue; }
    let caseId: string | undefined;
    if (row.case) {
      const [c] = await ctx.db.select({ id: cases.id }).from(cases).where(inOrg(cases, actor.organisationId, eq(cases.ref, row.case)));
      if (!c) { errors.push({ path: `line ${line}`, message: `no case ${row.case}` }); continue; }
      caseId = c.id;
    }
    recipients.push({ email: row.email, name: row.name || undefined, unitId: unit?.id, product: row.product || undefined, caseId });
  }
  if (errors.length > 0) throw new AppError('unprocessable', `${errors.length} row(s) need another look; nobody was invited`, errors);
  return recipients;
}

/**
 * Analyses the comments of responses saved before free-text analysis existed (or imported), a
 * batch at a time; a response without comments is marked analysed with an empty object.
 */
export async function analysePendingResponses(ctx: AppContext): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const pending = await tx.select({ id: surveyResponses.id, organisationId: surveyResponses.organisationId, surveyId: surveyResponses.surveyId, version: surveyResponses.version, answers: surveyResponses.answers })
      .from(surveyResponses).where(isNull(surveyResponses.textAnalysis)).limit(500).for('update', { skipLocked: true });
    const questionCache = new Map<string, Question[]>();
    for (const p of pending) {
      const key = `${p.surveyId}:${p.version}`;
      if (!questionCache.has(key)) {
        const [v] = await tx.select({ questions: surveyVersions.questions }).from(surveyVersions)
          .where(inOrg(surveyVersions, p.organisationId, eq(surveyVersions.surveyId, p.surveyId), eq(surveyVersions.version, p.version)));
        questionCache.set(key, (v?.questions as Question[] | undefined) ?? []);
      }
      await tx.update(surveyResponses).set(analyseAnswers(textAnswers(questionCache.get(key)!, p.answers as Answers)))
        .where(inOrg(surveyResponses, p.organisationId, eq(surveyResponses.id, p.id)));
    }
    return pending.length;
  });
}
