import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import { isActive } from '../cases/case.js';
import { caseStream } from '../cases/case.service.js';
import type { AppContext } from '../context.js';
import {
  caseAttachments, caseMessages, cases, caseTransfers, decisions, escalations, historyEvents, outbox, surveyInvitations, surveyResponses,
} from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { AppError } from '../server/errors.js';
import { anonymiseCase, anonymiseInvitations, deleteFiles } from './anonymise.js';
import { subjectDigest } from './redaction.js';
import { today } from './retention.service.js';

/** Who a data request is about: their e-mail or the organisation's customer reference. */
export interface DataSubject {
  email?: string;
  customerRef?: string;
}

function identifier(subject: DataSubject): string {
  const id = subject.email ?? subject.customerRef;
  if (!id) throw new AppError('validation_failed', 'Give the customer’s email or customerRef');
  return id;
}

function casesOf(organisationId: string, subject: DataSubject) {
  return inOrg(cases, organisationId, or(
    subject.email ? eq(sql`lower(${cases.customerEmail})`, subject.email.trim().toLowerCase()) : undefined,
    subject.customerRef ? eq(cases.customerRef, subject.customerRef.trim()) : undefined,
  ));
}

/** A customer's requests are recorded in a stream named by a salted digest, never by who they are. */
const subjectStream = (organisationId: string, subject: DataSubject) => `customer:${subjectDigest(organisationId, identifier(subject))}`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Everything held about a customer, as one JSON document (a subject access request). */
export async function exportCustomerData(ctx: AppContext, actor: Actor, subject: DataSubject) {
  requireRole(actor, 'admin', 'compliance');
  const org = actor.organisationId;
  identifier(subject);
  const rows = await ctx.db.select().from(cases).where(casesOf(org, subject)).orderBy(asc(cases.receivedAt));
  const ids = rows.map((c) => c.id);
  const byCase = async <T extends { caseId: string }>(load: () => Promise<T[]>) => (ids.length === 0 ? [] : load());
  const [messages, attachments, transfers, escalated, decided, events] = await Promise.all([
    byCase(() => ctx.db.select().from(caseMessages).where(inOrg(caseMessages, org, inArray(caseMessages.caseId, ids))).orderBy(asc(caseMessages.createdAt))),
    byCase(() => ctx.db.select().from(caseAttachments).where(inOrg(caseAttachments, org, inArray(caseAttachments.caseId, ids)))),
    byCase(() => ctx.db.select().from(caseTransfers).where(inOrg(caseTransfers, org, inArray(caseTransfers.caseId, ids)))),
    byCase(() => ctx.db.select().from(escalations).where(inOrg(escalations, org, inArray(escalations.caseId, ids)))),
    byCase(() => ctx.db.select().from(decisions).where(inOrg(decisions, org, inArray(decisions.caseId, ids)))),
    ids.length === 0 ? [] : ctx.db.select({ stream: historyEvents.stream, seq: historyEvents.seq, at: historyEvents.at, type: historyEvents.type, data: historyEvents.data })
      .from(historyEvents).where(inOrg(historyEvents, org, inArray(historyEvents.stream, ids.map(caseStream)))).orderBy(asc(historyEvents.stream), asc(historyEvents.seq)),
  ]);
  const emails = await ctx.db.select({ caseId: outbox.caseId, to: outbox.toAddress, subject: outbox.subject, body: outbox.body, status: outbox.status, createdAt: outbox.createdAt, sentAt: outbox.sentAt })
    .from(outbox).where(inOrg(outbox, org, or(
      ids.length > 0 ? inArray(outbox.caseId, ids) : undefined,
      subject.email ? eq(sql`lower(${outbox.toAddress})`, subject.email.trim().toLowerCase()) : undefined,
    )));
  const invitations = subject.email
    ? await ctx.db.select().from(surveyInvitations).where(inOrg(surveyInvitations, org, eq(sql`lower(${surveyInvitations.email})`, subject.email.trim().toLowerCase())))
    : [];
  const responseFilter = or(
    ids.length > 0 ? inArray(surveyResponses.caseId, ids) : undefined,
    invitations.length > 0 ? inArray(surveyResponses.invitationId, invitations.map((i) => i.id)) : undefined,
  );
  const responses = responseFilter ? await ctx.db.select().from(surveyResponses).where(inOrg(surveyResponses, org, responseFilter)) : [];
  if (rows.length === 0 && invitations.length === 0 && emails.length === 0) throw new AppError('not_found', 'No data is held about this customer');
  const of = <T extends { caseId: string | null }>(list: T[], id: string) => list.filter((x) => x.caseId === id);
  const document = {
    subject: { email: subject.email ?? null, customerRef: subject.customerRef ?? null },
    generatedAt: ctx.clock.now().toISOString(),
    cases: rows.map((c) => ({
      id: c.id, ref: c.ref, kind: c.kind, status: c.status, receivedAt: iso(c.receivedAt), closedAt: iso(c.closedAt),
      customer: { name: c.customerName, email: c.customerEmail, phone: c.customerPhone, ref: c.customerRef },
      subject: c.subject, description: c.description, channel: c.channel, product: c.product, category: c.category,
      vulnerable: c.vulnerable, vulnerabilityNote: c.vulnerabilityNote, outcome: c.outcome, resolutionSummary: c.resolutionSummary,
      redress: c.redressAmount === null ? null : { amount: c.redressAmount, kind: c.redressKind },
      retentionUntil: c.retentionUntil, legalHold: c.legalHold, anonymisedAt: iso(c.anonymisedAt),
      messages: of(messages, c.id).map((m) => ({ at: iso(m.createdAt), from: m.authorType, visibleToCustomer: m.visibleToCustomer, body: m.body })),
      attachments: of(attachments, c.id).map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256, at: iso(a.createdAt) })),
      transfers: of(transfers, c.id).map((t) => ({ at: iso(t.createdAt), state: t.state, reason: t.reason, declineReason: t.declineReason })),
      escalations: of(escalated, c.id).map((e) => ({ at: iso(e.createdAt), reason: e.reason, note: e.note, state: e.state, resolution: e.resolution })),
      decisions: of(decided, c.id).map((d) => ({ at: iso(d.createdAt), kind: d.kind, amount: d.amount, rationale: d.rationale, state: d.state })),
      history: events.filter((e) => e.stream === caseStream(c.id)).map((e) => ({ seq: e.seq, at: iso(e.at), type: e.type, data: e.data })),
    })),
    emails: emails.map((e) => ({ ...e, createdAt: iso(e.createdAt), sentAt: iso(e.sentAt) })),
    surveyInvitations: invitations.map((i) => ({ id: i.id, email: i.email, name: i.name, sentAt: iso(i.sentAt), respondedAt: iso(i.respondedAt) })),
    surveyResponses: responses.map((r) => ({ id: r.id, caseId: r.caseId, answers: r.answers, at: iso(r.createdAt) })),
  };
  await ctx.db.transaction((tx) => appendEvent(tx, {
    organisationId: org, stream: subjectStream(org, subject), type: 'customer.data_exported', actorId: actor.userId, at: ctx.clock.now(),
    data: { caseIds: ids, surveyInvitations: invitations.length },
  }));
  return document;
}

