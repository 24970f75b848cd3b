import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import { requireWork } from '../cases/case.access.js';
import { caseStream, loadCase } from '../cases/case.service.js';
import { calendarForUnit, listClocks, meetClocks, refreshCaseDeadline } from '../clocks/clock.service.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { caseClocks, caseMessages, historyEvents, letterTemplates, organisations, units } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { enqueueMail } from '../notify/outbox.service.js';
import { displayName, issuePortalToken, statusPath } from '../portal/portal.service.js';
import { AppError } from '../server/errors.js';
import { defaultTemplates, type LetterKind, type LetterTemplate, renderTemplate } from './letter-templates.js';

export async function templatesFor(db: Db, organisationId: string): Promise<(LetterTemplate & { custom: boolean })[]> {
  const custom = await db.select().from(letterTemplates).where(inOrg(letterTemplates, organisationId));
  return defaultTemplates.map((d) => {
    const own = custom.find((c) => c.kind === d.kind);
    return own ? { ...d, subject: own.subject, body: own.body, optional: own.optional as string[], custom: true } : { ...d, custom: false };
  });
}

export async function saveTemplate(ctx: AppContext, actor: Actor, kind: LetterKind, input: { subject: string; body: string }) {
  requireRole(actor, 'admin', 'compliance');
  const base = defaultTemplates.find((d) => d.kind === kind)!;
  const now = ctx.clock.now();
  await ctx.db.insert(letterTemplates).values({ id: randomUUID(), organisationId: actor.organisationId, kind, subject: input.subject, body: input.body, optional: base.optional, updatedAt: now })
    .onConflictDoUpdate({ target: [letterTemplates.organisationId, letterTemplates.kind], set: { subject: input.subject, body: input.body, updatedAt: now } });
  return (await templatesFor(ctx.db, actor.organisationId)).find((t) => t.kind === kind)!;
}

const outcomeWords: Record<string, string> = {
  upheld: 'we uphold your complaint', partially_upheld: 'we uphold your complaint in part', not_upheld: 'we do not uphold your complaint', resolved: 'your complaint is resolved',
};

