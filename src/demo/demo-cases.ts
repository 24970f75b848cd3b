import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { eq, sql } from 'drizzle-orm';
import { formatCaseRef, retentionUntil } from '../cases/case.js';
import { caseStream, sortDueAt } from '../cases/case.service.js';
import { cfpbCategory, cfpbProduct } from '../cases/import/cfpb.js';
import type { Connection, Database, Db } from '../db/client.js';
import { copyRowsText, insertRows } from '../db/bulk.js';
import { AppError } from '../server/errors.js';
import { caseClocks, caseMessages, cases, historyEvents, historyStreams, reportCaseFacts, units, users } from '../db/schema/index.js';
import { BusinessCalendar, defaultCalendar } from '../clocks/calendar.js';
import { dueDate, nextFireAt, settle } from '../clocks/clock-rules.js';
import { choosePolicy, defaultPolicyRules, presetPolicies } from '../clocks/policies.js';
import { inOrg } from '../db/tenant.js';
import { appendNewStreams, chainNewStreams, queueEventWebhooks, type ChainedEvent, type NewEvent } from '../history/history.service.js';
import { parseSettings } from '../org/settings.js';
import { casePhrases, factOf, holdReportRollups, rebuildManyDays, type FactRow } from '../reports/rollup.service.js';
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
  /** The report facts of the cases, as the rollup job would make them: reports are right at once. */
  factRows: FactRow[];
  /** The days (units' local dates) the facts fall on, whose rollup rows the load rebuilds. */
  factDays: Set<string>;
}

/**
 * Makes demo cases one at a time from the organisation's demo structure: real narratives,
 * realistic turnaround and outcomes, and one weaker region (more complaints, more upheld, slower)
 * for the reports to find. Used for the demo set and, chunk by chunk, for the bulk load.
 */
async function demoCaseFactory(tx: Db, organisationId: string, now: Date, seed: number, bulk = false) {
  const rand = createRandom(seed);
  const allUnits = await tx.select().from(units).where(inOrg(units, organisationId)).orderBy(units.depth, units.name);
  const staff = await tx.select().from(users).where(inOrg(users, organisationId, eq(users.active, true))).orderBy(users.email);
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
  // A few hundred narratives, each analysed once however many cases tell it.
  const phrases = new Map<string, string[]>();

  return function make(refNumber: number, out: DemoRecords) {
    const { caseRows, clockRows, messageRows, events } = out;
    const eventsBefore = events.length;
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
    // (Never later than now: a case received today keeps its exact time if the hour is still to come.)
    const rounded = bulk ? Math.floor(exact / DAY) * DAY + rand.pick(BULK_HOURS) * 3_600_000 : exact;
    const receivedAt = new Date(rounded <= now.getTime() ? rounded : exact);
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
      const key = `${calendarKey.get(team.id)}|${def.basis}|${def.amount}|${receivedAt.getTime()}`;
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

    const text = `${row.subject}\n${row.description}`;
    if (!phrases.has(text)) phrases.set(text, casePhrases(row.subject, row.description));
    const fact = factOf(
      { ...row, unitId: team.id, resolvedAt: row.resolvedAt ?? null, outcome: outcome ?? null, redressAmount: row.redressAmount ?? null, redressKind: row.redressKind ?? null,
        product, category: row.category ?? null, reopenCount: 0, vulnerable, status, channel },
      calendars.get(team.id)!, own.filter((c) => !c.informational).map((c) => ({ name: c.name, state: c.state! })), phrases.get(text)!,
    );
    // New streams number their events from 1: the last is the count.
    out.factRows.push({ ...fact, streamSeq: events.length - eventsBefore });
    out.factDays.add(fact.receivedDay);
    if (fact.resolvedDay) out.factDays.add(fact.resolvedDay);
  };
}

const emptyRecords = (factDays = new Set<string>()): DemoRecords => ({ caseRows: [], clockRows: [], messageRows: [], events: [], factRows: [], factDays });

