import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrgTree, type OrgTree, signIn } from './helpers/fixtures.js';
import { createTestApp, type TestApp, TEST_PASSWORD } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t, 'Secure Bank');
});
afterAll(() => t?.close());

const cookieHeader = (res: { cookies: { name: string; value: string }[] }) => res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

describe('session fixation', () => {
  it('a session id the browser brought is never adopted: login issues a new one and the old one stops working', async () => {
    const planted = 'tds_planted-by-an-attacker-aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', headers: { cookie: `td_session=${planted}; _csrf=planted-secret` }, payload: { email: tree.users.leadA.email, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'td_session')!;
    expect(session.value).not.toBe(planted);
    expect(res.cookies.find((c) => c.name === '_csrf')?.value).not.toBe('planted-secret');
    expect((await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `td_session=${planted}` } })).statusCode).toBe(401);
  });

  it('signing in again rotates the session: the earlier session of that browser ends', async () => {
    const first = await signIn(t, tree.users.agentA.email);
    const again = await t.request({ method: 'POST', url: '/api/v1/auth/login', headers: { cookie: first.cookie }, payload: { email: tree.users.agentA.email, password: TEST_PASSWORD } });
    expect(again.statusCode).toBe(200);
    expect(cookieHeader(again)).not.toBe(first.cookie);
    expect((await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: first.cookie } })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieHeader(again) } })).statusCode).toBe(200);
  });

  it('the CSRF token of one session does not carry over to the next', async () => {
    const first = await signIn(t, tree.users.leadB.email);
    const second = await signIn(t, tree.users.leadB.email);
    const payload = { name: 'Reused token', visibleToCustomer: false };
    const res = await t.request({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: second.cookie, 'x-csrf-token': first.csrfToken }, payload: { name: payload.name } });
    expect(res.statusCode).toBe(403);
  });
});

describe('brute force', () => {
  it('locks after five failures, doubles the lock with each further failure, and says until when', async () => {
    const email = tree.users.regionLeadA.email;
    const attempt = (password: string) => t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password!')).statusCode).toBe(401);
    const locked = await attempt(TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    const firstUntil = new Date(locked.json().error.details.retryAfter).getTime();
    expect(firstUntil - t.clock.now().getTime()).toBe(60_000);
    t.clock.advance(61_000);
    expect((await attempt('wrong-again-password')).statusCode).toBe(401);
    const longer = await attempt(TEST_PASSWORD);
    expect(longer.statusCode).toBe(429);
    expect(new Date(longer.json().error.details.retryAfter).getTime() - t.clock.now().getTime()).toBe(120_000);
    // Even the right password is refused while locked; afterwards it works and the count resets.
    t.clock.advance(121_000);
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
    expect((await attempt('wrong-password!')).statusCode).toBe(401);
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
  });
});

describe('password policy', () => {
  const create = (password: string, email = `p${Math.random().toString(36).slice(2, 8)}@example.test`) => t.request({
    method: 'POST', url: '/api/v1/users', token: tree.org.adminToken,
    payload: { email, name: 'Policy Person', role: 'agent', unitId: tree.units.teamA, password },
  });

  it('refuses short, common and e-mail-based passwords with a 422 that names the field and the reason', async () => {
    const cases: [string, string][] = [['short-pw', 'at least 12 characters'], ['Password2024!', 'common password'], ['qwertyuiop123', 'common password'], ['zzzzzzzzzzzzzz', 'more varied']];
    for (const [password, reason] of cases) {
      const res = await create(password);
      expect(res.statusCode, password).toBe(422);
      expect(res.json().error.details[0]).toMatchObject({ path: 'password', message: expect.stringContaining(reason) });
    }
    const mine = await create('morgan.lee-2026!', 'morgan.lee@example.test');
    expect(mine.statusCode).toBe(422);
    expect(mine.json().error.message).toContain('e-mail');
    expect((await create('plum-kettle-harbour')).statusCode).toBe(201);
  });

  it('applies to password changes too', async () => {
    const res = await t.request({ method: 'PATCH', url: `/api/v1/users/${tree.users.agentB.id}`, token: tree.org.adminToken, payload: { password: 'password12345' } });
    expect(res.statusCode).toBe(422);
  });
});

describe('cookies behind HTTPS', () => {
  it('are Secure when TRUSTDESK_SECURE_COOKIES=1', async () => {
    const secure = await createTestApp({ env: { TRUSTDESK_SECURE_COOKIES: '1' } });
    try {
      const org = await secure.createOrg('Cookie Bank');
      const res = await secure.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.adminEmail, password: TEST_PASSWORD } });
      expect(res.statusCode).toBe(200);
      for (const c of res.cookies) expect(c, c.name).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      expect(res.cookies.map((c) => c.name).sort()).toEqual(['_csrf', 'td_session']);
    } finally {
      await secure.close();
    }
  });

  it('are Secure when the request came over HTTPS through a trusted proxy, and not on plain HTTP', async () => {
    const proxied = await createTestApp({ env: { TRUSTDESK_TRUST_PROXY: '1' } });
    try {
      const org = await proxied.createOrg('Proxy Bank');
      const login = (proto: string) => proxied.request({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': proto }, payload: { email: org.adminEmail, password: TEST_PASSWORD } });
      for (const c of (await login('https')).cookies) expect(c.secure, c.name).toBe(true);
      for (const c of (await login('http')).cookies) expect(c.secure, c.name).toBeFalsy();
    } finally {
      await proxied.close();
    }
  });
});

