import { inArray } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { findUnitRow, isUnitInScope, type UnitRow } from '../org/unit.service.js';
import { AppError, forbidden } from '../server/errors.js';
import { inOrg } from '../db/tenant.js';

/**
 * Conduct's scope rule: another organisation's record is a 404 (its existence is not
 * acknowledged), but a record of one's own organisation outside one's unit subtree is a 403 —
 * the rule for evidence, applied alike to cells, evidence and actions.
 */
export function requireInScope(actor: Actor, unit: Pick<UnitRow, 'path'>, what: string): void {
  if (!isUnitInScope(actor, unit)) throw forbidden(`This ${what} belongs to a unit outside your part of the organisation`);
}

/** Catalogue, cycles, reviews and verification are compliance work. */
export function requireConductManager(actor: Actor): void {
  requireRole(actor, 'admin', 'compliance');
}

/** A unit named in a request body: unknown (or another organisation's) is a 422, out of scope a 403. */
export async function requireBodyUnit(db: Db, actor: Actor, unitId: string, path = 'unitId'): Promise<UnitRow> {
  const unit = await findUnitRow(db, actor.organisationId, unitId);
  if (!unit) throw new AppError('unprocessable', 'The unit does not exist', [{ path, message: 'unknown unit' }]);
  requireInScope(actor, unit, 'unit');
  return unit;
}

export const streams = {
  framework: (id: string) => `conduct-framework:${id}`,
  practice: (id: string) => `conduct-practice:${id}`,
  cycle: (id: string) => `conduct-cycle:${id}`,
  assessment: (id: string) => `conduct-assessment:${id}`,
  evidence: (id: string) => `conduct-evidence:${id}`,
  action: (id: string) => `conduct-action:${id}`,
};


/** History events with the name of who acted ("by Helen Marsh"); null for the system's own steps. */
export async function withActorNames<E extends { actorId: string | null }>(db: Db, organisationId: string, events: E[]): Promise<(E & { actorName: string | null })[]> {
  const ids = [...new Set(events.map((e) => e.actorId).filter((id): id is string => id !== null))];
  const people = ids.length === 0 ? [] : await db.select({ id: users.id, name: users.name }).from(users).where(inOrg(users, organisationId, inArray(users.id, ids)));
  return events.map((e) => ({ ...e, actorName: people.find((p) => p.id === e.actorId)?.name ?? null }));
}
