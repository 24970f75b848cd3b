import { randomUUID } from 'node:crypto';
import { asc, eq, gte, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import { generateSecret, sha256 } from '../auth/secrets.js';
import { storeAttachment } from '../cases/attachment.service.js';
import { caseStream, insertCase } from '../cases/case.service.js';
import { listClocks, resumeClocks } from '../clocks/clock.service.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { caseAttachments, caseMessages, cases, escalations, organisations, portalTokens, units, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { raiseEscalation } from '../escalations/escalation.service.js';
import { appendEvent, listStreamEvents } from '../history/history.service.js';
import { notify } from '../notify/notification.service.js';
import { enqueueMail } from '../notify/outbox.service.js';
import { findOrganisationBySlug, listOrganisations } from '../org/organisation.service.js';
import { getSettings } from '../org/settings.js';
import { AppError, notFound } from '../server/errors.js';

/** One e-mail address may file this many complaints an hour through the portal (abuse guard beside the per-address rate limit). */
const PER_EMAIL_PER_HOUR = 5;

export async function issuePortalToken(tx: Db, organisationId: string, caseId: string, at: Date): Promise<string> {
  const token = generateSecret('tdp');
  await tx.insert(portalTokens).values({ id: randomUUID(), organisationId, caseId, tokenHash: sha256(token), createdAt: at });
  return token;
}

export const statusPath = (token: string) => `/portal/status/${token}`;

async function portalOrganisation(db: Db, slug?: string) {
  const org = slug ? await findOrganisationBySlug(db, slug) : (await listOrganisations(db))[0];
  if (!org) throw notFound('Organisation');
  return org;
}

/** Portal complaints go to the configured unit, or the first team of the organisation. */
export async function intakeUnit(db: Db, organisationId: string): Promise<string> {
  const settings = (await db.select({ s: organisations.settings }).from(organisations).where(eq(organisations.id, organisationId)))[0]?.s as { portalUnitId?: string } | undefined;
  if (settings?.portalUnitId) return settings.portalUnitId;
  const [team] = await db.select({ id: units.id }).from(units).where(inOrg(units, organisationId, eq(units.kind, 'team'))).orderBy(asc(units.path)).limit(1);
  const [root] = await db.select({ id: units.id }).from(units).where(inOrg(units, organisationId, eq(units.depth, 0)));
  return team?.id ?? root.id;
}

export async function portalProducts(ctx: AppContext, slug?: string) {
  const org = await portalOrganisation(ctx.db, slug);
  const settings = await getSettings(ctx.db, org.id);
  const fromCases = await ctx.db.selectDistinct({ product: cases.product }).from(cases)
    .where(inOrg(cases, org.id, sql`${cases.product} IS NOT NULL`)).limit(50);
  const products = settings.products.length > 0 ? settings.products : fromCases.map((p) => p.product!).sort();
  return { organisation: { name: org.name }, products };
}

export interface PortalComplaint {
  name: string;
  email: string;
  phone?: string | null;
  customerRef?: string | null;
  product?: string | null;
  whatHappened: string;
  desiredOutcome?: string | null;
  preferredContact: 'email' | 'phone' | 'letter';
  needsSupport: boolean;
  supportNote?: string | null;
}

/** A complaint from the public form: the same intake as staff use (routed, clocks started), plus a status link. */
export async function fileComplaint(ctx: AppContext, input: PortalComplaint, orgSlug?: string) {
  const org = await portalOrganisation(ctx.db, orgSlug);
  const now = ctx.clock.now();
  const [{ recent }] = await ctx.db.select({ recent: sql<number>`count(*)::int` }).from(cases)
    .where(inOrg(cases, org.id, eq(sql`lower(${cases.customerEmail})`, input.email.toLowerCase()), eq(cases.channel, 'web'), gte(cases.createdAt, new Date(now.getTime() - 3_600_000))));
  if (recent >= PER_EMAIL_PER_HOUR) throw new AppError('rate_limited', 'You have sent several complaints in a short time; please wait before sending another');
  const unitId = await intakeUnit(ctx.db, org.id);
  const description = [
    input.whatHappened,
    input.desiredOutcome ? `\nWhat would put it right: ${input.desiredOutcome}` : '',
    `\nPreferred contact: ${input.preferredContact}`,
  ].join('');
  const subject = input.whatHappened.split(/[.!?\n]/)[0].slice(0, 120).trim() || 'Complaint';
  return ctx.db.transaction(async (tx) => {
    const c = await insertCase(tx, ctx, { system: { organisationId: org.id, source: 'portal' } }, {
      subject, description, kind: 'complaint', channel: 'web', unitId,
      customer: { name: input.name, email: input.email, phone: input.phone ?? null, ref: input.customerRef ?? null },
      product: input.product ?? null, vulnerable: input.needsSupport, vulnerabilityNote: input.needsSupport ? (input.supportNote || 'Asked for extra support') : null,
    });
    const token = await issuePortalToken(tx, org.id, c.id, now);
    const [owner] = await tx.select({ name: users.name, role: users.role }).from(users).where(eq(users.id, c.ownerId));
    await enqueueMail(tx, {
      organisationId: org.id, to: input.email, caseId: c.id,
      subject: `We have your complaint ${c.ref}`,
      body: `Dear ${input.name},\n\nThank you for telling us about this. Your reference is ${c.ref}. ${displayName(owner.name, owner.role, 'complaint')} is looking after your complaint.\n\nYou can see what happens next, and write to us, here:\n${ctx.config.publicUrl}${statusPath(token)}\n\n${org.name}`,
    }, now);
    await notify(tx, {
      organisationId: org.id, userIds: [c.ownerId], kind: 'new_case', caseId: c.id,
      title: `New complaint from the portal: ${c.ref}`, body: `${input.name}: "${subject}"${input.needsSupport ? ' — the customer asked for extra support' : ''}`,
    }, now, ctx.config.publicUrl);
    return { ref: c.ref, statusUrl: statusPath(token), token };
  });
}

const roleTitles: Record<string, string> = {
  agent: 'Specialist', lead: 'Team Leader', compliance: 'Complaints Manager', admin: 'Customer Relations', executive: 'Executive',
};

/** "Priya, Complaints Specialist": a named person, never a queue, and never their e-mail address. */
export function displayName(name: string, role: string, kind: string) {
  const first = name.split(/\s+/)[0];
  const title = role === 'agent' ? (kind === 'complaint' ? 'Complaints Specialist' : 'Customer Care Specialist') : roleTitles[role] ?? 'Customer Relations';
  return `${first}, ${title}`;
}

function person(name: string, role: string, kind: string) {
  const [displayNameText, roleText] = displayName(name, role, kind).split(', ');
  return { displayName: displayNameText, role: roleText };
}

/** Resolves a link to its case. A random, revoked or expired token is the same 404, by the same path. */
async function caseForToken(ctx: AppContext, token: string, now: Date) {
  const db = ctx.db;
  const [row] = await db.select({ c: cases, revokedAt: portalTokens.revokedAt }).from(portalTokens)
    .innerJoin(cases, eq(cases.id, portalTokens.caseId))
    .where(eq(portalTokens.tokenHash, sha256(token)));
  const expired = row?.c.closedAt && now.getTime() - row.c.closedAt.getTime() > ctx.config.portalLinkDays * 86_400_000;
  if (!row || row.revokedAt || expired) throw notFound('Page');
  return row.c;
}

const stages = {
  received: 'We have received it', being_looked_into: 'We are looking into it', waiting_for_you: 'We are waiting for you',
  answered: 'We have answered', closed: 'Closed',
} as const;

/** What the customer sees of a history event; internal events are left out. */
function customerText(type: string, data: Record<string, unknown>, names: Map<string, string>): string | undefined {
  const who = (id: unknown) => names.get(String(id)) ?? 'A colleague';
  switch (type) {
    case 'case.created': return 'We received your complaint';
    case 'message.sent': return 'We wrote to you';
    case 'customer.message': return 'You wrote to us';
    case 'case.owner_changed': return `${who(data.to)} is now looking after your complaint`;
    case 'case.status_changed':
      if (data.to === 'waiting_customer') return 'We asked you for information';
      if (data.to === 'closed') return 'Your complaint was closed';
      return undefined;
    case 'case.resolved': return 'We sent you our final response';
    case 'case.reopened': return 'We reopened your complaint';
    case 'escalation.raised': return data.reason === 'customer_request' ? `You asked to speak to a manager: ${who(data.toUserId)} is looking at it` : undefined;
    default: return undefined;
  }
}

export async function statusView(ctx: AppContext, token: string) {
  const now = ctx.clock.now();
  const c = await caseForToken(ctx, token, now);
  const [org] = await ctx.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, c.organisationId));
  const staff = await ctx.db.select({ id: users.id, name: users.name, role: users.role }).from(users).where(inOrg(users, c.organisationId));
  const names = new Map(staff.map((s) => [s.id, displayName(s.name, s.role, c.kind)]));
  const owner = staff.find((s) => s.id === c.ownerId)!;
  const clocks = (await listClocks(ctx.db, c.organisationId, c.id)).filter((k) => !k.informational);
  const clockRows = await ctx.db.execute(sql`SELECT name, customer_text FROM case_clocks WHERE organisation_id = ${c.organisationId} AND case_id = ${c.id}`);
  const texts = new Map((clockRows as unknown as { rows: { name: string; customer_text: string }[] }).rows.map((r) => [r.name, r.customer_text]));
  const events = await listStreamEvents(ctx.db, c.organisationId, caseStream(c.id));
  const firstReply = events.some((e) => e.type === 'message.sent');
  const stage: keyof typeof stages = c.status === 'closed' ? 'closed' : c.status === 'resolved' ? 'answered' : c.status === 'waiting_customer' ? 'waiting_for_you' : firstReply ? 'being_looked_into' : 'received';
  const pending = clocks.filter((k) => !k.metAt && (k.state === 'running' || k.state === 'warning' || k.state === 'breached')).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  let nextStep: string;
  let nextStepBy: string | null = null;
  if (stage === 'closed') nextStep = 'Your complaint is closed. You can still write to us here if something is not right.';
  else if (stage === 'answered') nextStep = 'We have sent you our final response. If you are not happy with it, you can refer your complaint to the Financial Ombudsman Service within six months.';
  else if (stage === 'waiting_for_you') nextStep = `We are waiting for your reply. ${owner.name.split(' ')[0]} will pick it up as soon as you write.`;
  else if (pending[0]?.state === 'breached') nextStep = `We are late, and we are sorry: ${owner.name.split(' ')[0]} is working on your complaint now and a manager has been told.`;
  else if (pending[0]) {
    nextStep = texts.get(pending[0].name) ?? 'We will get back to you';
    nextStepBy = pending[0].dueAt;
  } else nextStep = `${owner.name.split(' ')[0]} is working on your complaint.`;
  const messages = await ctx.db.select().from(caseMessages)
    .where(inOrg(caseMessages, c.organisationId, eq(caseMessages.caseId, c.id), eq(caseMessages.visibleToCustomer, true)))
    .orderBy(asc(caseMessages.createdAt));
  const documents = await ctx.db.select({ filename: caseAttachments.filename, size: caseAttachments.size, at: caseAttachments.createdAt, uploadedBy: caseAttachments.uploadedBy })
    .from(caseAttachments).where(inOrg(caseAttachments, c.organisationId, eq(caseAttachments.caseId, c.id), eq(caseAttachments.visibleToCustomer, true)))
    .orderBy(asc(caseAttachments.createdAt));
  const [manager] = await ctx.db.select({ toUserId: escalations.toUserId }).from(escalations)
    .where(inOrg(escalations, c.organisationId, eq(escalations.caseId, c.id), eq(escalations.reason, 'customer_request'), sql`${escalations.state} <> 'resolved'`)).limit(1);
  const managerPerson = manager ? staff.find((s) => s.id === manager.toUserId) : undefined;
  return {
    ref: c.ref, organisation: { name: org.name }, subject: c.subject, stage, stageLabel: stages[stage],
    owner: person(owner.name, owner.role, c.kind),
    nextStep, nextStepBy,
    commitments: clocks.map((k) => ({
      label: texts.get(k.name) ?? k.label, dueAt: k.dueAt,
      state: k.state === 'breached' ? 'missed' as const : k.metAt ? 'kept' as const : 'open' as const,
    })),
    timeline: events.map((e) => ({ at: e.at, text: customerText(e.type, (e.data ?? {}) as Record<string, unknown>, names) })).filter((e): e is { at: string; text: string } => !!e.text),
    messages: messages.map((m) => ({
      id: m.id, from: m.authorType === 'customer' ? 'you' as const : 'us' as const,
      authorName: m.authorType === 'customer' ? null : (names.get(m.authorId ?? '')?.split(',')[0] ?? null), body: m.body, at: m.createdAt.toISOString(),
    })),
    managerRequested: managerPerson ? person(managerPerson.name, managerPerson.role, c.kind) : null,
    documents: documents.map((d) => ({ filename: d.filename, size: d.size, at: d.at.toISOString(), from: d.uploadedBy ? 'us' as const : 'you' as const })),
  };
}

