import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../auth/secrets.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { units, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { seedDemoCases } from './demo-cases.js';
import { seedDemoSurveys } from './demo-surveys.js';
import { hasDemoConduct, seedDemoConduct } from './demo-conduct.js';
import { createOrganisation, listOrganisations } from '../org/organisation.service.js';
import { childPath } from '../org/unit-rules.js';
import {
  DEMO_DOMAIN, DEMO_ORG_NAME, DEMO_PASSWORD, demoDivisions, demoHeadOffice, demoStaffNames, demoTeamNames,
} from './demo-org.js';

export interface SeedResult {
  organisationId: string;
  created: boolean;
  logins: { email: string; role: string; name: string }[];
  password: string;
}

const emailFor = (login: string) => `${login}@${DEMO_DOMAIN}`;
const loginFor = (name: string) => name.toLowerCase().replace(/[^a-z]+/g, '.');

/**
 * Fills the first organisation (created if there is none) with the demo records of every
 * feature. Running it twice does not duplicate anything.
 */
export async function seedDemo(ctx: AppContext): Promise<SeedResult> {
  const at = ctx.clock.now();
  let [org] = await listOrganisations(ctx.db);
  let rootUnitId: string;
  if (!org) {
    const created = await createOrganisation(ctx.db, {
      name: DEMO_ORG_NAME, adminEmail: emailFor('admin'), adminPassword: DEMO_PASSWORD, adminName: demoHeadOffice[0].name,
    }, at);
    rootUnitId = created.rootUnitId;
    [org] = await listOrganisations(ctx.db);
  } else {
    const [root] = await ctx.db.select().from(units).where(inOrg(units, org.id, eq(units.depth, 0)));
    rootUnitId = root.id;
  }
  const organisationId = org.id;
  const alreadySeeded = (await ctx.db.select({ id: units.id }).from(units)
    .where(inOrg(units, organisationId, eq(units.name, demoDivisions[0].name)))).length > 0;
  if (!alreadySeeded) {
    await seedStructure(ctx.db, organisationId, rootUnitId, at);
    await ctx.db.transaction((tx) => seedDemoCases(tx, organisationId, at));
    await ctx.db.transaction((tx) => seedDemoSurveys(tx, organisationId, at));
  }
  // Conduct arrived after the first demo databases were made: seeded on its own when missing.
  if (!(await hasDemoConduct(ctx.db, organisationId))) await ctx.db.transaction((tx) => seedDemoConduct(tx, organisationId, at));
  // In the order the demo defines people, so the console always suggests the same logins.
  const order = [...demoHeadOffice.map((p) => emailFor(p.login)), ...demoStaffNames.map((n) => emailFor(loginFor(n)))];
  const logins = (await ctx.db.select({ email: users.email, role: users.role, name: users.name }).from(users)
    .where(inOrg(users, organisationId))).filter((u) => u.email.endsWith(`@${DEMO_DOMAIN}`))
    .sort((a, b) => order.indexOf(a.email) - order.indexOf(b.email));
  return { organisationId, created: !alreadySeeded, logins, password: DEMO_PASSWORD };
}

async function seedStructure(db: Db, organisationId: string, rootUnitId: string, at: Date) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const [root] = await tx.select().from(units).where(inOrg(units, organisationId, eq(units.id, rootUnitId)));
    const addUnit = async (parent: typeof root, name: string, kind: 'division' | 'region' | 'team', country: string | null, timezone: string) => {
      const id = randomUUID();
      const row = { id, organisationId, parentId: parent.id, name, kind, path: childPath(parent.path, id), depth: parent.depth + 1, timezone, country, routing: 'least_loaded' as const, createdAt: at };
      await tx.insert(units).values(row);
      await appendEvent(tx, { organisationId, stream: `unit:${id}`, type: 'unit.created', actorId: null, at, data: { name, kind, parentId: parent.id, timezone, country, source: 'demo' } });
      return row;
    };
    const addUser = async (name: string, role: 'admin' | 'executive' | 'compliance' | 'lead' | 'agent', unitId: string, login: string, discretionLimit: number) => {
      const id = randomUUID();
      const email = emailFor(login);
      await tx.insert(users).values({ id, organisationId, email, name, role, unitId, passwordHash, discretionLimit, createdAt: at });
      await appendEvent(tx, { organisationId, stream: `user:${id}`, type: 'user.created', actorId: null, at, data: { email, name, role, unitId, discretionLimit, source: 'demo' } });
    };

    const existingAdmin = await tx.select({ id: users.id }).from(users).where(inOrg(users, organisationId, eq(users.email, emailFor('admin'))));
    for (const person of demoHeadOffice) {
      if (person.role === 'admin' && existingAdmin.length > 0) continue;
      await addUser(person.name, person.role, rootUnitId, person.login, person.role === 'compliance' ? 5000 : 0);
    }
    const staff = [...demoStaffNames];
    for (const division of demoDivisions) {
      const divisionUnit = await addUnit(root, division.name, 'division', 'GB', 'Europe/London');
      for (const region of division.regions) {
        const regionUnit = await addUnit(divisionUnit, region.name, 'region', region.country, region.timezone);
        for (const teamName of demoTeamNames) {
          const team = await addUnit(regionUnit, `${region.name} ${teamName}`, 'team', region.country, region.timezone);
          const lead = staff.shift()!;
          await addUser(lead, 'lead', team.id, loginFor(lead), 1000);
          for (let i = 0; i < 2; i++) {
            const agent = staff.shift()!;
            await addUser(agent, 'agent', team.id, loginFor(agent), 250);
          }
        }
      }
    }
  });
}
