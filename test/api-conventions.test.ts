import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
});
afterAll(() => t?.close());

function expectErrorShape(res: { statusCode: number; json(): unknown }) {
  const body = res.json() as { error?: { code?: unknown; message?: unknown } };
  expect(body.error, JSON.stringify(body)).toBeDefined();
  expect(body.error!.code).toMatch(/^[a-z_]+$/);
  expect(typeof body.error!.message).toBe('string');
}

describe('HTTP conventions', () => {
  it('health says which database it runs on, without auth', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: t.database.kind });
    // SMTP is not configured and this in-test app runs no background timer: both say so without degrading.
    expect(res.json().checks).toMatchObject({ database: { status: 'ok' }, smtp: { status: 'disabled' }, storage: { status: 'ok' }, jobs: { status: 'disabled' } });
  });

  it('unknown API routes are a JSON 404', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/no-such-thing', token: tree.org.adminToken });
    expect(res.statusCode).toBe(404);
    expectErrorShape(res);
  });

  it('malformed JSON is a 400', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/units', token: tree.org.adminToken, headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res);
  });

  it('an oversized body is a 413', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/units', token: tree.org.adminToken, payload: { name: 'x'.repeat(2 * 1024 * 1024), kind: 'team', parentId: tree.units.regionA } });
    expect(res.statusCode).toBe(413);
    expectErrorShape(res);
  });

  it('an unsupported content type is a 415', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/units', token: tree.org.adminToken, headers: { 'content-type': 'application/xml' }, payload: '<unit/>' });
    expect(res.statusCode).toBe(415);
    expectErrorShape(res);
  });

  it('sends security headers', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('publishes an OpenAPI document of every route and a readable reference page', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/health', '/api/v1/units', '/api/v1/units/{id}', '/api/v1/users', '/api/v1/users/{id}', '/api/v1/tokens', '/api/v1/users/{id}/tokens', '/api/v1/audit/verify', '/api/v1/auth/login']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const page = await t.request({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });
});

/** Row counts of every table: bad input must leave them as they were. */
async function snapshot() {
  const rows = await t.database.query<{ relname: string }>("SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname");
  const counts: Record<string, number> = {};
  for (const { relname } of rows) {
    const [{ n }] = await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${relname}"`);
    counts[relname] = n;
  }
  const [{ h }] = await t.database.query<{ h: string }>("SELECT coalesce(max(id), 0)::text AS h FROM history_events");
  return { counts, lastEvent: h };
}

describe('bad input on every route', () => {
  it('never answers 5xx, always in the error shape, and changes nothing', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ path, method: method.toUpperCase() })))
      .filter((r) => r.method !== 'GET' || r.path.includes('{'));
    const before = await snapshot();
    const idLike = fc.oneof(fc.constant('not-a-uuid'), fc.uuid(), fc.string({ maxLength: 40 }), fc.constant('%00'), fc.constant('..%2F..'));
    // Bodies that can never be a valid request for any route: wrong JSON types, or objects with unknown keys.
    const badBody = fc.oneof(
      fc.array(fc.jsonValue(), { maxLength: 3 }),
      fc.string(), fc.integer(), fc.constant(null),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).map((k) => `zz${k}`), fc.jsonValue(), { minKeys: 1, maxKeys: 4 }),
      fc.record({ name: fc.oneof(fc.integer(), fc.constant(''), fc.string({ minLength: 300, maxLength: 400 })), email: fc.string({ unit: 'binary' }) }),
    );
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...routes), idLike, badBody, fc.boolean(),
      async (route, id, body, authed) => {
        const url = route.path.replace('{id}', encodeURIComponent(id));
        const res = await t.request({
          method: route.method as 'POST', url, token: authed ? tree.org.adminToken : undefined,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        });
        expect(res.statusCode, `${route.method} ${url} ${JSON.stringify(body)?.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expectErrorShape(res);
      },
    ), { numRuns: 400, seed: 20261124 });
    const after = await snapshot();
    // Logins with bad bodies never reach the user table; sessions only come from valid logins.
    expect(after).toEqual(before);
  });
});
