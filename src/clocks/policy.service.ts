import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { clockPolicies, organisations } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { getSettings } from '../org/settings.js';
import { AppError, notFound } from '../server/errors.js';
import type { CalendarSpec } from './calendar.js';
import { type PolicyDefinition, type PolicyRule, presetPolicies } from './policies.js';

export const clockDefinition = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _'),
  label: z.string().trim().min(1).max(80),
  basis: z.enum(['calendar_days', 'business_days', 'business_hours']),
  amount: z.number().positive().max(3650),
  metBy: z.enum(['first_response', 'resolution']),
  pausable: z.boolean().default(false),
  warnAt: z.array(z.number().gt(0).lt(1)).max(5).default([0.5, 0.8]),
  informational: z.boolean().optional(),
  customerText: z.string().trim().min(1).max(200).default('We will get back to you'),
}).strict();

export const policyInput = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case letters, digits and -'),
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).default(''),
  source: z.string().trim().max(500).default('Internal policy'),
  clocks: z.array(clockDefinition).min(1).max(10),
}).strict();

export async function listPolicies(ctx: AppContext, actor: Actor): Promise<PolicyDefinition[]> {
  const custom = await ctx.db.select().from(clockPolicies).where(inOrg(clockPolicies, actor.organisationId)).orderBy(asc(clockPolicies.key));
  return [...presetPolicies, ...custom.map((p) => ({ key: p.key, name: p.name, description: p.description, source: p.source, clocks: p.clocks as PolicyDefinition['clocks'], builtin: false }))];
}

/** Admins write their own policies; the presets stay as published (copy one to change it). Existing cases keep the clocks they started with. */
export async function savePolicy(ctx: AppContext, actor: Actor, input: z.infer<typeof policyInput>, mode: 'create' | 'update') {
  requireRole(actor, 'admin');
  if (presetPolicies.some((p) => p.key === input.key)) throw new AppError('conflict', `"${input.key}" is a preset; create your own policy under another key`);
  const names = input.clocks.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new AppError('unprocessable', 'Clock names must be unique within a policy', [{ path: 'clocks', message: 'duplicate name' }]);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(clockPolicies).where(inOrg(clockPolicies, actor.organisationId, eq(clockPolicies.key, input.key)));
    if (mode === 'create' && existing) throw new AppError('already_exists', `A policy "${input.key}" already exists`);
    if (mode === 'update' && !existing) throw notFound('Policy');
    if (existing) {
      await tx.update(clockPolicies).set({ ...input, updatedAt: now }).where(inOrg(clockPolicies, actor.organisationId, eq(clockPolicies.id, existing.id)));
    } else {
      await tx.insert(clockPolicies).values({ id: randomUUID(), organisationId: actor.organisationId, ...input, createdAt: now, updatedAt: now });
    }
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `policy:${input.key}`, type: existing ? 'policy.updated' : 'policy.created', actorId: actor.userId, at: now, data: { ...input } });
  });
  return (await listPolicies(ctx, actor)).find((p) => p.key === input.key)!;
}

export const calendarInput = z.object({
  workingDays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  opens: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm'),
  closes: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm'),
  closures: z.array(z.string().date()).max(366),
}).strict().refine((c) => c.opens < c.closes, { message: 'opens must be before closes', path: ['closes'] });

export const policyRulesInput = z.array(z.object({
  match: z.object({ kind: z.string().optional(), product: z.string().optional(), channel: z.string().optional(), unitId: z.string().uuid().optional() }).strict(),
  policy: z.string(),
}).strict()).min(1).max(50);

/** Organisation-wide clock settings: working hours, closure days, and which policy a case runs. */
export async function getClockSettings(ctx: AppContext, actor: Actor) {
  const settings = await getSettings(ctx.db, actor.organisationId);
  const [org] = await ctx.db.select({ settings: organisations.settings }).from(organisations).where(eq(organisations.id, actor.organisationId));
  const calendar = { workingDays: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00', closures: [] as string[], ...((org.settings as { calendar?: Partial<CalendarSpec> }).calendar ?? {}) };
  return { calendar: { workingDays: calendar.workingDays, opens: calendar.opens, closes: calendar.closes, closures: calendar.closures }, policyRules: settings.policyRules as PolicyRule[] };
}

export async function updateClockSettings(ctx: AppContext, actor: Actor, patch: { calendar?: z.infer<typeof calendarInput>; policyRules?: PolicyRule[] }) {
  requireRole(actor, 'admin');
  if (patch.policyRules) {
    const keys = new Set((await listPolicies(ctx, actor)).map((p) => p.key));
    const unknown = patch.policyRules.filter((r) => !keys.has(r.policy));
    if (unknown.length > 0) throw new AppError('unprocessable', `Unknown policy: ${unknown.map((u) => u.policy).join(', ')}`, [{ path: 'policyRules', message: 'unknown policy' }]);
  }
  await ctx.db.transaction(async (tx) => {
    const [org] = await tx.select({ settings: organisations.settings }).from(organisations).where(eq(organisations.id, actor.organisationId)).for('update');
    const next = { ...(org.settings as object), ...(patch.calendar ? { calendar: patch.calendar } : {}), ...(patch.policyRules ? { policyRules: patch.policyRules } : {}) };
    await tx.update(organisations).set({ settings: next }).where(eq(organisations.id, actor.organisationId));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `organisation:${actor.organisationId}`, type: 'settings.clocks_changed', actorId: actor.userId, at: ctx.clock.now(), data: { ...patch } });
  });
  return getClockSettings(ctx, actor);
}