async function writeRecords(tx: Db, r: DemoRecords) {
  for (let i = 0; i < r.caseRows.length; i += 1000) await insertRows(tx, cases, r.caseRows.slice(i, i + 1000));
  for (let i = 0; i < r.messageRows.length; i += 1000) await insertRows(tx, caseMessages, r.messageRows.slice(i, i + 1000));
  for (let i = 0; i < r.clockRows.length; i += 1000) await insertRows(tx, caseClocks, r.clockRows.slice(i, i + 1000));
  for (let i = 0; i < r.factRows.length; i += 1000) await insertRows(tx, reportCaseFacts, r.factRows.slice(i, i + 1000));
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
  await holdReportRollups(tx, organisationId, now);
  await writeRecords(tx, records);
  await rebuildManyDays(tx, organisationId, records.factDays);
  return records.caseRows.length;
}

const BULK_CHUNK = 5000;
/** PostgreSQL: cases a COPY statement carries, and how many are made and encoded at a time. */
const COPY_CHUNK = 10_000;
const COPY_BATCH = 500;
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

export interface BulkOptions {
  /** Called after each chunk with the number of cases written so far. */
  onProgress?: (done: number) => void;
  /**
   * PostgreSQL: drop the secondary indexes and foreign keys of the tables loaded and build them again
   * at the end, in the load's transaction. By default when the load is large and at least doubles
   * `cases`. (The embedded database keeps them.)
   */
  deferIndexes?: boolean;
}

/** From this many cases, and at least as many as `cases` holds already, indexes and keys are built after the load. */
const DEFER_INDEXES_FROM = 50_000;
/** The tables a bulk load writes, whose secondary indexes and foreign keys it may build afterwards. */
const DEFERRABLE = ['cases', 'case_clocks', 'case_messages', 'history_events', 'history_streams', 'report_case_facts'];

/**
 * The bulk path for load tests and large demos: `count` more demo cases with their clocks,
 * messages and chained history, generated and written chunk by chunk so that memory stays flat.
 * On PostgreSQL, one transaction of COPY statements (see `copyBulkCases`); on the embedded
 * database, a transaction a chunk of JSON recordsets. Returns the number of cases written.
 */
export async function seedBulkCases(database: Database, organisationId: string, count: number, now: Date, options: BulkOptions = {}): Promise<number> {
  const make = await demoCaseFactory(database.db, organisationId, now, 20261125 + count, true);
  const connection = await database.connect?.();
  if (connection) {
    try { await copyBulkCases(connection, organisationId, count, make, now, options); } finally { connection.release(); }
  } else {
    // The embedded database has one connection: the rollup job runs between chunks, passes over
    // the loaded cases (their facts reflect their events), and the load rebuilds their days last.
    // A failed load keeps the chunks it wrote, and their days are rebuilt all the same.
    const factDays = new Set<string>();
    try {
      for (let done = 0; done < count;) {
        const size = Math.min(BULK_CHUNK, count - done);
        await database.db.transaction(async (tx) => {
          const records = emptyRecords();
          for (const n of await nextRefs(tx, size)) make(n, records);
          await writeRecords(tx, records);
          for (const day of records.factDays) factDays.add(day);
        });
        done += size;
        options.onProgress?.(done);
      }
    } finally {
      await rebuildManyDays(database.db, organisationId, factDays);
    }
  }
  // Statistics for the planner, and the visibility map set once here: the first readers would
  // otherwise pay for hint bits, and counts by index (the inbox tabs) would visit every row.
  await database.db.execute(sql`VACUUM (ANALYZE) cases, case_messages, case_clocks, history_events, history_streams, webhook_deliveries, report_case_facts, report_daily`);
  return count;
}

type MakeCase = Awaited<ReturnType<typeof demoCaseFactory>>;

/**
 * PostgreSQL's bulk load: the whole load is one transaction on one connection, so an interrupted
 * load leaves nothing behind — no partial data, and no index missing. Each chunk goes in with
 * COPY (a statement a table), and the next chunk is generated and hashed while the
 * server stores the one before: node and PostgreSQL each keep a core busy. For a large load the
 * tables' secondary indexes and foreign keys, as the migrations made them (read from the
 * catalogue, not listed here), are dropped first and made again at the end — a sorted build and
 * one join instead of work for every row; while such a load runs, those tables are locked for
 * other sessions (and the ones the keys point at, organisations, units and users, read-only).
 */
