/**
 * Intake: `POST /api/v1/cases` from 8 concurrent clients over real HTTP to the real server (its
 * own process), against the rate at which the same rows (the case, its clocks, its history
 * events and stream head) go straight through the database driver, one transaction per case,
 * 8 at a time, measured in the same run on the same database.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { issueApiToken } from '../src/auth/auth.service.js';
import { sortDueAt } from '../src/cases/case.service.js';
import { formatCaseRef } from '../src/cases/case.js';
import { calendarForUnit, planClocks } from '../src/clocks/clock.service.js';
import { presetPolicies } from '../src/clocks/policies.js';
import { openDatabase, type Database } from '../src/db/client.js';
import type { EmbeddedClient } from '../src/db/embedded-client.js';
import { caseClocks, cases, historyEvents, historyStreams } from '../src/db/schema/index.js';
import { GENESIS_HASH, hashEvent } from '../src/history/history.hash.js';
import { createOrganisation } from '../src/org/organisation.service.js';
import { insertUser } from '../src/org/user.service.js';
import { freePort, postgresCpuMs, request, startBenchServer } from './bench-server.js';
import { printResult, withBenchDatabaseUrl } from './bench-helpers.js';

const CLIENTS = 8;
const CASES = Number(process.env.BENCH_INTAKE_CASES ?? 4000);
const WARMUP = 200;

interface Fixture { organisationId: string; unitId: string; ownerId: string; token: string }

async function prepare(database: Database): Promise<Fixture> {
  const now = new Date();
  const org = await createOrganisation(database.db, { name: `Intake ${randomUUID().slice(0, 8)}`, adminEmail: 'admin@intake.example', adminPassword: 'bench-password-1' }, now);
  const ownerId = await database.db.transaction((tx) => insertUser(tx, org.id, null, now, { email: 'agent@intake.example', name: 'Agent', role: 'agent', unitId: org.rootUnitId }));
  const { token } = await issueApiToken(database.db, org.id, org.adminId, 'bench', null, now);
  return { organisationId: org.id, unitId: org.rootUnitId, ownerId, token };
}

const body = (f: Fixture, i: number) => ({
  subject: `Card payment taken twice ${i}`,
  description: 'I was charged twice for the same purchase on my debit card and want the duplicate refunded.',
  customer: { name: `Customer ${i}`, email: `customer${i}@example.test` },
  unitId: f.unitId, ownerId: f.ownerId, channel: 'web', product: 'cards',
});

/** The statements a case is made of, built by the query builder and sent raw through the driver. */
async function driverStatements(database: Database, f: Fixture, i: number, n: number) {
  const now = new Date();
  const id = randomUUID();
  const policy = presetPolicies[0];
  const calendar = await calendarFor(database, f);
  const clocks = planClocks(policy, calendar, { organisationId: f.organisationId, id, receivedAt: now });
  const b = body(f, i);
  const caseRow = {
    id, organisationId: f.organisationId, ref: formatCaseRef(now.getUTCFullYear(), n), kind: 'complaint' as const, subject: b.subject, description: b.description,
    customerName: b.customer.name, customerEmail: b.customer.email, channel: 'web' as const, product: 'cards', unitId: f.unitId, ownerId: f.ownerId,
    status: 'open' as const, priority: 'normal' as const, receivedAt: now, createdAt: now, updatedAt: now, policyKey: policy.key,
    nextDueAt: clocks.nextDueAt, sortDueAt: sortDueAt(clocks.nextDueAt, now), retentionUntil: '2032-01-01',
  };
  const stream = `case:${id}`;
  let prev = GENESIS_HASH;
  const events = [
    { type: 'case.created', data: { ref: caseRow.ref, kind: 'complaint', subject: b.subject, channel: 'web', unitId: f.unitId, ownerId: f.ownerId } },
    { type: 'clocks.started', data: { policy: policy.key, clocks: clocks.rows.map((r) => ({ name: r.name, dueAt: r.dueAt.toISOString() })) } },
  ].map((e, k) => {
    const fields = { organisationId: f.organisationId, stream, seq: k + 1, at: now, actorId: null, type: e.type, data: e.data };
    const hash = hashEvent(prev, fields);
    const row = { ...fields, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  const db = database.db;
  return [
    db.insert(cases).values(caseRow).toSQL(),
    db.insert(caseClocks).values(clocks.rows).toSQL(),
    db.insert(historyStreams).values({ organisationId: f.organisationId, stream, lastSeq: 2, lastHash: prev }).toSQL(),
    db.insert(historyEvents).values(events).toSQL(),
  ];
}

let calendarCache: Awaited<ReturnType<typeof calendarForUnit>> | undefined;
async function calendarFor(database: Database, f: Fixture) {
  return calendarCache ??= await calendarForUnit(database.db, f.organisationId, f.unitId);
}

async function runClients(total: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < total) await one(next++);
  }));
  return total / ((performance.now() - started) / 1000);
}

