import { randomUUID } from 'node:crypto';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { outbox, type MailAttachment } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';

export interface OutgoingMail {
  organisationId: string;
  to: string;
  subject: string;
  body: string;
  caseId?: string;
  attachments?: MailAttachment[];
}

/** Queues a message in the caller's transaction: it is sent only if the change commits. */
export async function enqueueMail(tx: Db, mail: OutgoingMail, at: Date): Promise<string> {
  const id = randomUUID();
  await tx.insert(outbox).values({
    id, organisationId: mail.organisationId, toAddress: mail.to, subject: mail.subject, body: mail.body,
    caseId: mail.caseId ?? null, attachments: mail.attachments?.length ? mail.attachments : null, status: 'queued', nextAttemptAt: at, createdAt: at,
  });
  return id;
}

/** Give up after this many attempts (about a day with the backoff below). */
const MAX_ATTEMPTS = 12;
const BATCH = 20;

/** 1, 2, 4, … minutes, at most an hour, between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(2 ** Math.max(attempts - 1, 0), 60) * 60_000;
}

let transporter: { url: string; transport: Transporter } | undefined;
function transportFor(url: string): Transporter {
  if (transporter?.url !== url) {
    transporter = { url, transport: nodemailer.createTransport(url, {
      from: 'TrustDesk <no-reply@trustdesk.local>',
      // Fail fast: an unreachable server is retried later with backoff, not waited on.
      connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
    }) };
  }
  return transporter.transport;
}

/** A claimed message is not retried by anyone else for this long (the send's own time limit is far less). */
const LEASE_MS = 5 * 60_000;

/**
 * Sends due mail. Rows are claimed in a short transaction (FOR UPDATE SKIP LOCKED plus a lease),
 * then sent outside it, so several processes never send the same message and a slow SMTP server
 * never holds a database lock. Without SMTP_URL mail stays queued (shown in the UI).
 */
export async function deliverOutbox(ctx: AppContext): Promise<{ sent: number; failed: number }> {
  const smtpUrl = ctx.config.smtpUrl;
  if (!smtpUrl) return { sent: 0, failed: 0 };
  const transport = transportFor(smtpUrl);
  let sent = 0;
  let failed = 0;
  for (;;) {
    const now = ctx.clock.now();
    const claimed = await ctx.db.transaction(async (tx) => {
      const due = await tx.select().from(outbox)
        .where(and(eq(outbox.status, 'queued'), lte(outbox.nextAttemptAt, now)))
        .orderBy(asc(outbox.nextAttemptAt)).limit(BATCH).for('update', { skipLocked: true });
      if (due.length > 0) {
        await tx.update(outbox).set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
          .where(sql`${outbox.id} IN (${sql.join(due.map((d) => sql`${d.id}`), sql`, `)})`);
      }
      return due;
    });
    for (const mail of claimed) {
      try {
        await transport.sendMail({
          to: mail.toAddress, subject: mail.subject, text: mail.body, messageId: `<${mail.id}@trustdesk>`,
          attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })),
        });
        await ctx.db.update(outbox).set({ status: 'sent', sentAt: ctx.clock.now(), attempts: mail.attempts + 1, lastError: null })
          .where(inOrg(outbox, mail.organisationId, eq(outbox.id, mail.id)));
        sent++;
      } catch (err) {
        const attempts = mail.attempts + 1;
        await ctx.db.update(outbox).set({
          attempts, lastError: String((err as Error).message).slice(0, 500),
          status: attempts >= MAX_ATTEMPTS ? 'failed' : 'queued',
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
        }).where(inOrg(outbox, mail.organisationId, eq(outbox.id, mail.id)));
        failed++;
      }
    }
    if (claimed.length < BATCH) return { sent, failed };
  }
}

export async function countQueuedMail(db: Db, organisationId: string): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox)
    .where(inOrg(outbox, organisationId, eq(outbox.status, 'queued')));
  return n;
}
