import type { Role } from '../db/schema/index.js';
import { forbidden } from '../server/errors.js';

/** Who is acting: resolved from a session or an API token on every request. */
export interface Actor {
  organisationId: string;
  userId: string;
  role: Role;
  unitId: string;
  /** Materialised path of the actor's unit; the subtree it may see starts with it. */
  unitPath: string;
  name: string;
}

/** Roles that see the whole organisation; leads and agents see their unit's subtree. */
const organisationWideRoles: ReadonlySet<Role> = new Set(['admin', 'compliance', 'executive']);

export function seesWholeOrganisation(actor: Actor): boolean {
  return organisationWideRoles.has(actor.role);
}

export function requireRole(actor: Actor, ...allowed: Role[]): void {
  if (!allowed.includes(actor.role)) {
    throw forbidden(`This needs one of the roles: ${allowed.join(', ')}`);
  }
}
