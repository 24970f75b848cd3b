import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrgTree, type OrgTree, signIn } from './helpers/fixtures.js';
import { createTestApp, type TestApp, TEST_PASSWORD } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
});
afterAll(() => t?.close());

describe('sessions', () => {
  it('signs in with a secure, httpOnly cookie and answers /auth/me', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: tree.users.leadA.email, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'td_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    expect(res.json().user).toMatchObject({ email: tree.users.leadA.email, role: 'lead' });
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const me = await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().organisation.id).toBe(tree.org.id);
  });

  it('a wrong password is a 401 that does not say which part was wrong', async () => {
    const wrongPassword = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: tree.users.agentA.email, password: 'nope-nope-nope' } });
    const unknownUser = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.test', password: 'nope-nope-nope' } });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    expect(wrongPassword.json().error).toEqual(unknownUser.json().error);
  });

  it('cookie-authenticated writes need the CSRF token', async () => {
    const { cookie, csrfToken } = await signIn(t, tree.org.adminEmail);
    const payload = { name: 'CSRF check', kind: 'team', parentId: tree.units.regionA };
    const without = await t.request({ method: 'POST', url: '/api/v1/units', headers: { cookie }, payload });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf_invalid');
    const forged = await t.request({ method: 'POST', url: '/api/v1/units', headers: { cookie, 'x-csrf-token': 'forged' }, payload });
    expect(forged.statusCode).toBe(403);
    const ok = await t.request({ method: 'POST', url: '/api/v1/units', headers: { cookie, 'x-csrf-token': csrfToken }, payload });
    expect(ok.statusCode).toBe(201);
  });

  it('logout ends the session', async () => {
    const { cookie } = await signIn(t, tree.users.executive.email);
    expect((await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('a session expires after the idle period', async () => {
    const { cookie } = await signIn(t, tree.users.compliance.email);
    t.clock.advance(13 * 3_600_000);
    expect((await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('locks an account after repeated failures, with backoff', async () => {
    const email = tree.users.agentB.email;
    for (let i = 0; i < 5; i++) {
      expect((await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'wrong-password!' } })).statusCode).toBe(401);
    }
    const locked = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('account_locked');
    t.clock.advance(2 * 60_000);
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } })).statusCode).toBe(200);
  });

  it('rate-limits rapid sign-in attempts with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push((await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'flood@example.test', password: 'x' } })).statusCode);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });

  it('asks which organisation when an e-mail exists in two', async () => {
    const other = await t.createOrg('Second Org');
    const email = 'shared.person@example.test';
    for (const org of [tree.org, other]) {
      const res = await t.request({ method: 'POST', url: '/api/v1/users', token: org.adminToken, payload: { email, name: 'Shared', role: 'agent', unitId: org.rootUnitId, password: TEST_PASSWORD } });
      expect(res.statusCode).toBe(201);
    }
    const ambiguous = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
    expect(ambiguous.statusCode).toBe(409);
    expect(ambiguous.json().error.code).toBe('organisation_required');
    const chosen = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD, organisation: other.slug } });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().organisation.id).toBe(other.id);
  });
});

describe('API tokens', () => {
  it('are shown once, listed without the secret, and revocable', async () => {
    const created = await t.request({ method: 'POST', url: '/api/v1/tokens', token: tree.users.leadB.token, payload: { name: 'integration' } });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^tdk_[A-Za-z0-9_-]{43}$/);
    const list = await t.request({ method: 'GET', url: '/api/v1/tokens', token });
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(id);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/tokens/${id}`, token: tree.users.leadB.token })).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/api/v1/tokens', token })).statusCode).toBe(401);
  });

  it("only an admin creates a token for someone else, and nobody revokes another's", async () => {
    const res = await t.request({ method: 'POST', url: `/api/v1/users/${tree.users.agentA.id}/tokens`, token: tree.users.leadA.token, payload: { name: 'x' } });
    expect(res.statusCode).toBe(403);
    const mine = (await t.request({ method: 'POST', url: '/api/v1/tokens', token: tree.users.agentA.token, payload: { name: 'mine' } })).json();
    expect((await t.request({ method: 'DELETE', url: `/api/v1/tokens/${mine.id}`, token: tree.users.leadA.token })).statusCode).toBe(404);
  });

  it('a malformed Authorization header is a 401', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/units', headers: { authorization: 'Basic abc' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });
});
