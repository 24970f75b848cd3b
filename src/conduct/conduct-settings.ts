import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { organisations } from '../db/schema/index.js';
import { appendEvent } from '../history/history.service.js';
import { defaultCategoryPractices } from './presets.js';

/** Conduct settings live under `conduct` in the organisation's settings. */
export const conductSettingsSchema = z.object({
  /** Reminders this many days before an action's deadline (0 = on the day). */
  reminderOffsetsDays: z.array(z.number().int().min(0).max(90)).max(10).default([7, 1, 0]),
  /** Then every this many days while it is overdue (0 = no repeats). */
  repeatEveryDays: z.number().int().min(0).max(60).default(3),
  /** Overdue this many days: the action is escalated to the delegate's lead. */
  escalateAfterDays: z.number().int().min(0).max(365).default(3),
  /** Deadline of an action created by a red cell, in days from the review. */
  actionDeadlineDays: z.number().int().min(1).max(365).default(30),
  /** Reminders to the evidence owner this many days before it expires. */
  evidenceExpiryReminderDays: z.array(z.number().int().min(0).max(365)).max(5).default([30, 7]),
  /** Complaint category → practice codes, for the signals beside scores. */
  categoryPractices: z.record(z.string().max(120), z.array(z.string().max(40)).max(50)).default(defaultCategoryPractices),
  /** A practice self-assessed at `strongScore` or more is flagged when its unit has this many related complaints and this upheld rate. */
  complaintFlag: z.object({
    minComplaints: z.number().int().min(1).max(100000).default(5),
    upheldRate: z.number().min(0).max(1).default(0.5),
    strongScore: z.number().int().min(1).max(100).default(4),
  }).default({ minComplaints: 5, upheldRate: 0.5, strongScore: 4 }),
});

export type ConductSettings = z.infer<typeof conductSettingsSchema>;

export async function getConductSettings(db: Db, organisationId: string): Promise<ConductSettings> {
  const [row] = await db.select({ settings: organisations.settings }).from(organisations).where(eq(organisations.id, organisationId));
  return conductSettingsSchema.parse((row?.settings as { conduct?: unknown } | undefined)?.conduct ?? {});
}

export async function readConductSettings(ctx: AppContext, actor: Actor) {
  requireRole(actor, 'admin', 'compliance', 'executive');
  return getConductSettings(ctx.db, actor.organisationId);
}

export async function updateConductSettings(ctx: AppContext, actor: Actor, patch: Partial<ConductSettings>) {
  requireRole(actor, 'admin', 'compliance');
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const current = await getConductSettings(tx, actor.organisationId);
    const next = conductSettingsSchema.parse({ ...current, ...patch });
    await tx.update(organisations).set({ settings: sql`${organisations.settings} || ${JSON.stringify({ conduct: next })}::jsonb` }).where(eq(organisations.id, actor.organisationId));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `organisation:${actor.organisationId}`, type: 'conduct.settings_changed', actorId: actor.userId, at: now, data: patch });
    return next;
  });
}
