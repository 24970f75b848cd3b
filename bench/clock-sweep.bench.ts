/**
 * The clock sweep at scale: N open cases each with a running clock, of which 1,000 become due.
 * Prints the cost of a sweep when nothing is due, and the time to fire the 1,000 (each a breach
 * that is recorded, notified and escalated to the first rung, as in production).
 */
import { sql } from 'drizzle-orm';
import { sweepClocks } from '../src/clocks/clock.service.js';
import type { AppContext } from '../src/context.js';
import { systemClock } from '../src/context.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { onClocksFired } from '../src/escalations/escalation.service.js';
import { createOrganisation } from '../src/org/organisation.service.js';
import { insertUser } from '../src/org/user.service.js';
import { printResult, withBenchDatabase } from './bench-helpers.js';

const DUE = 1000;

async function loadOpenCases(database: Database, n: number) {
  const now = new Date();
  const org = await createOrganisation(database.db, { name: 'Sweep Bank', adminEmail: 'admin@sweep.example', adminPassword: 'bench-password-1' }, now);
  const agentId = await database.db.transaction((tx) => insertUser(tx, org.id, null, now, { email: 'agent@sweep.example', name: 'Agent', role: 'agent', unitId: org.rootUnitId }));
  await database.db.transaction((tx) => insertUser(tx, org.id, null, now, { email: 'lead@sweep.example', name: 'Lead', role: 'lead', unitId: org.rootUnitId }));
  const chunk = 100_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(from + chunk - 1, n);
    await database.db.execute(sql`
      INSERT INTO cases (id, organisation_id, ref, kind, subject, description, customer_name, channel, unit_id, owner_id, status, priority,
        received_at, created_at, updated_at, sort_due_at, next_due_at, retention_until, policy_key)
      SELECT md5('case' || g)::uuid, ${org.id}, 'B-' || g, 'complaint', 'Bench case ' || g, 'A complaint used to measure the clock sweep', 'Customer ' || g,
        'web', ${org.rootUnitId}, ${agentId}, 'open', 'normal', now() - interval '1 day', now(), now(), now() + interval '30 days', now() + interval '30 days',
        (now() + interval '3 years')::date, 'bench'
      FROM generate_series(${from}::int, ${to}::int) g`);
    await database.db.execute(sql`
      INSERT INTO case_clocks (id, organisation_id, case_id, policy_key, name, label, basis, amount, met_by, pausable, informational, warn_at,
        customer_text, started_at, due_at, state, next_fire_at)
      SELECT md5('clock' || g)::uuid, ${org.id}, md5('case' || g)::uuid, 'bench', 'final_response', 'Final response', 'calendar_days', 31, 'resolution',
        false, false, '[]'::jsonb, 'We will reply', now() - interval '1 day', now() + interval '30 days', 'running', now() + interval '30 days'
      FROM generate_series(${from}::int, ${to}::int) g`);
  }
  await database.db.execute(sql`ANALYZE`);
  return org;
}

export async function benchClockSweep(kind: 'embedded' | 'postgres', openCases: number) {
  await withBenchDatabase(kind, async (database) => {
    const started = performance.now();
    await loadOpenCases(database, openCases);
    console.log(`  loaded ${openCases.toLocaleString('en')} open cases with clocks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const ctx: AppContext = { database, db: database.db, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: systemClock };
    const sweep = () => sweepClocks(ctx, (tx, fired, at) => onClocksFired(tx, ctx, fired, at));
    await sweep();
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await sweep();
      idle.push(performance.now() - t0);
    }
    idle.sort((a, b) => a - b);
    printResult(`clock sweep, ${kind}, ${openCases.toLocaleString('en')} open, nothing due (median)`, idle[10], 'ms', '< 20 ms');
    await database.db.execute(sql`
      UPDATE case_clocks SET due_at = now() - interval '1 second', next_fire_at = now() - interval '1 second'
      WHERE id IN (SELECT id FROM case_clocks ORDER BY id LIMIT ${DUE})`);
    const t0 = performance.now();
    const fired = await sweep();
    const ms = performance.now() - t0;
    const [{ n }] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM escalations');
    printResult(`clock sweep, ${kind}, fire ${fired} due clocks (+ ${n} escalations)`, ms, 'ms', '< 1000 ms');
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchClockSweep((process.argv[2] ?? 'embedded') as 'embedded' | 'postgres', Number(process.argv[3] ?? 100_000));
}
