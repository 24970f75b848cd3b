/**
 * The executive report at scale: N complaints over two years in 12 units and 200,000 survey
 * responses, filled in bulk with SQL. The per-case facts the rollup job writes are generated in
 * SQL too (business days approximated as 5/7 of calendar days; the job uses each unit's real
 * calendar), then the daily rollup is built by the job's own code (rebuildAllDays). Prints the
 * warm time of the whole report (every query of GET /reports/executive) for 90 days and a year.
 */
import { sql } from 'drizzle-orm';
import { actorForUser } from '../src/auth/auth.service.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { systemClock } from '../src/context.js';
import type { Database } from '../src/db/client.js';
import { createOrganisation } from '../src/org/organisation.service.js';
import { insertUser } from '../src/org/user.service.js';
import { executiveReport } from '../src/reports/executive-report.service.js';
import { renderExecutiveReportPdf } from '../src/reports/executive-report.pdf.js';
import { rebuildAllDays } from '../src/reports/rollup.service.js';
import { printResult, withBenchDatabase } from './bench-helpers.js';

const UNITS = 12;
const RESPONSES = 200_000;

export async function loadReportBench(database: Database, n: number) {
  const now = new Date();
  const db = database.db;
  const org = await createOrganisation(db, { name: 'Report Bank', adminEmail: 'admin@report.example', adminPassword: 'bench-password-1' }, now);
  const agentId = await db.transaction((tx) => insertUser(tx, org.id, null, now, { email: 'agent@report.example', name: 'Agent', role: 'agent', unitId: org.rootUnitId }));
  await db.execute(sql`
    INSERT INTO units (id, organisation_id, parent_id, name, kind, path, depth, timezone, country)
    SELECT md5('unit' || g)::uuid, ${org.id}, ${org.rootUnitId}, 'Team ' || g, 'team',
      (SELECT path FROM units WHERE id = ${org.rootUnitId}) || md5('unit' || g)::uuid || '/', 1, 'Europe/London', 'GB-ENG'
    FROM generate_series(1, ${UNITS}) g`);
  const chunk = 100_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(from + chunk - 1, n);
    // Two years of complaints; 97 % resolved after 0–70 days; one in ten a request.
    await db.execute(sql`
      INSERT INTO cases (id, organisation_id, ref, kind, subject, description, customer_name, channel, product, category, unit_id, owner_id,
        status, priority, vulnerable, received_at, created_at, updated_at, sort_due_at, retention_until, policy_key,
        resolved_at, outcome, redress_amount, redress_kind, reopen_count)
      SELECT md5('case' || g)::uuid, ${org.id}, 'R-' || g, CASE WHEN g % 10 = 0 THEN 'request' ELSE 'complaint' END,
        'Complaint ' || g, 'Bench complaint', 'Customer ' || g,
        (ARRAY['web','email','phone','letter'])[1 + g % 4], (ARRAY['Current account','Savings','Mortgage','Credit card','Loan','Insurance','Pension','Investments'])[1 + g % 8],
        (ARRAY['Fees','Service','Delays','Errors','Fraud','Arrears','Advice','Closure','Credit file','Other'])[1 + (g / 7) % 10],
        md5('unit' || (1 + g % ${UNITS}))::uuid, ${agentId},
        CASE WHEN g % 33 = 0 THEN 'open' ELSE 'closed' END, 'normal', g % 12 = 0,
        now() - ((g % 730) || ' days')::interval - ((g % 24) || ' hours')::interval, now(), now(), now() + interval '30 days',
        (now() + interval '3 years')::date, 'fca-disp',
        CASE WHEN g % 33 = 0 THEN NULL ELSE now() - ((g % 730) || ' days')::interval + (((g * 7) % 71) || ' days')::interval END,
        CASE WHEN g % 33 = 0 THEN NULL ELSE (ARRAY['upheld','partially_upheld','not_upheld','not_upheld','resolved'])[1 + g % 5] END,
        CASE WHEN g % 33 <> 0 AND g % 5 < 2 THEN 25 + g % 200 END, CASE WHEN g % 33 <> 0 AND g % 5 < 2 THEN (ARRAY['compensation','refund','goodwill','interest'])[1 + g % 4] END,
        CASE WHEN g % 50 = 0 THEN 1 ELSE 0 END
      FROM generate_series(${from}::int, ${to}::int) g`);
  }
  // Cases "resolved" in the future of the load time stay open in this synthetic set.
  await db.execute(sql`UPDATE cases SET status = 'open', resolved_at = NULL, outcome = NULL, redress_amount = NULL, redress_kind = NULL WHERE organisation_id = ${org.id} AND resolved_at > now()`);
  await db.execute(sql`
    INSERT INTO report_case_facts (organisation_id, case_id, unit_id, kind, product, category, channel, vulnerable, received_at, received_day,
      resolved_at, resolved_day, outcome, calendar_days, business_days, within_8_weeks, redress_amount, redress_kind, reopen_count, clocks, breached_clocks, phrases)
    SELECT organisation_id, id, unit_id, kind, product, category, channel, vulnerable, received_at, received_at::date,
      resolved_at, resolved_at::date, outcome, floor(extract(epoch FROM resolved_at - received_at) / 86400)::int,
      floor(floor(extract(epoch FROM resolved_at - received_at) / 86400) * 5 / 7)::int, resolved_at <= received_at + interval '56 days',
      redress_amount, redress_kind, reopen_count, ARRAY['acknowledge','final_response'],
      CASE WHEN resolved_at > received_at + interval '56 days' OR (resolved_at IS NULL AND received_at < now() - interval '56 days') THEN ARRAY['final_response'] ELSE ARRAY[]::text[] END,
      ARRAY[lower(category), lower(product) || ' ' || lower(category)]
    FROM cases WHERE organisation_id = ${org.id}`);
  await db.execute(sql`
    INSERT INTO surveys (id, organisation_id, name, audience, touchpoint, status, current_version, settings, created_at, updated_at)
    VALUES (md5('survey')::uuid, ${org.id}, 'Care', 'customers', 'case_resolution', 'live', 1, '{}'::jsonb, now(), now())`);
  await db.execute(sql`
    INSERT INTO survey_responses (id, organisation_id, survey_id, version, answers, care, propensity, nps, unit_id, touchpoint, created_at)
    SELECT md5('response' || g)::uuid, ${org.id}, md5('survey')::uuid, 1, '{}'::jsonb, g % 11, (g % 11 + g % 3) % 11, (g * 7) % 11,
      md5('unit' || (1 + g % ${UNITS}))::uuid, 'case_resolution', now() - ((g % 730) || ' days')::interval
    FROM generate_series(1, ${RESPONSES}) g`);
  await db.execute(sql`ANALYZE`);
  return org;
}