/** A customer's reply lands on the case, tells the owner, and ends "waiting for you". */
export async function customerReply(ctx: AppContext, token: string, body: string) {
  const now = ctx.clock.now();
  const c = await caseForToken(ctx, token, now);
  const id = randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(caseMessages).values({ id, organisationId: c.organisationId, caseId: c.id, authorType: 'customer', authorId: null, body, visibleToCustomer: true, createdAt: now });
    await appendEvent(tx, { organisationId: c.organisationId, stream: caseStream(c.id), type: 'customer.message', actorId: null, at: now, data: { messageId: id, length: body.length } });
    const set: Partial<typeof cases.$inferSelect> = { updatedAt: now };
    if (c.status === 'waiting_customer') {
      const resumed = await resumeClocks(tx, c.organisationId, { id: c.id, unitId: c.unitId }, now);
      set.status = 'open';
      await appendEvent(tx, { organisationId: c.organisationId, stream: caseStream(c.id), type: 'case.status_changed', actorId: null, at: now, data: { from: 'waiting_customer', to: 'open', reason: 'customer replied', resumedClocks: resumed } });
    }
    // A reply after the answer is not lost either: the owner is told; reopening stays a person's decision.
    await tx.update(cases).set(set).where(inOrg(cases, c.organisationId, eq(cases.id, c.id)));
    await notify(tx, {
      organisationId: c.organisationId, userIds: [c.ownerId], kind: 'customer_message', caseId: c.id,
      title: `${c.customerName} replied on ${c.ref}`, body: body.slice(0, 300),
    }, now, ctx.config.publicUrl);
  });
  return { id, from: 'you' as const, authorName: null, body, at: now.toISOString() };
}