export interface ErasureRefusal {
  caseId: string;
  ref: string;
  reason: string;
}

/**
 * Erasure "where the law allows": refused (409, nothing changed, each blocking case with its
 * reason) while any case of the customer is still open, under legal hold, or — for complaints,
 * which are regulatory records — inside its retention period. Otherwise every case is anonymised
 * exactly as retention does, and the customer's survey invitations lose their address.
 */
export async function eraseCustomerData(ctx: AppContext, actor: Actor, subject: DataSubject, reason: string) {
  requireRole(actor, 'admin', 'compliance');
  const org = actor.organisationId;
  identifier(subject);
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    const rows = await tx.select().from(cases).where(casesOf(org, subject)).for('update');
    const invitationCount = subject.email
      ? (await tx.select({ n: sql<number>`count(*)::int` }).from(surveyInvitations).where(inOrg(surveyInvitations, org, eq(sql`lower(${surveyInvitations.email})`, subject.email.trim().toLowerCase()))))[0].n
      : 0;
    if (rows.length === 0 && invitationCount === 0) throw new AppError('not_found', 'No data is held about this customer');
    const refusals: ErasureRefusal[] = [];
    for (const c of rows) {
      if (isActive(c.status)) refusals.push({ caseId: c.id, ref: c.ref, reason: 'the case is still open' });
      else if (c.legalHold) refusals.push({ caseId: c.id, ref: c.ref, reason: 'the case is under legal hold' });
      else if (c.kind === 'complaint' && c.retentionUntil >= today(now)) {
        refusals.push({ caseId: c.id, ref: c.ref, reason: `complaint records must be kept until ${c.retentionUntil} (regulatory retention)` });
      }
    }
    if (refusals.length > 0) throw new AppError('conflict', 'Erasure is not allowed yet for this customer', { refusals });
    const files: string[] = [];
    const erased = rows.filter((c) => !c.anonymisedAt);
    for (const c of erased) files.push(...(await anonymiseCase(tx, org, c.id, 'erasure', actor.userId, now)).files);
    const invitations = subject.email ? await anonymiseInvitations(tx, org, subject.email) : 0;
    await appendEvent(tx, {
      organisationId: org, stream: subjectStream(org, subject), type: 'customer.erased', actorId: actor.userId, at: now,
      data: { reason, caseIds: erased.map((c) => c.id), surveyInvitations: invitations },
    });
    return { files, erasedCases: erased.map((c) => ({ caseId: c.id, ref: c.ref })), alreadyAnonymised: rows.length - erased.length, surveyInvitations: invitations };
  });
  await deleteFiles(ctx, org, result.files);
  const { files: _f, ...answer } = result;
  return answer;
}

