import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { notifications, outbox, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { notFound } from '../server/errors.js';
import { enqueueMail } from './outbox.service.js';

export interface Notice {
  organisationId: string;
  userIds: string[];
  kind: string;
  title: string;
  body: string;
  caseId?: string;
  escalationId?: string;
}

/** In-app for everyone named; e-mail at once to those who want it immediately (others get the digest). */
export async function notify(tx: Db, notice: Notice, at: Date, publicUrl: string): Promise<void> {
  await notifyMany(tx, [notice], at, publicUrl);
}

/** Many notices in three statements, whatever their number (the clock sweep sends hundreds at once). */
export async function notifyMany(tx: Db, notices: Notice[], at: Date, publicUrl: string): Promise<void> {
  const userIds = [...new Set(notices.flatMap((n) => n.userIds))];
  if (userIds.length === 0) return;
  const people = new Map((await tx.select({ id: users.id, email: users.email, mode: users.emailNotifications, active: users.active }).from(users)
    .where(inArray(users.id, userIds))).map((p) => [p.id, p]));
  const rows: (typeof notifications.$inferInsert)[] = [];
  const mails: (typeof outbox.$inferInsert)[] = [];
  for (const notice of notices) {
    const link = notice.caseId ? `\n\n${publicUrl}/cases/${notice.caseId}` : '';
    for (const userId of new Set(notice.userIds)) {
      const person = people.get(userId);
      if (!person?.active) continue;
      const immediate = person.mode === 'immediate';
      rows.push({
        id: randomUUID(), organisationId: notice.organisationId, userId, kind: notice.kind, title: notice.title, body: notice.body,
        caseId: notice.caseId ?? null, escalationId: notice.escalationId ?? null, createdAt: at, emailedAt: immediate ? at : null,
      });
      if (immediate) {
        mails.push({
          id: randomUUID(), organisationId: notice.organisationId, toAddress: person.email, subject: `[TrustDesk] ${notice.title}`,
          body: `${notice.body}${link}`, caseId: notice.caseId ?? null, status: 'queued', nextAttemptAt: at, createdAt: at,
        });
      }
    }
  }
  if (rows.length > 0) await tx.insert(notifications).values(rows);
  if (mails.length > 0) await tx.insert(outbox).values(mails);
}

export async function listNotifications(ctx: AppContext, actor: Actor, unreadOnly: boolean) {
  const rows = await ctx.db.select().from(notifications)
    .where(inOrg(notifications, actor.organisationId, eq(notifications.userId, actor.userId), unreadOnly ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.createdAt)).limit(100);
  const [{ unread }] = await ctx.db.select({ unread: sql<number>`count(*)::int` }).from(notifications)
    .where(inOrg(notifications, actor.organisationId, eq(notifications.userId, actor.userId), isNull(notifications.readAt)));
  return {
    unread,
    items: rows.map((n) => ({
      id: n.id, kind: n.kind, title: n.title, body: n.body, caseId: n.caseId, escalationId: n.escalationId,
      createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null,
    })),
  };
}

export async function markRead(ctx: AppContext, actor: Actor, id: string | 'all') {
  const updated = await ctx.db.update(notifications).set({ readAt: ctx.clock.now() })
    .where(inOrg(notifications, actor.organisationId, eq(notifications.userId, actor.userId), isNull(notifications.readAt),
      id === 'all' ? undefined : eq(notifications.id, id)))
    .returning({ id: notifications.id });
  if (id !== 'all' && updated.length === 0) {
    const [exists] = await ctx.db.select({ id: notifications.id }).from(notifications)
      .where(inOrg(notifications, actor.organisationId, eq(notifications.userId, actor.userId), eq(notifications.id, id)));
    if (!exists) throw notFound('Notification');
  }
}

const DIGEST_INTERVAL_MS = 24 * 3_600_000;

/** Once a day, one e-mail per digest subscriber with what they have not read. */
export async function sendDigests(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - DIGEST_INTERVAL_MS);
  const due = await ctx.db.select().from(users)
    .where(and(eq(users.emailNotifications, 'daily_digest'), eq(users.active, true),
      sql`(${users.lastDigestAt} IS NULL OR ${users.lastDigestAt} <= ${cutoff})`));
  let sent = 0;
  for (const user of due) {
    await ctx.db.transaction(async (tx) => {
      const pending = await tx.select().from(notifications)
        .where(inOrg(notifications, user.organisationId, eq(notifications.userId, user.id), isNull(notifications.readAt), isNull(notifications.emailedAt)))
        .orderBy(notifications.createdAt);
      await tx.update(users).set({ lastDigestAt: now }).where(inOrg(users, user.organisationId, eq(users.id, user.id)));
      if (pending.length === 0) return;
      const body = pending.map((n) => `• ${n.title}\n  ${n.body}`).join('\n\n');
      await enqueueMail(tx, { organisationId: user.organisationId, to: user.email, subject: `[TrustDesk] Your daily digest: ${pending.length} update${pending.length === 1 ? '' : 's'}`, body }, now);
      await tx.update(notifications).set({ emailedAt: now })
        .where(inOrg(notifications, user.organisationId, inArray(notifications.id, pending.map((p) => p.id))));
      sent++;
    });
  }
  return sent;
}
