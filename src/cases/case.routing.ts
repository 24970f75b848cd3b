import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { units, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { AppError } from '../server/errors.js';

/**
 * Picks the owner for a case that arrives without one: an active agent of the unit (then a lead),
 * climbing to the parent unit when a unit has nobody. `least_loaded`: fewest open cases, ties to
 * whoever was assigned least recently; `round_robin`: least recently assigned.
 */
export async function routeCase(db: Db, organisationId: string, unitId: string, exclude: string[] = []): Promise<{ ownerId: string; unitId: string }> {
  let current: string | null = unitId;
  while (current) {
    const [unit] = await db.select({ id: units.id, parentId: units.parentId, routing: units.routing }).from(units)
      .where(inOrg(units, organisationId, eq(units.id, current)));
    if (!unit) break;
    for (const role of ['agent', 'lead'] as const) {
      const openCount = sql<number>`(SELECT count(*)::int FROM cases c WHERE c.organisation_id = ${organisationId} AND c.owner_id = ${users.id} AND c.status IN ('open', 'waiting_customer'))`;
      const lastAssigned = sql`(SELECT max(c.created_at) FROM cases c WHERE c.organisation_id = ${organisationId} AND c.owner_id = ${users.id})`;
      const order = unit.routing === 'round_robin'
        ? [sql`${lastAssigned} ASC NULLS FIRST`, users.id]
        : [sql`${openCount} ASC`, sql`${lastAssigned} ASC NULLS FIRST`, users.id];
      const [pick] = await db.select({ id: users.id }).from(users)
        .where(and(inOrg(users, organisationId, eq(users.unitId, unit.id), eq(users.role, role), eq(users.active, true),
          exclude.length > 0 ? notInArray(users.id, exclude) : undefined)))
        .orderBy(...order).limit(1);
      if (pick) return { ownerId: pick.id, unitId: unit.id };
    }
    current = unit.parentId;
  }
  throw new AppError('unprocessable', 'Nobody in this unit or above it can take the case; add an agent or name an owner', [{ path: 'unitId', message: 'no active agent or lead' }]);
}
