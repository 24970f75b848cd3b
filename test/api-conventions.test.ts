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

// Bad input on every route (fuzzing with thousands of requests) lives in test/fuzz.test.ts.
