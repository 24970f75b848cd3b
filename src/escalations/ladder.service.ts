import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { escalationRungs, units, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { getUnitRow } from '../org/unit.service.js';
import { AppError } from '../server/errors.js';

export interface RungInput {
  userId?: string;
  role?: 'unit_lead' | 'parent_lead' | 'compliance' | 'admin';
  label: string;
}

export interface LadderPerson {
  userId: string;
  name: string;
  label: string;
  discretionLimit: number | null;
}

/** The unit and its ancestors, nearest first. */
async function unitChain(db: Db, organisationId: string, unitId: string) {
  const [unit] = await db.select().from(units).where(inOrg(units, organisationId, eq(units.id, unitId)));
  if (!unit) return [];
  const ids = unit.path.split('/').filter(Boolean);
  const rows = await db.select().from(units).where(inOrg(units, organisationId, inArray(units.id, ids)));
  return rows.sort((a, b) => b.depth - a.depth);
}

/**
 * The people an escalation from a case in this unit climbs through, in order. Configured rungs
 * come from the nearest unit (itself or an ancestor) that has a ladder; by default the ladder is
 * every lead up the tree, then compliance, then an admin.
 */
export async function ladderFor(db: Db, organisationId: string, unitId: string): Promise<LadderPerson[]> {
  const chain = await unitChain(db, organisationId, unitId);
  const chainIds = chain.map((u) => u.id);
  const rungs = chainIds.length === 0 ? [] : await db.select().from(escalationRungs)
    .where(inOrg(escalationRungs, organisationId, inArray(escalationRungs.unitId, chainIds))).orderBy(asc(escalationRungs.position));
  // Managers by role, and anyone a rung names in person (a rung may name any active user).
  const named = rungs.map((r) => r.userId).filter((id): id is string => id !== null);
  const people = await db.select({ id: users.id, name: users.name, role: users.role, unitId: users.unitId, limit: users.discretionLimit })
    .from(users).where(inOrg(users, organisationId, eq(users.active, true),
      named.length > 0 ? or(inArray(users.role, ['lead', 'compliance', 'admin']), inArray(users.id, named)) : inArray(users.role, ['lead', 'compliance', 'admin'])))
    .orderBy(asc(users.name));
  const leadsUpTree = chain.flatMap((u) => people.filter((p) => p.role === 'lead' && p.unitId === u.id));
  const firstOf = (role: string) => people.filter((p) => p.role === role).slice(0, 1);
  const ownerUnit = chain.find((u) => rungs.some((r) => r.unitId === u.id));
  const resolved: LadderPerson[] = [];
  const add = (p: { id: string; name: string; limit: number | null } | undefined, label: string) => {
    if (p && !resolved.some((r) => r.userId === p.id)) resolved.push({ userId: p.id, name: p.name, label, discretionLimit: p.limit === null ? null : Number(p.limit) });
  };
  if (ownerUnit) {
    for (const rung of rungs.filter((r) => r.unitId === ownerUnit.id)) {
      if (rung.userId) add(people.find((p) => p.id === rung.userId), rung.label);
      else if (rung.role === 'unit_lead') add(leadsUpTree[0], rung.label);
      else if (rung.role === 'parent_lead') add(leadsUpTree.find((l) => l.unitId !== leadsUpTree[0]?.unitId), rung.label);
      else if (rung.role) add(firstOf(rung.role)[0], rung.label);
    }
    return resolved;
  }
  for (const lead of leadsUpTree) add(lead, `Lead, ${chain.find((u) => u.id === lead.unitId)?.name ?? 'unit'}`);
  add(firstOf('compliance')[0], 'Compliance');
  add(firstOf('admin')[0], 'Administrator');
  return resolved;
}

export async function getLadder(ctx: AppContext, actor: Actor, unitId: string) {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  await getUnitRow(ctx.db, actor, unitId);
  const configured = await ctx.db.select().from(escalationRungs)
    .where(inOrg(escalationRungs, actor.organisationId, eq(escalationRungs.unitId, unitId))).orderBy(asc(escalationRungs.position));
  return {
    unitId,
    rungs: configured.map((r) => ({ userId: r.userId, role: r.role, label: r.label })),
    effective: await ladderFor(ctx.db, actor.organisationId, unitId),
  };
}

export async function setLadder(ctx: AppContext, actor: Actor, unitId: string, rungs: RungInput[]) {
  requireRole(actor, 'admin');
  await getUnitRow(ctx.db, actor, unitId);
  await ctx.db.transaction(async (tx) => {
    for (const [i, rung] of rungs.entries()) {
      if (!rung.userId === !rung.role) throw new AppError('validation_failed', 'Each rung names a user or a role', [{ path: `rungs.${i}`, message: 'exactly one of userId, role' }]);
      if (rung.userId) {
        const [u] = await tx.select().from(users).where(and(inOrg(users, actor.organisationId, eq(users.id, rung.userId), eq(users.active, true))));
        if (!u) throw new AppError('unprocessable', 'A rung names an unknown or inactive user', [{ path: `rungs.${i}.userId`, message: 'unknown user' }]);
      }
    }
    await tx.delete(escalationRungs).where(inOrg(escalationRungs, actor.organisationId, eq(escalationRungs.unitId, unitId)));
    if (rungs.length > 0) {
      await tx.insert(escalationRungs).values(rungs.map((r, i) => ({
        id: randomUUID(), organisationId: actor.organisationId, unitId, position: i + 1, userId: r.userId ?? null, role: r.role ?? null, label: r.label,
      })));
    }
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `unit:${unitId}`, type: 'unit.ladder_changed', actorId: actor.userId, at: ctx.clock.now(), data: { rungs: rungs.map((r) => ({ ...r })) } });
  });
  return getLadder(ctx, actor, unitId);
}
