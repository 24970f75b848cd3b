import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { actorForUser } from '../auth/auth.service.js';
import { columnMapping } from '../cases/import/case-import.rows.js';
import { startImport } from '../cases/import/case-import.service.js';
import { eq, sql } from 'drizzle-orm';
import { issueApiToken } from '../auth/auth.service.js';
import { PASSWORD_MIN_LENGTH, passwordProblems } from '../auth/password-policy.js';
import { loadConfig } from '../config.js';
import { roles, units, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { seedBulkCases } from '../demo/demo-cases.js';
import { seedDemo } from '../demo/seed.service.js';
import { verifyHistory } from '../history/history.service.js';
import {
  countOrganisations, createOrganisation, findOrganisationBySlug, listOrganisations,
} from '../org/organisation.service.js';
import { insertUser } from '../org/user.service.js';
import { AppError } from '../server/errors.js';
import { startServer, stopOnSignals } from '../server/start.js';
import { backupEmbedded, prepareRestoreDir, RestoreRefused } from '../datacare/backup.js';
import { eraseCustomerData, exportCustomerData } from '../datacare/customer-data.service.js';
import { retentionReport, runRetention } from '../datacare/retention.service.js';
import { uploadsRoot } from '../storage/file-store.js';
import { fail, withContext } from './cli-context.js';

const program = new Command()
  .name('trustdesk')
  .description('TrustDesk: customer-trust operations. Uses the embedded database in ./data, or PostgreSQL when DATABASE_URL is set.')
  .showHelpAfterError();

const orgOption = new Option('--org <slug>', 'organisation (slug); defaults to the first one');

async function resolveOrganisation(db: Parameters<typeof listOrganisations>[0], slug?: string) {
  if (slug) return (await findOrganisationBySlug(db, slug)) ?? fail(`no organisation "${slug}"`);
  const [first] = await listOrganisations(db);
  return first ?? fail('the database has no organisation yet: run `trustdesk init` first');
}

function checkPassword(password: string, email?: string) {
  const problems = passwordProblems(password, { email });
  if (problems.length > 0) fail(`the password needs to be ${problems.map((p) => p.message).join('; ')}`);
}

program.command('serve')
  .description('start the web UI, API and background jobs (same as npm start, without building the UI)')
  .action(async () => {
    const server = await startServer(loadConfig());
    stopOnSignals(server);
  });

program.command('migrate')
  .description('apply pending database migrations and exit')
  .action(() => withContext(async (ctx) => console.log(`database migrated (${ctx.database.kind})`)));

program.command('init')
  .description('create the first organisation and its admin on an empty database')
  .requiredOption('--admin-email <email>', "the admin's e-mail (their login)")
  .requiredOption('--admin-password <password>', `the admin's password (at least ${PASSWORD_MIN_LENGTH} characters)`)
  .option('--org-name <name>', 'organisation name', 'My Organisation')
  .option('--admin-name <name>', "the admin's display name", 'Administrator')
  .action((o) => withContext(async (ctx) => {
    checkPassword(o.adminPassword, o.adminEmail);
    if ((await countOrganisations(ctx.db)) > 0) fail('the database already has an organisation; use `trustdesk org create` to add another');
    const org = await createOrganisation(ctx.db, { name: o.orgName, adminEmail: o.adminEmail, adminPassword: o.adminPassword, adminName: o.adminName }, ctx.clock.now());
    console.log(`created organisation "${org.name}" (${org.slug}) with admin ${o.adminEmail}`);
  }));

const org = program.command('org').description('manage organisations (tenants)');
org.command('create')
  .description('add another, fully isolated organisation with its own admin')
  .requiredOption('--name <name>', 'organisation name')
  .requiredOption('--admin-email <email>', "the admin's e-mail")
  .requiredOption('--admin-password <password>', `the admin's password (at least ${PASSWORD_MIN_LENGTH} characters)`)
  .option('--admin-name <name>', "the admin's display name", 'Administrator')
  .action((o) => withContext(async (ctx) => {
    checkPassword(o.adminPassword, o.adminEmail);
    const created = await createOrganisation(ctx.db, { name: o.name, adminEmail: o.adminEmail, adminPassword: o.adminPassword, adminName: o.adminName }, ctx.clock.now());
    console.log(`created organisation "${created.name}" (${created.slug}) with admin ${o.adminEmail}`);
  }));
org.command('list')
  .description('list organisations')
  .action(() => withContext(async (ctx) => {
    for (const o of await listOrganisations(ctx.db)) console.log(`${o.slug}\t${o.name}\t${o.id}`);
  }));

const usersCmd = program.command('users').description('manage users');
usersCmd.command('add')
  .description('add a user to an organisation')
  .requiredOption('--email <email>', 'e-mail (login)')
  .requiredOption('--name <name>', 'display name')
  .addOption(new Option('--role <role>', 'role').choices(roles).makeOptionMandatory())
  .option('--unit <name>', 'unit name; defaults to the company unit')
  .option('--password <password>', `password (at least ${PASSWORD_MIN_LENGTH} characters); without one the user can only use API tokens`)
  .option('--discretion-limit <amount>', 'discretion limit, e.g. 250', (v) => Number(v))
  .addOption(orgOption)
  .action((o) => withContext(async (ctx) => {
    if (o.password) checkPassword(o.password, o.email);
    const organisation = await resolveOrganisation(ctx.db, o.org);
    const [unit] = await ctx.db.select().from(units).where(inOrg(units, organisation.id,
      o.unit ? eq(units.name, o.unit) : eq(units.depth, 0)));
    if (!unit) fail(`no unit named "${o.unit}" in ${organisation.slug}`);
    const id = await ctx.db.transaction((tx) => insertUser(tx, organisation.id, null, ctx.clock.now(), {
      email: o.email, name: o.name, role: o.role, unitId: unit.id, password: o.password, discretionLimit: o.discretionLimit,
    }));
    console.log(`added ${o.role} ${o.email} to ${unit.name} (${id})`);
  }));

const token = program.command('token').description('manage API tokens');
token.command('create')
  .description('print a new API token for a user (shown once)')
  .requiredOption('--email <email>', "the user's e-mail")
  .option('--name <name>', 'what the token is for', 'cli')
  .addOption(orgOption)
  .action((o) => withContext(async (ctx) => {
    const matches = await ctx.db.select({ id: users.id, organisationId: users.organisationId, active: users.active }).from(users)
      .where(eq(sql`lower(${users.email})`, String(o.email).toLowerCase()));
    const organisation = o.org ? await resolveOrganisation(ctx.db, o.org) : undefined;
    const candidates = organisation ? matches.filter((m) => m.organisationId === organisation.id) : matches;
    if (candidates.length === 0) fail(`no user ${o.email}`);
    if (candidates.length > 1) fail(`${o.email} exists in several organisations; add --org <slug>`);
    const [user] = candidates;
    if (!user.active) fail(`${o.email} is deactivated`);
    const created = await issueApiToken(ctx.db, user.organisationId, user.id, o.name, null, ctx.clock.now());
    console.log(created.token);
  }));

const importCmd = program.command('import').description('bring records in from files');
importCmd.command('cases')
  .description('import cases from a CSV file; every row is checked first and one bad row imports nothing')
  .argument('<file>', 'the CSV file')
  .option('--mapping <name>', 'cfpb (the US CFPB complaint export) or the name of a saved mapping', 'cfpb')
  .option('--columns <json>', 'an inline mapping, e.g. \'{"subject":"Title","description":"Text","customerName":"Name"}\'')
  .option('--unit <name>', 'the unit the cases belong to (routed to its agents); defaults to the company unit')
  .option('--as <email>', 'who imports (an admin, compliance officer or lead); defaults to the first admin')
  .addOption(orgOption)
  .action((file: string, o) => withContext(async (ctx) => {
    if (!fs.existsSync(file)) fail(`no file ${file}`);
    const organisation = await resolveOrganisation(ctx.db, o.org);
    const [unit] = await ctx.db.select().from(units).where(inOrg(units, organisation.id, o.unit ? eq(units.name, o.unit) : eq(units.depth, 0)));
    if (!unit) fail(`no unit named "${o.unit}" in ${organisation.slug}`);
    const [person] = await ctx.db.select({ id: users.id }).from(users).where(inOrg(users, organisation.id, eq(users.active, true),
      o.as ? eq(sql`lower(${users.email})`, String(o.as).toLowerCase()) : eq(users.role, 'admin'))).limit(1);
    if (!person) fail(o.as ? `no active user ${o.as}` : 'the organisation has no active admin');
    const actor = await actorForUser(ctx, organisation.id, person.id);
    let columns;
    if (o.columns) {
      const parsed = columnMapping.safeParse(JSON.parse(o.columns));
      if (!parsed.success) fail(`--columns: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      columns = parsed.data;
    }
    const started = Date.now();
    const result = await startImport(ctx, actor, { filename: path.basename(file), csv: fs.readFileSync(file, 'utf8'), unitId: unit.id, mapping: columns ?? o.mapping }, {
      wait: true,
      onProgress: (done, total) => process.stderr.write(`\rimported ${done} of ${total} rows`),
    });
    process.stderr.write('\n');
    if (result.state === 'invalid') {
      for (const e of result.errors) console.error(`line ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.message}`);
      fail(`${result.errors.length} problem(s) in ${file}; nothing was imported`);
    }
    console.log(`${result.importedRows} cases imported into ${unit.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }));

program.command('seed')
  .description('fill the first organisation (created if none) with demo records; --bulk adds many more demo cases (load tests)')
  .option('--demo', 'the realistic demo data set (the default)')
  .option('--bulk <n>', 'then add n more demo cases with clocks and history through the bulk path', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000) fail('--bulk takes a whole number of cases from 1 to 10,000,000');
    return n;
  })
  .action((o: { bulk?: number }) => withContext(async (ctx) => {
    const result = await seedDemo(ctx);
    console.log(result.created ? `demo data added (${result.logins.length} demo staff)` : 'demo data was already there');
    if (o.bulk) {
      const started = Date.now();
      let shown = 0;
      const written = await seedBulkCases(ctx.database, result.organisationId, o.bulk, ctx.clock.now(), { onProgress: (done) => {
        if (done - shown >= 100_000 || done === o.bulk) {
          shown = done;
          console.log(`  ${done.toLocaleString('en')} cases (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        }
      } });
      console.log(`${written.toLocaleString('en')} more demo cases loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    console.log(`sign in as ${result.logins.find((l) => l.role === 'admin')?.email ?? 'the admin'} with password ${result.password}`);
  }));

const audit = program.command('audit').description('the tamper-evident history');
audit.command('verify')
  .description('recompute every hash chain and anchor; exit code 2 when something was changed')
  .addOption(orgOption)
  .action((o) => withContext(async (ctx) => {
    const orgs = o.org ? [await resolveOrganisation(ctx.db, o.org)] : await listOrganisations(ctx.db);
    let allOk = true;
    for (const organisation of orgs) {
      const result = await verifyHistory(ctx.db, organisation.id);
      allOk &&= result.ok;
      console.log(`${organisation.slug}: ${result.ok ? 'ok' : 'TAMPERED'} — ${result.checked} events checked`);
      for (const p of result.problems) console.log(`  event ${p.eventId ?? '-'} ${p.stream ?? ''} #${p.seq ?? '-'}: ${p.problem}`);
    }
    if (!allOk) process.exitCode = 2;
  }));

/** The actor CLI data-care commands act as: --as <email>, or the first active admin. */
async function cliActor(ctx: Parameters<typeof actorForUser>[0], organisationId: string, as?: string) {
  const [person] = await ctx.db.select({ id: users.id }).from(users).where(inOrg(users, organisationId, eq(users.active, true),
    as ? eq(sql`lower(${users.email})`, as.toLowerCase()) : eq(users.role, 'admin'))).limit(1);
  if (!person) fail(as ? `no active user ${as}` : 'the organisation has no active admin');
  return actorForUser(ctx, organisationId, person.id);
}

const retention = program.command('retention').description('records past their retention date');
retention.command('report')
  .description('what retention and erasure removed, and which cases past their date are kept (legal hold, still open)')
  .option('--since <date>', 'only removals since this date, e.g. 2026-01-01')
  .option('--json', 'print the full report as JSON')
  .addOption(orgOption)
  .action((o) => withContext(async (ctx) => {
    const organisation = await resolveOrganisation(ctx.db, o.org);
    const since = o.since ? new Date(o.since) : undefined;
    if (since && Number.isNaN(since.getTime())) fail(`--since: "${o.since}" is not a date`);
    const report = await retentionReport(ctx, await cliActor(ctx, organisation.id), { from: since });
    if (o.json) return console.log(JSON.stringify(report, null, 2));
    console.log(`${organisation.slug}: ${report.totals.cases} case(s) anonymised${since ? ` since ${o.since}` : ''}`);
    for (const a of report.anonymised) {
      const what = Object.entries(a.removed).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
      console.log(`  ${a.at.slice(0, 10)}  ${a.ref}  ${a.reason}: ${what || 'nothing left to remove'}`);
    }
    console.log(`${report.pending.length} case(s) past their retention date still kept`);
    for (const p of report.pending) {
      console.log(`  ${p.ref}  until ${p.retentionUntil}  ${p.legalHold ? 'legal hold' : p.status === 'open' || p.status === 'waiting_customer' ? 'still open' : 'next run'}`);
    }
  }));
retention.command('run')
  .description('anonymise now every closed case past its retention date without legal hold (the background job does this every minute)')
  .action(() => withContext(async (ctx) => console.log(`${await runRetention(ctx)} case(s) anonymised`)));

const customer = program.command('customer').description("a customer's data requests (export, erasure)");
const subjectOf = (o: { email?: string; ref?: string }) => {
  if (Boolean(o.email) === Boolean(o.ref)) fail('give exactly one of --email or --ref');
  return o.email ? { email: o.email as string } : { customerRef: o.ref as string };
};
/** A customer data request command: who it is about (--email or --ref), who asks, which organisation. */
const customerRequest = (name: string, description: string) => customer.command(name).description(description)
  .option('--email <email>', "the customer's e-mail")
  .option('--ref <customerRef>', "the customer's reference")
  .option('--as <email>', 'who asks (an admin or compliance officer); defaults to the first admin')
  .addOption(orgOption);
customerRequest('export', 'everything held about a customer, as JSON (a subject access request; recorded in the history)')
  .option('--out <file>', 'write to this file instead of the terminal')
  .action((o) => withContext(async (ctx) => {
    const organisation = await resolveOrganisation(ctx.db, o.org);
    const document = await exportCustomerData(ctx, await cliActor(ctx, organisation.id, o.as), subjectOf(o));
    const text = JSON.stringify(document, null, 2);
    if (o.out) {
      fs.writeFileSync(o.out, text, { mode: 0o600 });
      console.log(`wrote ${document.cases.length} case(s) to ${o.out}`);
    } else console.log(text);
  }));
customerRequest('erase', "anonymise a customer's data where the law allows; refused with the reason while a case is open, held or inside retention")
  .requiredOption('--reason <reason>', 'why (recorded in the history)')
  .action((o) => withContext(async (ctx) => {
    const organisation = await resolveOrganisation(ctx.db, o.org);
    try {
      const result = await eraseCustomerData(ctx, await cliActor(ctx, organisation.id, o.as), subjectOf(o), o.reason);
      console.log(`erased ${result.erasedCases.length} case(s)${result.erasedCases.length ? `: ${result.erasedCases.map((c) => c.ref).join(', ')}` : ''}; ${result.surveyInvitations} survey invitation(s)`);
    } catch (err) {
      const refusals = (err as AppError).details as { refusals?: { ref: string; reason: string }[] } | undefined;
      for (const r of refusals?.refusals ?? []) console.error(`  ${r.ref}: ${r.reason}`);
      throw err;
    }
  }));

/** Backup and restore handle the embedded database; PostgreSQL has its own tools. */
function embeddedConfig(command: string, tool: string) {
  const config = loadConfig();
  if (config.databaseUrl) fail(`${command} is for the embedded database; on PostgreSQL use ${tool} (see docs/data-care.md)`);
  return config;
}

program.command('backup')
  .description('write a consistent copy of the embedded database to a file (PostgreSQL: use pg_dump, see docs/data-care.md)')
  .requiredOption('--out <file>', 'the backup file to write (gzip tarball)')
  .option('--force', 'overwrite the file if it exists')
  .action(async (o) => {
    const config = embeddedConfig('backup', 'pg_dump');
    if (fs.existsSync(o.out) && !o.force) fail(`${o.out} exists; add --force to overwrite it`);
    const bytes = await withContext(async (ctx) => backupEmbedded(ctx.database));
    fs.writeFileSync(o.out, bytes, { mode: 0o600 });
    console.log(`backed up ${config.dataDir} to ${o.out} (${(bytes.length / 1024 / 1024).toFixed(1)} MB); uploaded files are in ${path.join(uploadsRoot(config), 'attachments')} and ${path.join(uploadsRoot(config), 'evidence')}: copy them too`);
  });

program.command('restore')
  .description('restore the embedded database from a backup file into the data directory (stop the server first)')
  .requiredOption('--in <file>', 'the backup file (from `trustdesk backup`)')
  .option('--force', 'replace a data directory that already holds a database (the old one is kept, renamed)')
  .action(async (o) => {
    const config = embeddedConfig('restore', 'pg_restore');
    if (!fs.existsSync(o.in)) fail(`no file ${o.in}`);
    const moved = prepareRestoreDir(config.dataDir, Boolean(o.force));
    if (moved) console.log(`the previous database was moved to ${moved}`);
    await withContext(async (ctx) => {
      let total = 0;
      for (const organisation of await listOrganisations(ctx.db)) {
        const result = await verifyHistory(ctx.db, organisation.id);
        total += result.checked;
        if (!result.ok) fail(`restored, but the history of ${organisation.slug} does not verify: run \`trustdesk audit verify\``);
      }
      console.log(`restored ${o.in} into ${config.dataDir}; history verified (${total} events)`);
    }, config, new Blob([fs.readFileSync(o.in)]));
  });

program.parseAsync().catch((err) => {
  if (err instanceof AppError || err instanceof RestoreRefused) fail(err.message);
  console.error(err);
  process.exit(1);
});