/** "I'd like to speak to a manager": an escalation up the ladder, and the customer is told to whom. */
export async function askForManager(ctx: AppContext, token: string, note?: string) {
  const now = ctx.clock.now();
  const c = await caseForToken(ctx, token, now);
  const escalation = await ctx.db.transaction(async (tx) => {
    const [open] = await tx.select().from(escalations)
      .where(inOrg(escalations, c.organisationId, eq(escalations.caseId, c.id), eq(escalations.reason, 'customer_request'), sql`${escalations.state} <> 'resolved'`));
    if (open) return open;
    return raiseEscalation(tx, ctx, { organisationId: c.organisationId, caseId: c.id, reason: 'customer_request', createdBy: null, note: note?.trim() ? `The customer wrote: "${note.trim()}"` : 'The customer asked to speak to a manager on the status page.' });
  });
  const [to] = await ctx.db.select({ name: users.name, role: users.role }).from(users).where(eq(users.id, escalation.toUserId));
  return { to: person(to.name, to.role, c.kind) };
}

/** Staff revoke a case's links (e.g. sent to the wrong address); the customer gets a new one by e-mail. */
export async function revokePortalLinks(tx: Db, organisationId: string, caseId: string, at: Date) {
  await tx.update(portalTokens).set({ revokedAt: at }).where(inOrg(portalTokens, organisationId, eq(portalTokens.caseId, caseId), isNull(portalTokens.revokedAt)));
}


