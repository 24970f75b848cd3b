import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { eq, sql } from 'drizzle-orm';
import { formatCaseRef, retentionUntil } from '../cases/case.js';
import { caseStream, sortDueAt } from '../cases/case.service.js';
import { cfpbCategory, cfpbProduct } from '../cases/import/cfpb.js';
import type { Database, Db } from '../db/client.js';
import { insertRows } from '../db/bulk.js';
import { AppError } from '../server/errors.js';
import { caseClocks, caseMessages, cases, units, users } from '../db/schema/index.js';
import { BusinessCalendar, defaultCalendar } from '../clocks/calendar.js';
import { dueDate, nextFireAt, settle } from '../clocks/clock-rules.js';
import { choosePolicy, defaultPolicyRules, presetPolicies } from '../clocks/policies.js';
import { inOrg } from '../db/tenant.js';
import { appendNewStreams, type NewEvent } from '../history/history.service.js';
import { parseSettings } from '../org/settings.js';
import { demoDivisions } from './demo-org.js';
import { createRandom } from './random.js';

interface Narrative {
  product: string; issue: string; subIssue: string; text: string; olderCustomer: boolean; response: string;
}

const require = createRequire(import.meta.url);
/** Real, public-domain complaint narratives from the CFPB database (bundled by scripts/build-demo-narratives.mjs). */
const narratives: Narrative[] = require('./data/narratives.json');

const firstNames = ['Olivia', 'Noah', 'Amelia', 'George', 'Isla', 'Arthur', 'Ava', 'Muhammad', 'Mia', 'Leo', 'Ivy', 'Harry', 'Freya', 'Oscar', 'Lily', 'Archie', 'Florence', 'Henry', 'Grace', 'Jack', 'Sophie', 'Aoife', 'Cian', 'Saoirse', 'Seán', 'Morag', 'Iain', 'Deborah', 'Winston', 'Precious', 'Ravi', 'Anjali', 'Tomasz', 'Agnieszka', 'Chen', 'Li'];
const lastNames = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', "O'Brien", 'Murphy', 'Kelly', 'MacDonald', 'Campbell', 'Stewart', 'Okoye', 'Mensah', 'Kowalski', 'Nowak', 'Wang', 'Khan', 'Begum', 'Hughes'];

const DAY = 86_400_000;
const DEMO_CASES = 3000;
const MONTHS = 18;

/** Which division handles which product line. */
function divisionFor(product: string): string {
  const everyday = demoDivisions[0];
  return (everyday.products as readonly string[]).includes(product) ? everyday.name : demoDivisions[1].name;
}

interface DemoRecords {
  caseRows: (typeof cases.$inferInsert)[];
  clockRows: (typeof caseClocks.$inferInsert)[];
  messageRows: (typeof caseMessages.$inferInsert)[];
  events: NewEvent[];
}

/**
 * Makes demo cases one at a time from the organisation's demo structure: real narratives,
 * realistic turnaround and outcomes, and one weaker region (more complaints, more upheld, slower)
 * for the reports to find. Used for the demo set and, chunk by chunk, for the bulk load.
 */
