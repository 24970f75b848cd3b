import { randomUUID } from 'node:crypto';
import { asc, eq, like, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { organisations, units } from '../db/schema/index.js';
import { appendEvent } from '../history/history.service.js';
import { AppError } from '../server/errors.js';
import { childPath } from './unit-rules.js';
import { insertUser } from './user.service.js';

export interface NewOrganisation {
  name: string;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
  timezone?: string;
  country?: string;
}

export interface CreatedOrganisation {
  id: string;
  name: string;
  slug: string;
  rootUnitId: string;
  adminId: string;
}

export function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
}

/** A new, fully isolated organisation with its company unit and first admin. */
export async function createOrganisation(db: Db, input: NewOrganisation, at: Date): Promise<CreatedOrganisation> {
  const base = slugify(input.name);
  return db.transaction(async (tx) => {
    const taken = await tx.select({ slug: organisations.slug }).from(organisations)
      .where(like(organisations.slug, `${base}%`));
    const takenSet = new Set(taken.map((t) => t.slug));
    let slug = base;
    for (let n = 2; takenSet.has(slug); n++) slug = `${base}-${n}`;
    const id = randomUUID();
    await tx.insert(organisations).values({ id, name: input.name, slug, createdAt: at });
    const rootUnitId = randomUUID();
    await tx.insert(units).values({
      id: rootUnitId, organisationId: id, parentId: null, name: input.name, kind: 'company',
      path: childPath('/', rootUnitId), depth: 0, timezone: input.timezone ?? 'Europe/London',
      country: input.country ?? 'GB', createdAt: at,
    });
    await appendEvent(tx, {
      organisationId: id, stream: `organisation:${id}`, type: 'organisation.created', actorId: null, at,
      data: { name: input.name, slug, rootUnitId },
    });
    const adminId = await insertUser(tx, id, null, at, {
      email: input.adminEmail, name: input.adminName ?? 'Administrator', role: 'admin', unitId: rootUnitId,
      password: input.adminPassword,
    });
    return { id, name: input.name, slug, rootUnitId, adminId };
  });
}

export async function listOrganisations(db: Db) {
  return db.select().from(organisations).orderBy(asc(organisations.createdAt));
}

export async function countOrganisations(db: Db): Promise<number> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)::int` }).from(organisations);
  return count;
}

export async function findOrganisationBySlug(db: Db, slug: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.slug, slug));
  return row;
}

export function requireNoOrganisation(count: number) {
  if (count > 0) throw new AppError('conflict', 'The database already has an organisation; use `trustdesk org create` to add another');
}