/** The fields a letter can use: from the case, its owner and clocks, and what the sender supplies. */
async function letterValues(db: Db, ctx: AppContext, actor: Actor, caseId: string, supplied: Record<string, string>, statusUrl: string) {
  const { row } = await loadCase(db, actor, caseId);
  const c = row.c;
  const [unit] = await db.select({ timezone: units.timezone }).from(units).where(eq(units.id, c.unitId));
  const [org] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, actor.organisationId));
  const date = (d: Date | string) => DateTime.fromJSDate(new Date(d), { zone: unit.timezone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
  const finalClock = (await listClocks(db, actor.organisationId, caseId)).find((k) => k.name === 'final_response' || k.name === 'resolution');
  const [first, title] = displayName(row.ownerName, row.ownerRole, c.kind).split(', ');
  const redressWords: Record<string, string> = { compensation: 'compensation', refund: 'a refund', goodwill: 'a goodwill payment', interest: 'interest' };
  const redress = c.redressAmount ? `We will pay you £${Number(c.redressAmount).toFixed(2)} as ${redressWords[c.redressKind ?? ''] ?? 'redress'}.` : undefined;
  return {
    c, row,
    values: {
      'customer.name': c.customerName, 'case.ref': c.ref, 'case.receivedDate': date(c.receivedAt), 'owner.name': `${first} ${row.ownerName.split(' ').slice(1).join(' ')}`.trim(),
      'owner.title': title, 'organisation.name': org.name, 'deadline.finalResponse': finalClock ? date(finalClock.dueAt) : undefined,
      outcome: c.outcome ? outcomeWords[c.outcome] : undefined, summary: c.resolutionSummary ?? undefined, redress, statusUrl, today: date(ctx.clock.now()),
      ...Object.fromEntries(Object.entries(supplied).filter(([, v]) => v !== '')),
    } as Record<string, string | undefined>,
  };
}

function requireLetterFitsPolicy(template: LetterTemplate, policyKey: string | null, kind: LetterKind) {
  if (template.policy !== 'any' && template.policy !== policyKey) {
    throw new AppError('unprocessable', `A ${kind.replace('_', ' ')} letter belongs to the ${template.policy} policy; this case runs ${policyKey}`, [{ path: 'kind', message: `only for ${template.policy}` }]);
  }
}

export async function previewLetter(ctx: AppContext, actor: Actor, caseId: string, kind: LetterKind, fields: Record<string, string>) {
  const template = (await templatesFor(ctx.db, actor.organisationId)).find((t) => t.kind === kind)!;
  const { row: c } = await loadCase(ctx.db, actor, caseId);
  requireLetterFitsPolicy(template, c.c.policyKey, kind);
  const { values } = await letterValues(ctx.db, ctx, actor, caseId, fields, `${ctx.config.publicUrl}/portal/status/…`);
  return { kind, ...renderTemplate(template, values) };
}

/**
 * Sends a letter: it becomes a message the customer sees, goes out by e-mail with a status link,
 * and meets the clock it answers (acknowledgement → first response, final response → the final
 * response deadline). A holding response under fca-psd extends that deadline to 35 business days.
 */
export async function sendLetter(ctx: AppContext, actor: Actor, caseId: string, kind: LetterKind, fields: Record<string, string>) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, caseId, true);
    requireWork(actor, facts);
    const template = (await templatesFor(tx, actor.organisationId)).find((t) => t.kind === kind)!;
    requireLetterFitsPolicy(template, row.c.policyKey, kind);
    const token = row.c.customerEmail ? await issuePortalToken(tx, actor.organisationId, caseId, now) : undefined;
    const { values } = await letterValues(tx, ctx, actor, caseId, fields, token ? `${ctx.config.publicUrl}${statusPath(token)}` : 'our website');
    const letter = renderTemplate(template, values);
    if (letter.missing.length > 0) {
      throw new AppError('unprocessable', `Fill in ${letter.missing.join(', ')} before sending`, letter.missing.map((m) => ({ path: `fields.${m}`, message: 'not filled' })));
    }
    const messageId = randomUUID();
    await tx.insert(caseMessages).values({ id: messageId, organisationId: actor.organisationId, caseId, authorType: 'staff', authorId: actor.userId, body: letter.body, visibleToCustomer: true, createdAt: now });
    await appendEvent(tx, { organisationId: actor.organisationId, stream: caseStream(caseId), type: 'letter.sent', actorId: actor.userId, at: now, data: { kind, messageId, subject: letter.subject } });
    if (row.c.customerEmail) await enqueueMail(tx, { organisationId: actor.organisationId, to: row.c.customerEmail, caseId, subject: letter.subject, body: letter.body }, now);
    await meetClocks(tx, actor.organisationId, caseId, kind === 'final_response' || kind === 'summary_resolution' ? 'resolution' : 'first_response', now);
    if (kind === 'holding' && row.c.policyKey === 'fca-psd') {
      // DISP 1.6.2A: in exceptional circumstances, up to 35 business days with a holding reply.
      const calendar = await calendarForUnit(tx, actor.organisationId, row.c.unitId);
      const extended = calendar.addBusinessDays(row.c.receivedAt, 35);
      await tx.update(caseClocks).set({ dueAt: extended, nextFireAt: extended, state: 'running', warningsFired: 0, label: 'Final response (extended to 35 business days)' })
        .where(inOrg(caseClocks, actor.organisationId, eq(caseClocks.caseId, caseId), eq(caseClocks.name, 'final_response'), inArray(caseClocks.state, ['running', 'warning'])));
      await refreshCaseDeadline(tx, actor.organisationId, caseId);
      await appendEvent(tx, { organisationId: actor.organisationId, stream: caseStream(caseId), type: 'clock.extended', actorId: actor.userId, at: now, data: { clock: 'final_response', dueAt: extended.toISOString(), rule: 'DISP 1.6.2A: holding reply' } });
    }
    return { kind, subject: letter.subject, body: letter.body, messageId };
  });
}

/** Whether a final response (or summary resolution) letter went out for the case. */
export async function hasSentFinalLetter(tx: Db, organisationId: string, caseId: string): Promise<boolean> {
  const rows = await tx.select({ data: historyEvents.data }).from(historyEvents)
    .where(and(inOrg(historyEvents, organisationId, eq(historyEvents.stream, caseStream(caseId)), eq(historyEvents.type, 'letter.sent'))));
  return rows.some((r) => ['final_response', 'summary_resolution'].includes((r.data as { kind?: string }).kind ?? ''));
}