describe('security headers', () => {
  it('are on API answers, public pages and errors alike', async () => {
    for (const req of [
      { method: 'GET' as const, url: '/api/v1/health' },
      { method: 'GET' as const, url: '/api/v1/cases' },
      { method: 'GET' as const, url: '/portal/api/status/tdp_nothing' },
      { method: 'GET' as const, url: '/api/v1/no-such-route' },
    ]) {
      const res = await t.request(req);
      const h = res.headers;
      expect(h['x-content-type-options'], req.url).toBe('nosniff');
      expect(h['x-frame-options']).toBe('SAMEORIGIN');
      expect(String(h['strict-transport-security'])).toMatch(/max-age=\d{7,}/);
      expect(h['content-security-policy']).toContain("default-src 'self'");
      expect(h['content-security-policy']).toContain("object-src 'none'");
      expect(h['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(h['referrer-policy']).toBe('no-referrer');
      expect(h['cross-origin-opener-policy']).toBe('same-origin');
      expect(h['x-powered-by']).toBeUndefined();
    }
  });

  it('API answers are not stored by browsers or proxies', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/cases', token: tree.org.adminToken });
    expect(res.headers['cache-control']).toContain('no-store');
    const portal = await t.request({ method: 'GET', url: '/portal/api/status/tdp_nothing' });
    expect(portal.headers['cache-control']).toContain('no-store');
  });
});

describe('no secrets in logs', () => {
  it('a login, a token creation and a portal status fetch write no password, token, session id, status link or Authorization header', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    const logged = await createTestApp({ logStream: stream });
    try {
      const org = await logged.createOrg('Log Bank');
      const secret = { password: TEST_PASSWORD, apiToken: org.adminToken };
      const login = await logged.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.adminEmail, password: TEST_PASSWORD } });
      expect(login.statusCode).toBe(200);
      const sessionId = login.cookies.find((c) => c.name === 'td_session')!.value;
      const csrfSecret = login.cookies.find((c) => c.name === '_csrf')!.value;
      const cookie = cookieHeader(login);
      const created = await logged.request({ method: 'POST', url: '/api/v1/tokens', headers: { cookie, 'x-csrf-token': login.json().csrfToken }, payload: { name: 'ci' } });
      expect(created.statusCode).toBe(201);
      const newToken = created.json().token as string;
      await logged.request({ method: 'GET', url: '/api/v1/auth/me', token: newToken });
      await logged.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.adminEmail, password: 'a-wrong-password-typed' } });
      expect((await logged.request({ method: 'POST', url: '/api/v1/users', token: org.adminToken, payload: { email: 'agent@log.example', name: 'Agent', role: 'agent', unitId: org.rootUnitId } })).statusCode).toBe(201);
      expect((await logged.request({ method: 'PUT', url: '/api/v1/settings/portal', token: org.adminToken, payload: { unitId: org.rootUnitId } })).statusCode).toBe(200);
      const filed = await logged.request({ method: 'POST', url: `/portal/api/complaints?org=${org.slug}`, payload: {
        name: 'Log Customer', email: 'log.customer@example.test', whatHappened: 'Charged twice for one payment.', desiredOutcome: 'Refund',
        preferredContact: 'email', needsSupport: false, website: '',
      } });
      expect(filed.statusCode, filed.body).toBe(201);
      const statusToken = filed.json().token as string;
      expect((await logged.request({ method: 'GET', url: `/portal/api/status/${statusToken}` })).statusCode).toBe(200);
      expect((await logged.request({ method: 'GET', url: `/portal/api/status/${statusToken}?token=${statusToken}` })).statusCode).toBe(200);
      const log = chunks.join('');
      expect(log).toContain('"url":"/portal/api/status/[redacted]"');
      for (const [what, value] of Object.entries({ ...secret, sessionId, csrfSecret, newToken, statusToken, wrongPassword: 'a-wrong-password-typed' })) {
        expect(log.includes(value), `${what} appears in the log`).toBe(false);
      }
      expect(log.toLowerCase()).not.toContain('bearer ');
      expect(log).not.toMatch(/td[skpv]_[A-Za-z0-9_-]{20,}/);
    } finally {
      await logged.close();
    }
  });
});