export async function setPortalUnit(ctx: AppContext, actor: Actor, unitId: string) {
  requireRole(actor, 'admin');
  await ctx.db.transaction(async (tx) => {
    const [unit] = await tx.select({ id: units.id }).from(units).where(inOrg(units, actor.organisationId, eq(units.id, unitId)));
    if (!unit) throw new AppError('unprocessable', 'The unit does not exist', [{ path: 'unitId', message: 'unknown unit' }]);
    await tx.update(organisations).set({ settings: sql`${organisations.settings} || ${JSON.stringify({ portalUnitId: unitId })}::jsonb` }).where(eq(organisations.id, actor.organisationId));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `organisation:${actor.organisationId}`, type: 'settings.portal_changed', actorId: actor.userId, at: ctx.clock.now(), data: { unitId } });
  });
  return { unitId };
}

/** A document from the customer, checked like any attachment, visible to them on the status page. */
export async function customerAttachment(ctx: AppContext, token: string, file: { filename: string; declaredType: string; bytes: Buffer }) {
  const c = await caseForToken(ctx, token, ctx.clock.now());
  const stored = await storeAttachment(ctx, { organisationId: c.organisationId, caseId: c.id, uploadedBy: null }, { ...file, visibleToCustomer: true });
  await ctx.db.transaction((tx) => notify(tx, {
    organisationId: c.organisationId, userIds: [c.ownerId], kind: 'customer_message', caseId: c.id,
    title: `${c.customerName} sent a document on ${c.ref}`, body: stored.filename,
  }, ctx.clock.now(), ctx.config.publicUrl));
  return { filename: stored.filename, size: stored.size, at: stored.createdAt };
}
