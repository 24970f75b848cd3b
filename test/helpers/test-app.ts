import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.js';
import type { AppContext, Clock } from '../../src/context.js';
import type { Database } from '../../src/db/client.js';
import { issueApiToken } from '../../src/auth/auth.service.js';
import { createOrganisation } from '../../src/org/organisation.service.js';
import { buildApp } from '../../src/server/app.js';
import { openTestDatabase } from './test-database.js';

/** A clock tests can move: `clock.set(...)`, `clock.advance(ms)`. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-03-02T09:00:00Z')) {}
  now() { return new Date(this.current); }
  set(at: Date | string) { this.current = new Date(at); }
  advance(ms: number) { this.current = new Date(this.current.getTime() + ms); }
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  clock: TestClock;
  /** An HTTP request to the real app, in process. `token` sends a Bearer token. */
  request(opts: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  /** A new organisation with an admin and that admin's API token. */
  createOrg(name?: string): Promise<TestOrg>;
  close(): Promise<void>;
}

export interface TestOrg {
  id: string;
  slug: string;
  rootUnitId: string;
  adminId: string;
  adminEmail: string;
  adminToken: string;
}

export const TEST_PASSWORD = 'correct-horse-battery';

let orgCounter = 0;

export async function createTestApp(options: { clock?: TestClock; env?: Record<string, string>; logStream?: NodeJS.WritableStream } = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const clock = options.clock ?? new TestClock();
  const config = loadConfig({ TRUSTDESK_DATA_DIR: '/tmp/trustdesk-test-unused', LOG_LEVEL: options.logStream ? 'trace' : 'silent', ...options.env });
  const ctx: AppContext = { database, db: database.db, config, clock };
  // With a log stream the app logs as in production (every level), so tests can read what it writes.
  const app = await buildApp(ctx, { logger: Boolean(options.logStream), logStream: options.logStream, webDist: '/nonexistent' });
  await app.ready();
  return {
    app, ctx, database, clock,
    request: ({ token, headers, ...opts }) => app.inject({
      ...opts,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    }),
    async createOrg(name = `Org ${++orgCounter}`) {
      const adminEmail = `admin-${orgCounter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
      const org = await createOrganisation(ctx.db, { name, adminEmail, adminPassword: TEST_PASSWORD }, clock.now());
      const { token } = await issueApiToken(ctx.db, org.id, org.adminId, 'test', null, clock.now());
      return { id: org.id, slug: org.slug, rootUnitId: org.rootUnitId, adminId: org.adminId, adminEmail, adminToken: token };
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