async function driverRate(database: Database, f: Fixture, url: string | undefined): Promise<number> {
  let n = 1_000_000;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
    try {
      return await runClients(CASES, async (i) => {
        const statements = await driverStatements(database, f, i, n++);
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          for (const s of statements) await client.query(s.sql, s.params);
          await client.query('COMMIT');
        } finally { client.release(); }
      });
    } finally { await pool.end(); }
  }
  const pglite = (database as Database & { pglite: EmbeddedClient }).pglite;
  return runClients(CASES, async (i) => {
    const statements = await driverStatements(database, f, i, n++);
    await pglite.transaction(async (tx) => {
      for (const s of statements) await tx.query(s.sql, s.params as unknown[]);
    });
  });
}

async function httpRate(base: string, f: Fixture, offset: number, total: number): Promise<number> {
  return runClients(total, async (i) => {
    const res = await request(base, 'POST', '/api/v1/cases', body(f, offset + i), f.token);
    if (res.status !== 201) throw new Error(`POST /api/v1/cases answered ${res.status}: ${JSON.stringify(res.body)}`);
  });
}

/** `processes` > 1 (PostgreSQL only): the server runs as that many processes sharing the port (TRUSTDESK_PROCESSES). */
export async function benchIntake(kind: 'embedded' | 'postgres', processes = 1) {
  const target = kind === 'embedded' ? 1000 : 1500;
  await withBenchDatabaseUrl(kind, async (location) => {
    let dataDir: string | undefined;
    if (kind === 'embedded') dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustdesk-intake-'));
    try {
      const database = await openDatabase(location ?? { dataDir });
      let f: Fixture;
      let reference: number;
      try {
        f = await prepare(database);
        reference = await driverRate(database, f, location?.databaseUrl);
      } finally { await database.close(); }
      // The embedded database belongs to one process: the server opens it once the driver run closed it.
      const server = await startBenchServer(location ?? { dataDir }, freePort(), { TRUSTDESK_PROCESSES: String(processes) });
      try {
        await httpRate(server.url, f, 0, WARMUP);
        const before = { server: server.cpuMs(), postgres: postgresCpuMs(), clients: process.cpuUsage() };
        const rate = await httpRate(server.url, f, WARMUP, CASES);
        const clients = process.cpuUsage(before.clients);
        const perCase = {
          server: (server.cpuMs() - before.server) / CASES,
          postgres: (postgresCpuMs() - before.postgres) / CASES,
          clients: (clients.user + clients.system) / 1000 / CASES,
        };
        const servers = processes > 1 ? `, ${processes} server processes` : '';
        printResult(`intake, ${kind}${servers}, POST /api/v1/cases, ${CLIENTS} clients (${CASES} cases)`, rate, 'cases/s', `≥ ${target.toLocaleString('en')}`);
        printResult(`intake, ${kind}, same rows straight through the driver`, reference, 'cases/s');
        const ratio = rate / reference;
        console.log(`  ratio HTTP / driver: ${ratio.toFixed(2)} (target ≥ 0.50) — ${rate >= target && ratio >= 0.5 ? 'PASS' : 'FAIL'}`);
        // Where the machine's CPU went, per case: the server, the database (PostgreSQL's processes, when local) and the 8 clients.
        console.log(`  CPU per case: server ${perCase.server.toFixed(2)} ms, ${kind === 'postgres' ? `PostgreSQL ${perCase.postgres.toFixed(2)} ms, ` : ''}clients ${perCase.clients.toFixed(2)} ms`);
        console.log(`  server RSS after intake: ${server.rssMb().toFixed(0)} MB`);
      } finally { await server.stop(); }
    } finally {
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchIntake((process.argv[2] ?? 'embedded') as 'embedded' | 'postgres', Number(process.argv[3] ?? 1));
}
