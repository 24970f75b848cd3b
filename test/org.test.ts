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

describe('units', () => {
  it('lists units as a tree with their leads', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/units', token: tree.org.adminToken });
    expect(res.statusCode).toBe(200);
    const names = res.json().items.map((u: { name: string }) => u.name);
    expect(names).toEqual([expect.any(String), 'Retail', 'North', 'North Complaints', 'South', 'South Complaints']);
    const north = res.json().items.find((u: { name: string }) => u.name === 'North Complaints');
    expect(north.leads.map((l: { name: string }) => l.name)).toEqual([expect.stringContaining('leadA')]);
  });

  it('refuses a unit that nests the wrong way, and changes nothing', async () => {
    const before = await t.request({ method: 'GET', url: '/api/v1/units', token: tree.org.adminToken });
    const res = await t.request({ method: 'POST', url: '/api/v1/units', token: tree.org.adminToken, payload: { name: 'Bad', kind: 'division', parentId: tree.units.teamA } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('unprocessable');
    const after = await t.request({ method: 'GET', url: '/api/v1/units', token: tree.org.adminToken });
    expect(after.json().items).toHaveLength(before.json().items.length);
  });

  it('rejects malformed input with the documented error shape', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/units', token: tree.org.adminToken, payload: { name: '', kind: 'planet', parentId: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['kind', 'parentId']));
  });

  it('moves a subtree and keeps scoping correct', async () => {
    const team = await t.request({ method: 'POST', url: '/api/v1/units', token: tree.org.adminToken, payload: { name: 'Movers', kind: 'team', parentId: tree.units.regionA } });
    const id = team.json().id;
    const moved = await t.request({ method: 'PATCH', url: `/api/v1/units/${id}`, token: tree.org.adminToken, payload: { parentId: tree.units.regionB } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().parentId).toBe(tree.units.regionB);
    // The lead of region A no longer sees it.
    const asRegionLead = await t.request({ method: 'GET', url: `/api/v1/units/${id}`, token: tree.users.regionLeadA.token });
    expect(asRegionLead.statusCode).toBe(404);
    const cycle = await t.request({ method: 'PATCH', url: `/api/v1/units/${tree.units.regionA}`, token: tree.org.adminToken, payload: { parentId: tree.units.teamA } });
    expect(cycle.statusCode).toBe(422);
  });

  it('rejects an unknown timezone', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/units', token: tree.org.adminToken, payload: { name: 'X', kind: 'team', parentId: tree.units.regionA, timezone: 'Mars/Olympus' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0].path).toBe('timezone');
  });
});

describe('users', () => {
  it('creates a user, refuses a duplicate e-mail and a short password', async () => {
    const payload = { email: 'new.person@example.test', name: 'New Person', role: 'agent', unitId: tree.units.teamA, password: 'a-long-password-1', discretionLimit: 250 };
    const created = await t.request({ method: 'POST', url: '/api/v1/users', token: tree.org.adminToken, payload });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: payload.email, role: 'agent', discretionLimit: 250, active: true, unitName: 'North Complaints' });
    expect(created.json()).not.toHaveProperty('passwordHash');
    const dup = await t.request({ method: 'POST', url: '/api/v1/users', token: tree.org.adminToken, payload: { ...payload, email: 'NEW.person@example.test' } });
    expect(dup.statusCode).toBe(409);
    const short = await t.request({ method: 'POST', url: '/api/v1/users', token: tree.org.adminToken, payload: { ...payload, email: 'other@example.test', password: 'short' } });
    expect(short.statusCode).toBe(422);
    expect(short.json().error.details[0].path).toBe('password');
  });

  it('pages through users with a cursor', async () => {
    const first = await t.request({ method: 'GET', url: '/api/v1/users?limit=3', token: tree.org.adminToken });
    expect(first.json().items).toHaveLength(3);
    const second = await t.request({ method: 'GET', url: `/api/v1/users?limit=3&cursor=${first.json().nextCursor}`, token: tree.org.adminToken });
    const ids = [...first.json().items, ...second.json().items].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    const bad = await t.request({ method: 'GET', url: '/api/v1/users?cursor=garbage', token: tree.org.adminToken });
    expect(bad.statusCode).toBe(400);
  });

  it('never lets the last admin go', async () => {
    const res = await t.request({ method: 'PATCH', url: `/api/v1/users/${tree.org.adminId}`, token: tree.org.adminToken, payload: { active: false } });
    expect(res.statusCode).toBe(409);
  });

  it('a deactivated user can no longer use their token', async () => {
    const payload = { email: 'leaver@example.test', name: 'Leaver', role: 'agent', unitId: tree.units.teamB };
    const user = (await t.request({ method: 'POST', url: '/api/v1/users', token: tree.org.adminToken, payload })).json();
    const token = (await t.request({ method: 'POST', url: `/api/v1/users/${user.id}/tokens`, token: tree.org.adminToken, payload: { name: 'x' } })).json().token;
    expect((await t.request({ method: 'GET', url: '/api/v1/tokens', token })).statusCode).toBe(200);
    await t.request({ method: 'PATCH', url: `/api/v1/users/${user.id}`, token: tree.org.adminToken, payload: { active: false } });
    expect((await t.request({ method: 'GET', url: '/api/v1/tokens', token })).statusCode).toBe(401);
  });
});

describe('role and unit scope', () => {
  it('an agent cannot read or change users or units', async () => {
    const token = tree.users.agentA.token;
    for (const [method, url] of [['GET', '/api/v1/units'], ['GET', '/api/v1/users'], ['GET', `/api/v1/units/${tree.units.teamA}`], ['GET', `/api/v1/users/${tree.users.agentA.id}`]] as const) {
      expect((await t.request({ method, url, token })).statusCode, url).toBe(403);
    }
    const create = await t.request({ method: 'POST', url: '/api/v1/users', token, payload: { email: 'x@example.test', name: 'X', role: 'admin', unitId: tree.units.teamA } });
    expect(create.statusCode).toBe(403);
    const patch = await t.request({ method: 'PATCH', url: `/api/v1/units/${tree.units.teamA}`, token, payload: { name: 'Mine' } });
    expect(patch.statusCode).toBe(403);
  });

  it('a lead sees only its subtree', async () => {
    const units = await t.request({ method: 'GET', url: '/api/v1/units', token: tree.users.regionLeadA.token });
    expect(units.json().items.map((u: { name: string }) => u.name)).toEqual(['North', 'North Complaints']);
    const users = await t.request({ method: 'GET', url: '/api/v1/users?limit=500', token: tree.users.leadA.token });
    const emails = users.json().items.map((u: { email: string }) => u.email);
    expect(emails).toContain(tree.users.agentA.email);
    expect(emails).not.toContain(tree.users.agentB.email);
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${tree.users.agentB.id}`, token: tree.users.leadA.token })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: `/api/v1/units/${tree.units.teamB}`, token: tree.users.leadA.token })).statusCode).toBe(404);
  });

  it('a lead cannot change users even in its own team', async () => {
    const res = await t.request({ method: 'PATCH', url: `/api/v1/users/${tree.users.agentA.id}`, token: tree.users.leadA.token, payload: { discretionLimit: 1e6 } });
    expect(res.statusCode).toBe(403);
  });
});
