import fs from 'node:fs/promises';
import { and, eq, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { storedFilePath } from '../storage/file-store.js';
import { caseStream } from '../cases/case.service.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import {
  caseAttachments, caseMessages, cases, caseTransfers, decisions, escalations, notifications, outbox, portalTokens,
  surveyInvitations, surveyResponses, webhookDeliveries,
} from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { redactStream } from '../history/history.service.js';
import { REDACTED, redactData } from './redaction.js';

/** What anonymising one case removed, by kind: the retention report lists it. */
export interface Removed {
  customerFields: number;
  freeTextFields: number;
  messages: number;
  attachments: number;
  transfers: number;
  escalations: number;
  decisions: number;
  emails: number;
  notifications: number;
  portalLinks: number;
  surveyAnswers: number;
  webhookPayloads: number;
  historyEvents: number;
}

export const noneRemoved = (): Removed => ({
  customerFields: 0, freeTextFields: 0, messages: 0, attachments: 0, transfers: 0, escalations: 0, decisions: 0,
  emails: 0, notifications: 0, portalLinks: 0, surveyAnswers: 0, webhookPayloads: 0, historyEvents: 0,
});

export type AnonymiseReason = 'retention' | 'erasure';

const ANONYMISED_NAME = 'Anonymised customer';

/**
 * Replaces a case's customer personal data and every free text about it, deletes its files and
 * status links, redacts its history (see redaction.ts) and records a `case.anonymised` event with
 * what was removed. Inside the caller's transaction; returns the files to delete after commit.
 * What stays: the reference, dates, unit, owner, states, outcome, redress amount and clocks —
 * the regulatory statistics — and the lessons learnt (about the process, not the customer).
 */
export async function anonymiseCase(
  tx: Db, organisationId: string, caseId: string, reason: AnonymiseReason, actorId: string | null, at: Date,
): Promise<{ removed: Removed; files: string[] }> {
  const [c] = await tx.select().from(cases).where(inOrg(cases, organisationId, eq(cases.id, caseId))).for('update');
  const count = <T>(rows: T[]) => rows.length;
  const customerFields = [c.customerName !== ANONYMISED_NAME, c.customerEmail, c.customerPhone, c.customerRef].filter(Boolean).length;
  const freeTextFields = [c.subject, c.description, c.vulnerabilityNote, c.resolutionSummary].filter((v) => v && v !== REDACTED).length;
  await tx.update(cases).set({
    subject: REDACTED, description: REDACTED, customerName: ANONYMISED_NAME, customerEmail: null, customerPhone: null,
    customerRef: null, vulnerabilityNote: null, resolutionSummary: c.resolutionSummary === null ? null : REDACTED,
    anonymisedAt: at, updatedAt: at,
  }).where(inOrg(cases, organisationId, eq(cases.id, caseId)));
  const onCase = (table: { organisationId: PgColumn; caseId: PgColumn }) => inOrg(table, organisationId, eq(table.caseId, caseId));
  const messages = count(await tx.update(caseMessages).set({ body: REDACTED }).where(onCase(caseMessages)).returning({ id: caseMessages.id }));
  const files = await tx.delete(caseAttachments).where(onCase(caseAttachments)).returning({ id: caseAttachments.id });
  const transfers = count(await tx.update(caseTransfers).set({ reason: REDACTED, declineReason: sql`CASE WHEN ${caseTransfers.declineReason} IS NULL THEN NULL ELSE ${REDACTED} END` })
    .where(onCase(caseTransfers)).returning({ id: caseTransfers.id }));
  const escalated = count(await tx.update(escalations).set({ note: REDACTED, resolution: sql`CASE WHEN ${escalations.resolution} IS NULL THEN NULL ELSE ${REDACTED} END` })
    .where(onCase(escalations)).returning({ id: escalations.id }));
  const decided = count(await tx.update(decisions).set({ rationale: REDACTED, approvalNote: sql`CASE WHEN ${decisions.approvalNote} IS NULL THEN NULL ELSE ${REDACTED} END` })
    .where(onCase(decisions)).returning({ id: decisions.id }));
  const emails = count(await tx.update(outbox).set({ toAddress: REDACTED, subject: REDACTED, body: REDACTED })
    .where(onCase(outbox)).returning({ id: outbox.id }));
  const notified = count(await tx.update(notifications).set({ title: `Case ${c.ref}`, body: REDACTED })
    .where(onCase(notifications)).returning({ id: notifications.id }));
  const portalLinks = count(await tx.delete(portalTokens).where(onCase(portalTokens)).returning({ id: portalTokens.id }));
  const answers = await tx.select({ id: surveyResponses.id, answers: surveyResponses.answers }).from(surveyResponses)
    .where(inOrg(surveyResponses, organisationId, eq(surveyResponses.caseId, caseId)));
  for (const a of answers) {
    await tx.update(surveyResponses).set({ answers: redactData(a.answers) }).where(inOrg(surveyResponses, organisationId, eq(surveyResponses.id, a.id)));
  }
  const stream = caseStream(caseId);
  const queued = await tx.select({ id: webhookDeliveries.id, payload: webhookDeliveries.payload }).from(webhookDeliveries)
    .where(inOrg(webhookDeliveries, organisationId, sql`${webhookDeliveries.payload} ->> 'stream' = ${stream}`));
  for (const d of queued) {
    await tx.update(webhookDeliveries).set({ payload: redactData(d.payload) }).where(inOrg(webhookDeliveries, organisationId, eq(webhookDeliveries.id, d.id)));
  }
  const removed: Removed = {
    customerFields, freeTextFields, messages, attachments: files.length, transfers, escalations: escalated, decisions: decided,
    emails, notifications: notified, portalLinks, surveyAnswers: answers.length, webhookPayloads: queued.length, historyEvents: 0,
  };
  await redactStream(tx, { organisationId, stream, type: 'case.anonymised', actorId, at }, (redacted) => {
    removed.historyEvents = redacted;
    return { reason, ref: c.ref, removed };
  });
  return { removed, files: files.map((f) => f.id) };
}

/** Deletes stored attachment files after the transaction that removed their rows committed. */
export async function deleteFiles(ctx: AppContext, organisationId: string, ids: string[]) {
  for (const id of ids) await fs.rm(storedFilePath(ctx.config, 'attachments', organisationId, id), { force: true });
}

/** Survey invitations of a customer (by e-mail): the address and name are replaced, answers stay anonymous. */
export async function anonymiseInvitations(tx: Db, organisationId: string, email: string): Promise<number> {
  const rows = await tx.update(surveyInvitations).set({ email: REDACTED, name: null })
    .where(and(inOrg(surveyInvitations, organisationId), eq(sql`lower(${surveyInvitations.email})`, email.toLowerCase())))
    .returning({ id: surveyInvitations.id });
  return rows.length;
}
