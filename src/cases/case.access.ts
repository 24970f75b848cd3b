import type { Actor } from '../auth/actor.js';
import { seesWholeOrganisation } from '../auth/actor.js';
import { forbidden } from '../server/errors.js';

/** What access rules need to know about a case. */
export interface CaseAccessFacts {
  ownerId: string;
  unitPath: string;
  /** A pending transfer addressed to the actor (or to a unit the actor belongs to). */
  pendingForActor: boolean;
}

/** Organisation-wide roles see every case; leads and agents their subtree, their own, and what is offered to them. */
export function canReadCase(actor: Actor, c: CaseAccessFacts): boolean {
  return seesWholeOrganisation(actor) || c.ownerId === actor.userId || c.unitPath.startsWith(actor.unitPath) || c.pendingForActor;
}

/** The owner works the case; a lead above it or an admin may step in. */
export function canWorkCase(actor: Actor, c: CaseAccessFacts): boolean {
  if (c.ownerId === actor.userId) return true;
  if (actor.role === 'admin') return true;
  return actor.role === 'lead' && c.unitPath.startsWith(actor.unitPath);
}

/** Internal notes: anyone who may read the case and is not a read-only role. */
export function canNoteCase(actor: Actor, c: CaseAccessFacts): boolean {
  return canReadCase(actor, c) && actor.role !== 'executive';
}

export function requireWork(actor: Actor, c: CaseAccessFacts): void {
  if (!canWorkCase(actor, c)) throw forbidden('Only the owner of the case, a lead above it or an admin can do this');
}