async function demoCaseFactory(tx: Db, organisationId: string, now: Date, seed: number, bulk = false) {
  const rand = createRandom(seed);
  const allUnits = await tx.select().from(units).where(inOrg(units, organisationId));
  const staff = await tx.select().from(users).where(inOrg(users, organisationId, eq(users.active, true)));
  const teamsByDivision = new Map<string, typeof allUnits>();
  for (const division of allUnits.filter((u) => u.kind === 'division')) {
    teamsByDivision.set(division.name, allUnits.filter((u) => u.kind === 'team' && u.path.startsWith(division.path)));
  }
  const weakRegion = allUnits.find((u) => u.kind === 'region' && u.name === 'Northern Ireland');
  const settings = parseSettings({});
  const calendars = new Map(allUnits.map((u) => [u.id, new BusinessCalendar(defaultCalendar(u.timezone, u.country))]));
  const staffByTeam = new Map<string, typeof staff>();
  for (const s of staff) {
    if (s.unitId) staffByTeam.set(s.unitId, [...(staffByTeam.get(s.unitId) ?? []), s]);
  }
  const staffedUnits = allUnits.filter((u) => staffByTeam.get(u.id)?.some((s) => s.role === 'agent'));
  if (staffedUnits.length === 0) throw new AppError('unprocessable', 'The organisation has no agent to own demo cases');
  const dueDates = new Map<string, Date>();
  const calendarKey = new Map(allUnits.map((u) => [u.id, `${u.timezone}|${u.country}`]));

  return function make(refNumber: number, out: DemoRecords) {
    const { caseRows, clockRows, messageRows, events } = out;
    const n = rand.pick(narratives);
    const product = cfpbProduct(n.product);
    // An organisation without the demo structure (bulk load into a real tree): any unit with an agent.
    const teams = teamsByDivision.get(divisionFor(product))?.filter((t) => staffByTeam.has(t.id)) ?? [];
    if (teams.length === 0) teams.push(...staffedUnits);
    // The weak region's teams receive a double share.
    const weighted = teams.flatMap((t) => (weakRegion && t.path.startsWith(weakRegion.path) ? [t, t] : [t]));
    const team = rand.pick(weighted);
    const isWeak = !!weakRegion && team.path.startsWith(weakRegion.path);
    const teamStaff = staffByTeam.get(team.id) ?? [];
    const owner = rand.pick(teamStaff.filter((s) => s.role === 'agent').length > 0 ? teamStaff.filter((s) => s.role === 'agent') : teamStaff);
    // Volume grows over time; received during working hours, mostly.
    const ageDays = MONTHS * 30.4 * (1 - Math.sqrt(rand.next()));
    const exact = now.getTime() - ageDays * DAY - rand.int(0, 8) * 3_600_000;
    // In bulk, received at one of four times of the day, so that the due dates of a million cases
    // are worked out a few thousand times (per day, time and calendar), not three million.
    const receivedAt = new Date(bulk ? Math.floor(exact / DAY) * DAY + rand.pick(BULK_HOURS) * 3_600_000 : exact);
    const first = rand.pick(firstNames);
    const last = rand.pick(lastNames);
    const kind = rand.next() < 0.88 ? 'complaint' as const : 'request' as const;
    const channel = rand.weighted([['web', 45], ['phone', 30], ['email', 15], ['letter', 5], ['branch', 5]] as const);
    const vulnerable = n.olderCustomer || rand.next() < 0.07;
    const turnaroundDays = Math.max(0.2, (isWeak ? 1.8 : 1) * Math.exp(rand.normal(2.2, 0.9)));
    const resolvedAt = new Date(receivedAt.getTime() + turnaroundDays * DAY);
    const resolved = resolvedAt.getTime() < now.getTime() && rand.next() < 0.985;
    const closed = resolved && resolvedAt.getTime() + 56 * DAY < now.getTime();
    const outcome = !resolved ? null : rand.weighted(isWeak
      ? [['upheld', 50], ['partially_upheld', 15], ['not_upheld', 27], ['resolved', 8]] as const
      : [['upheld', 30], ['partially_upheld', 15], ['not_upheld', 45], ['resolved', 10]] as const);
    const redress = outcome === 'upheld' || outcome === 'partially_upheld'
      ? { amount: Math.round(rand.int(2500, 60000)) / 100, kind: rand.weighted([['refund', 45], ['compensation', 30], ['goodwill', 20], ['interest', 5]] as const) }
      : null;
    const status = closed ? 'closed' as const : resolved ? 'resolved' as const : rand.next() < 0.2 ? 'waiting_customer' as const : 'open' as const;
    const id = randomUUID();
    const subject = (n.subIssue ? `${n.issue} — ${n.subIssue}` : n.issue).slice(0, 300);
    caseRows.push({
      id, organisationId, ref: formatCaseRef(receivedAt.getUTCFullYear(), refNumber), kind, subject, description: bulk ? shorten(n.text) : n.text,
      customerName: `${first} ${last}`,
      customerEmail: rand.next() < 0.75 ? `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `${rand.int(1, 99)}@example.com` : null,
      customerPhone: rand.next() < 0.5 ? `07700 9${String(rand.int(0, 99999)).padStart(5, '0')}` : null,
      customerRef: `CUST-${rand.int(100000, 999999)}`, channel, product, category: cfpbCategory(n.issue),
      unitId: team.id, ownerId: owner.id, status, priority: vulnerable ? 'high' : rand.weighted([['normal', 85], ['high', 10], ['low', 5]] as const),
      vulnerable, vulnerabilityNote: vulnerable ? (n.olderCustomer ? 'Older customer; prefers letters and phone calls' : 'Recently bereaved; needs extra time') : null,
      receivedAt, createdAt: receivedAt, updatedAt: resolved ? resolvedAt : receivedAt,
      resolvedAt: resolved ? resolvedAt : null, closedAt: closed ? new Date(resolvedAt.getTime() + 56 * DAY) : null,
      outcome, resolutionSummary: resolved ? demoSummary(outcome!, redress) : null,
      redressAmount: redress?.amount ?? null, redressKind: redress?.kind ?? null,
      nextDueAt: null, sortDueAt: sortDueAt(null, receivedAt), retentionUntil: retentionUntil(receivedAt, product, settings),
    });
    const stream = caseStream(id);
    events.push({ organisationId, stream, type: 'case.created', actorId: null, at: receivedAt, data: { kind, subject, channel, unitId: team.id, ownerId: owner.id, product, source: 'demo' } });
    const ackAt = new Date(receivedAt.getTime() + Math.min(turnaroundDays, 1) * DAY * 0.5);
    if (ackAt.getTime() < now.getTime()) {
      const messageId = randomUUID();
      messageRows.push({
        id: messageId, organisationId, caseId: id, authorType: 'staff', authorId: owner.id, visibleToCustomer: true, createdAt: ackAt,
        body: `Dear ${first} ${last},\n\nThank you for getting in touch. I'm ${owner.name} and I will look after your ${kind} personally. I'll contact you again as soon as I have looked into what happened.\n\nKind regards,\n${owner.name}`,
      });
      events.push({ organisationId, stream, type: 'message.sent', actorId: owner.id, at: ackAt, data: { messageId } });
    }
    if (status === 'waiting_customer') {
      events.push({ organisationId, stream, type: 'case.status_changed', actorId: owner.id, at: ackAt, data: { from: 'open', to: 'waiting_customer' } });
    }
    if (resolved) {
      events.push({ organisationId, stream, type: 'case.status_changed', actorId: owner.id, at: resolvedAt, data: { from: 'open', to: 'resolved' } });
      events.push({ organisationId, stream, type: 'case.resolved', actorId: owner.id, at: resolvedAt, data: { outcome, redress } });
    }
    const policy = presetPolicies.find((p) => p.key === choosePolicy(defaultPolicyRules, { kind, product, channel, unitId: team.id }))!;
    caseRows[caseRows.length - 1].policyKey = policy.key;
    const firstResponseAt = ackAt.getTime() < now.getTime() ? ackAt : null;
    for (const def of policy.clocks) {
      const key = `${calendarKey.get(team.id)}|${policy.key}|${def.name}|${receivedAt.getTime()}`;
      let dueAt = bulk ? dueDates.get(key) : undefined;
      if (!dueAt) {
        dueAt = dueDate(def, calendars.get(team.id)!, receivedAt);
        if (bulk) dueDates.set(key, dueAt);
      }
      const metAt = def.metBy === 'first_response' ? firstResponseAt : resolved ? resolvedAt : null;
      const state = metAt ? settle(dueAt, metAt) : 'running';
      clockRows.push({
        id: randomUUID(), organisationId, caseId: id, policyKey: policy.key, name: def.name, label: def.label, basis: def.basis, amount: def.amount,
        metBy: def.metBy, pausable: def.pausable, informational: def.informational ?? false, warnAt: def.warnAt, customerText: def.customerText,
        startedAt: receivedAt, dueAt, state, metAt, breachedAt: state === 'breached' ? dueAt : null,
        // Unmet clocks are left to the sweep, which warns, breaches and escalates them as it would live.
        nextFireAt: metAt ? null : nextFireAt(receivedAt, dueAt, def.warnAt, 0),
      });
    }
    if (closed) events.push({ organisationId, stream, type: 'case.status_changed', actorId: null, at: new Date(resolvedAt.getTime() + 56 * DAY), data: { from: 'resolved', to: 'closed' } });
    // The inbox order and breach flag, as refreshCaseDeadlines would set them from the clocks.
    const own = clockRows.slice(clockRows.length - policy.clocks.length);
    const pending = own.filter((c) => !c.informational && !c.metAt && c.state === 'running').map((c) => c.dueAt.getTime());
    const row = caseRows[caseRows.length - 1];
    row.nextDueAt = pending.length > 0 ? new Date(Math.min(...pending)) : null;
    row.sortDueAt = sortDueAt(row.nextDueAt, receivedAt);
    row.breached = own.some((c) => !c.informational && c.state === 'breached');
  };
}

const emptyRecords = (): DemoRecords => ({ caseRows: [], clockRows: [], messageRows: [], events: [] });

async function writeRecords(tx: Db, r: DemoRecords) {
  for (let i = 0; i < r.caseRows.length; i += 1000) await insertRows(tx, cases, r.caseRows.slice(i, i + 1000));
  for (let i = 0; i < r.messageRows.length; i += 1000) await insertRows(tx, caseMessages, r.messageRows.slice(i, i + 1000));
  for (let i = 0; i < r.clockRows.length; i += 1000) await insertRows(tx, caseClocks, r.clockRows.slice(i, i + 1000));
  await appendNewStreams(tx, r.events);
}

async function nextRefs(tx: Db, count: number): Promise<number[]> {
  return (await tx.execute(sql`SELECT nextval('case_ref_seq')::int AS n FROM generate_series(1, ${count}::int)`) as unknown as { rows: { n: number }[] }).rows.map((r) => r.n);
}

/** A few thousand cases over the last 18 months, in the caller's transaction. */
export async function seedDemoCases(tx: Db, organisationId: string, now: Date): Promise<number> {
  const make = await demoCaseFactory(tx, organisationId, now, 20261124);
  const records = emptyRecords();
  for (const n of await nextRefs(tx, DEMO_CASES)) make(n, records);
  await writeRecords(tx, records);
  return records.caseRows.length;
}

const BULK_CHUNK = 5000;
const BULK_HOURS = [9, 11, 14, 16];

/**
 * Bulk cases carry the opening of a narrative (up to 280 characters, cut at a word): the
 * full-text index of a million full narratives (a gigabyte of text) would dominate the load.
 */
function shorten(text: string): string {
  if (text.length <= 280) return text;
  const cut = text.lastIndexOf(' ', 279);
  return `${text.slice(0, cut > 200 ? cut : 279)}…`;
}

/**
 * The bulk path for load tests and large demos: `count` more demo cases with their clocks,
 * messages and chained history, generated and written chunk by chunk (one transaction each, so
 * memory stays flat), two chunks at a time on PostgreSQL. Returns the number of cases written.
 */
export async function seedBulkCases(database: Database, organisationId: string, count: number, now: Date, onProgress?: (done: number) => void): Promise<number> {
  const make = await demoCaseFactory(database.db, organisationId, now, 20261125 + count, true);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const size = Math.min(BULK_CHUNK, count - next);
      next += size;
      await database.db.transaction(async (tx) => {
        const records = emptyRecords();
        for (const n of await nextRefs(tx, size)) make(n, records);
        await writeRecords(tx, records);
      });
      done += size;
      onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: database.kind === 'postgres' ? 2 : 1 }, worker));
  await database.db.execute(sql`ANALYZE`);
  return done;
}

function demoSummary(outcome: string, redress: { amount: number; kind: string } | null): string {
  const money = redress ? ` We paid £${redress.amount.toFixed(2)} (${redress.kind}).` : '';
  switch (outcome) {
    case 'upheld': return `We agreed we got this wrong and put it right.${money}`;
    case 'partially_upheld': return `We agreed with part of the complaint.${money}`;
    case 'not_upheld': return 'We looked into this carefully and found the account was handled correctly; we explained why and gave the ombudsman referral rights.';
    default: return 'Resolved to the customer\'s satisfaction.';
  }
}
