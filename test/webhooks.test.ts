import { createHmac } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhooks } from '../src/notify/webhook.service.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;
let server: http.Server;
let url: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let failNext = 0;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('signed webhooks', () => {
  it('deliver case and escalation events with an HMAC-SHA256 signature', async () => {
    const created = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: tree.org.adminToken, payload: { url, events: ['case.created', 'escalation.raised'] } });
    expect(created.statusCode, created.body).toBe(201);
    const { secret } = created.json();
    expect(secret).toMatch(/^whsec_/);
    expect((await t.request({ method: 'GET', url: '/api/v1/webhooks', token: tree.org.adminToken })).body).not.toContain(secret);
    const c = (await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: { subject: 'Hooked', description: 'x', customer: { name: 'H' }, unitId: tree.units.teamA } })).json();
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/escalations`, token: tree.org.adminToken, payload: { reason: 'manual', note: 'Look' } });
    await deliverWebhooks(t.ctx);
    expect(received.map((r) => r.headers['x-trustdesk-event'])).toEqual(['case.created', 'escalation.raised']);
    for (const r of received) {
      const [tPart, vPart] = String(r.headers['x-trustdesk-signature']).split(',');
      const expected = createHmac('sha256', secret).update(`${tPart.slice(2)}.${r.body}`).digest('hex');
      expect(vPart).toBe(`v1=${expected}`);
    }
    expect(JSON.parse(received[0].body).data).toMatchObject({ ref: c.ref, stream: `case:${c.id}` });
  });

  it('retry with backoff when the receiver fails', async () => {
    received.length = 0;
    failNext = 1;
    await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: { subject: 'Retry me', description: 'x', customer: { name: 'R' }, unitId: tree.units.teamA } });
    expect(await deliverWebhooks(t.ctx)).toEqual({ sent: 0, failed: 1 });
    t.clock.advance(61_000);
    expect(await deliverWebhooks(t.ctx)).toEqual({ sent: 1, failed: 0 });
    const hooks = (await t.request({ method: 'GET', url: '/api/v1/webhooks', token: tree.org.adminToken })).json().items;
    const deliveries = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hooks[0].id}/deliveries`, token: tree.org.adminToken })).json().items;
    expect(deliveries[0]).toMatchObject({ eventType: 'case.created', status: 'sent', attempts: 2, lastStatus: 204 });
  });

  it('are for admins only', async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/webhooks', token: tree.users.leadA.token, payload: { url, events: ['*'] } })).statusCode).toBe(403);
  });
});