async function copyBulkCases(connection: Connection, organisationId: string, count: number, make: MakeCase, now: Date, options: BulkOptions) {
  await connection.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL synchronous_commit = off`);
    // The load writes the report facts and rollup rows of its cases: the job waits until it commits.
    await holdReportRollups(tx, organisationId, now);
    const [{ existing }] = (await tx.execute(sql`SELECT reltuples::bigint AS existing FROM pg_class WHERE oid = 'cases'::regclass`) as unknown as { rows: { existing: string }[] }).rows;
    const defer = options.deferIndexes ?? (count >= DEFER_INDEXES_FROM && count >= Number(existing));
    const deferred = defer ? await dropDeferrable(tx) : [];
    const refs = await nextRefs(tx, count);
    const hooked = (await tx.execute(sql`SELECT 1 FROM webhooks WHERE organisation_id = ${organisationId} AND active LIMIT 1`) as unknown as { rows: unknown[] }).rows.length > 0;
    let writing: Promise<void> = Promise.resolve();
    const factDays = new Set<string>();
    for (let done = 0; done < count;) {
      const size = Math.min(COPY_CHUNK, count - done);
      // Made and encoded a few hundred cases at a time: their objects die young, only the text is kept.
      const texts = new Map<string, string[]>();
      const hookedRows: ChainedEvent[] = [];
      for (let from = done; from < done + size; from += COPY_BATCH) {
        const records = emptyRecords(factDays);
        for (let i = from; i < Math.min(from + COPY_BATCH, done + size); i++) make(refs[i], records);
        const { rows, streamRows } = chainNewStreams(records.events);
        if (hooked) hookedRows.push(...rows);
        for (const copy of [
          copyRowsText(cases, records.caseRows), copyRowsText(caseMessages, records.messageRows), copyRowsText(caseClocks, records.clockRows),
          copyRowsText(historyEvents, rows), copyRowsText(historyStreams, streamRows), copyRowsText(reportCaseFacts, records.factRows),
        ]) {
          if (!copy) continue;
          const pieces = texts.get(copy.statement) ?? [];
          texts.set(copy.statement, pieces);
          pieces.push(copy.data);
        }
        // Let the socket take the previous chunk's data while this one is made.
        await new Promise(setImmediate);
      }
      await writing;
      done += size;
      const written = done;
      writing = (async () => {
        for (const [statement, data] of texts) await connection.copyIn(statement, data);
        if (hookedRows.length > 0) await queueEventWebhooks(tx, hookedRows);
        options.onProgress?.(written);
      })();
      // A failed chunk is seen by the next `await writing`; until then it must not count as unhandled.
      writing.catch(() => undefined);
    }
    await writing;
    if (deferred.length > 0) {
      await tx.execute(sql`SET LOCAL maintenance_work_mem = '512MB'`);
      for (const statement of deferred) await tx.execute(sql.raw(statement));
    }
    await rebuildManyDays(tx, organisationId, factDays);
  });
}

/**
 * Drops what the loaded tables check row by row and a bulk load can check once at the end: their
 * foreign keys and the indexes no constraint needs (unique ones too: building them again checks
 * uniqueness). Returns the statements that put them back, from the catalogue's own definitions.
 */
async function dropDeferrable(tx: Db): Promise<string[]> {
  const tables = sql`${`{${DEFERRABLE.join(',')}}`}::regclass[]`;
  const { rows } = await tx.execute(sql`
    SELECT 'DROP INDEX ' || i.indexrelid::regclass AS drop, pg_get_indexdef(i.indexrelid) AS restore
    FROM pg_index i
    WHERE i.indrelid = ANY (${tables}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    UNION ALL
    SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
    FROM pg_constraint c
    WHERE c.conrelid = ANY (${tables}) AND c.contype = 'f'`) as unknown as { rows: { drop: string; restore: string }[] };
  for (const r of rows) await tx.execute(sql.raw(r.drop));
  // Indexes first: checking a foreign key is cheaper with the indexes there.
  return rows.map((r) => r.restore);
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
