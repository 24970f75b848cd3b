import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../src/auth/auth.service.js';
import { demoConductAssessorTeam, demoConductWeakPocket } from '../src/demo/demo-conduct.js';
import { seedDemo } from '../src/demo/seed.service.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedDemo(t.ctx);
  const [person] = await t.database.query<{ id: string }>("SELECT id FROM users WHERE email = 'conduct@harbourvale.example'");
  token = (await issueApiToken(t.ctx.db, seeded.organisationId, person.id, 'test', null, t.clock.now())).token;
}, 240_000);
afterAll(() => t?.close());

const get = async (url: string) => {
  const res = await t.request({ method: 'GET', url: `/api/v1${url}`, token });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('conduct demo data', () => {
  it('two completed Consumer Duty cycles and one in progress, the weak pocket on the first screen, actions in every state', async () => {
    const cycles = (await get('/cycles')).items;
    expect(cycles.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([['2026 H1', 'open'], ['2025 H2', 'closed'], ['2025 H1', 'closed']]);
    const status = await get(`/cycles/${cycles[0].id}/status`);
    expect(status.capped).toBe(true);
    expect(status.redCells[0]).toMatchObject({ practiceTitle: demoConductWeakPocket.practice, critical: true });
    expect(status.redCells[0].unitPath).toContain(demoConductWeakPocket.region);
    const toAssess = (await get(`/assessments?cycleId=${cycles[0].id}&limit=500`)).items
      .filter((c: { unitName: string; critical: boolean; state: string }) => c.unitName === demoConductAssessorTeam && !c.critical && ['draft', 'not_started'].includes(c.state));
    expect(toAssess.length).toBeGreaterThan(0);
    const actions = (await get('/actions?limit=500')).items;
    const states = new Set(actions.map((a: { status: string; overdue: boolean }) => (a.overdue ? 'overdue' : a.status)));
    expect([...states].sort()).toEqual(['done', 'open', 'overdue', 'verified']);
    expect((await get('/evidence?limit=5')).items.length).toBeGreaterThan(0);
    expect((await get(`/cycles/${cycles[0].id}/trend`)).points.length).toBe(20);
    expect((await get('/audit/verify')).ok).toBe(true);
  });
});