export async function benchExecutiveReport(kind: 'embedded' | 'postgres', n: number) {
  await withBenchDatabase(kind, async (database) => {
    let t0 = performance.now();
    const org = await loadReportBench(database, n);
    console.log(`  loaded ${n.toLocaleString('en')} cases and ${RESPONSES.toLocaleString('en')} survey responses in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    const days = await rebuildAllDays(database.db, org.id);
    await database.db.execute(sql`ANALYZE`);
    console.log(`  built the daily rollup (${days} days) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const ctx: AppContext = { database, db: database.db, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: systemClock };
    const actor = await actorForUser(ctx, org.id, org.adminId);
    const today = new Date().toISOString().slice(0, 10);
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
    for (const [label, from] of [['90 days', daysAgo(89)], ['a year', daysAgo(364)]] as const) {
      const report = await executiveReport(ctx, actor, { from, to: today });
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        await executiveReport(ctx, actor, { from, to: today });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      printResult(`executive report, ${kind}, ${label} (${report.complaints.current.received.toLocaleString('en')} received), warm median`, times[3], 'ms', kind === 'postgres' ? '< 500 ms' : '< 2000 ms');
    }
    const report = await executiveReport(ctx, actor, { from: daysAgo(89), to: today });
    t0 = performance.now();
    await renderExecutiveReportPdf(report, 'Report Bank');
    printResult(`executive report PDF rendering, ${kind}`, performance.now() - t0, 'ms');
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchExecutiveReport((process.argv[2] ?? 'embedded') as 'embedded' | 'postgres', Number(process.argv[3] ?? 1_000_000));
}
