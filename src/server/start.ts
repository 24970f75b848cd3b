import type { FastifyInstance } from 'fastify';
import { type Config } from '../config.js';
import { type AppContext, systemClock } from '../context.js';
import { openDatabase } from '../db/client.js';
import { isDatabaseUnavailable, rootCauseMessage } from '../db/errors.js';
import { seedDemo } from '../demo/seed.service.js';
import { startMaintenance } from '../jobs/maintenance.js';
import { fileClock } from '../ops/file-clock.js';
import { countOrganisations } from '../org/organisation.service.js';
import { startInboundSmtp } from '../portal/inbound-mail.js';
import { buildApp } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database (migrating it), seeds the demo on an empty one, and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  const clock = config.testClockFile ? fileClock(config.testClockFile) : systemClock;
  const ctx: AppContext = { database, db: database.db, config, clock };
  const app = await buildApp(ctx);
  if (config.testClockFile) app.log.warn(`TRUSTDESK_TEST_CLOCK_FILE is set: the time is shifted by the offset in ${config.testClockFile}. For tests only.`);

  if ((await countOrganisations(ctx.db)) === 0) {
    if (config.demo) {
      const seeded = await seedDemo(ctx);
      printDemoLogins(seeded.logins, seeded.password, config.publicUrl);
    } else {
      app.log.warn('The database has no organisation yet: run `npx trustdesk init --admin-email E --admin-password P`');
    }
  }

  const maintenance = startMaintenance(ctx, {
    frequentMs: config.jobIntervalMs,
    // While the database is away every run fails the same way: one line each, not a stack with SQL.
    onError: (err) => (isDatabaseUnavailable(err)
      ? app.log.warn({ cause: rootCauseMessage(err) }, 'background work waits for the database')
      : app.log.error({ err }, 'background work failed; retrying on the next run')),
  });
  await app.listen({ port: config.port, host: config.host });
  const inbound = config.inboundSmtpPort !== undefined
    ? await startInboundSmtp(ctx, config.inboundSmtpPort, config.host, (err) => app.log.warn({ err }, 'inbound e-mail refused'))
    : undefined;
  if (inbound) app.log.info(`Receiving e-mail on smtp://${config.host}:${inbound.port}`);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  app.log.info(`TrustDesk is ready at ${url} (database: ${database.kind})`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await inbound?.close();
      await app.close(); // stops accepting, waits for in-flight requests
      await maintenance.stop(); // lets the background work in hand finish
      await database.close();
    })();
    return stopping;
  };
  return { app, ctx, url, stop };
}

/**
 * SIGTERM / SIGINT: stop accepting, finish in-flight requests and the job step in hand, close the
 * database, exit 0. A second signal takes the default action (exit at once).
 */
export function stopOnSignals(server: RunningServer) {
  const { config } = server.ctx;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.app.log.info(`${signal}: no new connections; finishing in-flight requests and the job step in hand`);
      // A hung dependency must not hold a deploy for ever; claims are leased, so a forced exit loses nothing.
      const deadline = setTimeout(() => {
        server.app.log.error(`still draining after ${config.shutdownTimeoutMs} ms; exiting anyway`);
        process.exit(1);
      }, config.shutdownTimeoutMs);
      deadline.unref();
      server.stop().then(() => {
        server.app.log.info('stopped cleanly');
        process.exit(0);
      }, (err) => {
        server.app.log.error({ err }, 'error while stopping');
        process.exit(1);
      });
    });
  }
}

function printDemoLogins(logins: { email: string; role: string; name: string }[], password: string, url: string) {
  const byRole = (role: string) => logins.find((l) => l.role === role);
  const lines = ['admin', 'executive', 'compliance', 'lead', 'agent']
    .map(byRole).filter((l) => l !== undefined)
    .map((l) => `    ${l.role.padEnd(11)} ${l.email.padEnd(40)} (${l.name})`);
  console.log([
    '',
    `  TrustDesk demo organisation created with ${logins.length} staff. Sign in at ${url}`,
    ...lines,
    `    password for every demo login: ${password}`,
    '',
  ].join('\n'));
}
