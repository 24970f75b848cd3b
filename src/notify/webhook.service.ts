import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, lte, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { webhookDeliveries, webhooks } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { notFound } from '../server/errors.js';
import { retryDelayMs } from './outbox.service.js';

/** Which history events go out as webhooks: everything that happens to cases and escalations. */
export function isWebhookEvent(stream: string): boolean {
  return stream.startsWith('case:');
}

export interface WebhookEvent {
  organisationId: string;
  eventType: string;
  payload: Record<string, unknown>;
  at: Date;
}

/** Queues a delivery to every active webhook that wants each event, in the caller's transaction (one statement). */
export async function queueWebhooks(tx: Db, events: WebhookEvent[]): Promise<void> {
  await tx.execute(queueWebhooksSql(events));
}

/** The statement of `queueWebhooks`, to run together with other inserts. */
export function queueWebhooksSql(events: WebhookEvent[]): SQL {
  const organisationId = events[0].organisationId;
  const batch = JSON.stringify(events.map((e) => ({ type: e.eventType, payload: e.payload, at: e.at.toISOString() })));
  return sql`
    INSERT INTO webhook_deliveries (id, organisation_id, webhook_id, event_type, payload, status, attempts, next_attempt_at, created_at)
    SELECT gen_random_uuid(), w.organisation_id, w.id, e->>'type', e->'payload', 'queued', 0, (e->>'at')::timestamptz, (e->>'at')::timestamptz
    FROM webhooks w CROSS JOIN jsonb_array_elements(${batch}::jsonb) e
    WHERE w.organisation_id = ${organisationId} AND w.active AND (w.events ? (e->>'type') OR w.events ? '*')`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: the receiver recomputes it with the shared secret. */
export function signPayload(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

const MAX_ATTEMPTS = 12;
const LEASE_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;

/** Delivers due webhooks; claimed like the outbox, so each delivery is attempted by one process at a time. */
export async function deliverWebhooks(ctx: AppContext): Promise<{ sent: number; failed: number }> {
  const now = ctx.clock.now();
  const claimed = await ctx.db.transaction(async (tx) => {
    const due = await tx.select({ d: webhookDeliveries, url: webhooks.url, secret: webhooks.secret }).from(webhookDeliveries)
      .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
      .where(and(eq(webhookDeliveries.status, 'queued'), lte(webhookDeliveries.nextAttemptAt, now)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt)).limit(50).for('update', { of: webhookDeliveries, skipLocked: true });
    for (const { d } of due) {
      await tx.update(webhookDeliveries).set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) }).where(eq(webhookDeliveries.id, d.id));
    }
    return due;
  });
  let sent = 0;
  let failed = 0;
  for (const { d, url, secret } of claimed) {
    const body = JSON.stringify({ id: d.id, type: d.eventType, createdAt: d.createdAt.toISOString(), data: d.payload });
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST', body, signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json', 'user-agent': 'TrustDesk-Webhooks/1', 'x-trustdesk-event': d.eventType, 'x-trustdesk-delivery': d.id,
          'x-trustdesk-signature': signPayload(secret, body, Math.floor(ctx.clock.now().getTime() / 1000)),
        },
      });
      status = res.status;
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const attempts = d.attempts + 1;
    if (!error) {
      await ctx.db.update(webhookDeliveries).set({ status: 'sent', attempts, lastStatus: status, lastError: null, deliveredAt: ctx.clock.now() })
        .where(inOrg(webhookDeliveries, d.organisationId, eq(webhookDeliveries.id, d.id)));
      sent++;
    } else {
      await ctx.db.update(webhookDeliveries).set({
        status: attempts >= MAX_ATTEMPTS ? 'failed' : 'queued', attempts, lastStatus: status, lastError: error.slice(0, 500),
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
      }).where(inOrg(webhookDeliveries, d.organisationId, eq(webhookDeliveries.id, d.id)));
      failed++;
    }
  }
  return { sent, failed };
}

function toView(w: typeof webhooks.$inferSelect) {
  return { id: w.id, url: w.url, events: w.events as string[], active: w.active, createdAt: w.createdAt.toISOString() };
}

export async function createWebhook(ctx: AppContext, actor: Actor, input: { url: string; events: string[] }) {
  requireRole(actor, 'admin');
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const [row] = await ctx.db.insert(webhooks).values({
    id: randomUUID(), organisationId: actor.organisationId, url: input.url, secret, events: input.events, createdAt: ctx.clock.now(),
  }).returning();
  return { ...toView(row), secret };
}

export async function listWebhooks(ctx: AppContext, actor: Actor) {
  requireRole(actor, 'admin');
  const rows = await ctx.db.select().from(webhooks).where(inOrg(webhooks, actor.organisationId)).orderBy(desc(webhooks.createdAt));
  return rows.map(toView);
}

export async function deleteWebhook(ctx: AppContext, actor: Actor, id: string) {
  requireRole(actor, 'admin');
  const updated = await ctx.db.update(webhooks).set({ active: false }).where(inOrg(webhooks, actor.organisationId, eq(webhooks.id, id))).returning({ id: webhooks.id });
  if (updated.length === 0) throw notFound('Webhook');
}

export async function listDeliveries(ctx: AppContext, actor: Actor, webhookId: string) {
  requireRole(actor, 'admin');
  const [hook] = await ctx.db.select({ id: webhooks.id }).from(webhooks).where(inOrg(webhooks, actor.organisationId, eq(webhooks.id, webhookId)));
  if (!hook) throw notFound('Webhook');
  const rows = await ctx.db.select().from(webhookDeliveries)
    .where(inOrg(webhookDeliveries, actor.organisationId, eq(webhookDeliveries.webhookId, webhookId))).orderBy(desc(webhookDeliveries.createdAt)).limit(100);
  return rows.map((d) => ({
    id: d.id, eventType: d.eventType, status: d.status, attempts: d.attempts, lastStatus: d.lastStatus, lastError: d.lastError,
    createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null,
  }));
}
