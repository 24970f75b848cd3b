import { expect } from 'vitest';
import type { TestApp, TestOrg } from './test-app.js';
import { TEST_PASSWORD } from './test-app.js';

export interface OrgTree {
  org: TestOrg;
  units: { division: string; regionA: string; regionB: string; teamA: string; teamB: string };
  users: Record<'executive' | 'compliance' | 'leadA' | 'agentA' | 'leadB' | 'agentB' | 'regionLeadA', { id: string; email: string; token: string }>;
}

/**
 * A small organisation built through the public API: company → division → two regions,
 * a team in each, and a user of every role with an API token.
 */
export async function buildOrgTree(t: TestApp, name?: string): Promise<OrgTree> {
  const org = await t.createOrg(name);
  const post = async (url: string, payload: object, token = org.adminToken) => {
    const res = await t.request({ method: 'POST', url, payload, token });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const division = await post('/api/v1/units', { name: 'Retail', kind: 'division', parentId: org.rootUnitId });
  const regionA = await post('/api/v1/units', { name: 'North', kind: 'region', parentId: division.id });
  const regionB = await post('/api/v1/units', { name: 'South', kind: 'region', parentId: division.id });
  const teamA = await post('/api/v1/units', { name: 'North Complaints', kind: 'team', parentId: regionA.id });
  const teamB = await post('/api/v1/units', { name: 'South Complaints', kind: 'team', parentId: regionB.id });
  const specs = {
    executive: { role: 'executive', unitId: org.rootUnitId },
    compliance: { role: 'compliance', unitId: org.rootUnitId },
    regionLeadA: { role: 'lead', unitId: regionA.id },
    leadA: { role: 'lead', unitId: teamA.id },
    agentA: { role: 'agent', unitId: teamA.id },
    leadB: { role: 'lead', unitId: teamB.id },
    agentB: { role: 'agent', unitId: teamB.id },
  } as const;
  const users = {} as OrgTree['users'];
  for (const [key, spec] of Object.entries(specs)) {
    const email = `${key.toLowerCase()}-${org.slug}@example.test`;
    const user = await post('/api/v1/users', { email, name: `${key} of ${org.slug}`, password: TEST_PASSWORD, ...spec });
    const token = await post(`/api/v1/users/${user.id}/tokens`, { name: 'test' });
    users[key as keyof typeof specs] = { id: user.id, email, token: token.token };
  }
  return {
    org,
    units: { division: division.id, regionA: regionA.id, regionB: regionB.id, teamA: teamA.id, teamB: teamB.id },
    users,
  };
}

/** Signs in through the API; returns the cookie header and CSRF token a browser would hold. */
export async function signIn(t: TestApp, email: string, password = TEST_PASSWORD) {
  const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const cookies = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie: cookies, csrfToken: res.json().csrfToken as string, body: res.json() };
}
