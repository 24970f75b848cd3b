import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInboundSmtp } from '../src/portal/inbound-mail.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;
let inbound: Awaited<ReturnType<typeof startInboundSmtp>>;
let send: (mail: { from: string; to: string; subject: string; text: string }) => Promise<unknown>;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
  await t.request({ method: 'PUT', url: '/api/v1/settings/portal', token: tree.org.adminToken, payload: { unitId: tree.units.teamA } });
  inbound = await startInboundSmtp(t.ctx, 0);
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
  send = (mail) => client.sendMail(mail);
});
afterAll(async () => {
  await inbound?.close();
  await t?.close();
});

const findCase = async (q: string) => (await t.request({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(q)}`, token: tree.org.adminToken })).json().items;

describe('inbound e-mail over SMTP', () => {
  it('opens a case for a new sender, as a complaint when it reads like one', async () => {
    await send({ from: '"Olu Bello" <olu@customer.example>', to: 'complaints@bank.example', subject: 'Charged twice for my mortgage', text: 'You took my mortgage payment twice and nobody replied for weeks. This is unacceptable.' });
    const [c] = await findCase('mortgage payment twice');
    expect(c).toMatchObject({ channel: 'email', kind: 'complaint', customer: { name: 'Olu Bello', email: 'olu@customer.example' }, ownerId: tree.users.agentA.id });
  });

  it('threads a reply to its case by the reference in the subject', async () => {
    const [c] = await findCase('mortgage payment twice');
    await send({ from: 'olu@customer.example', to: 'complaints@bank.example', subject: `Re: Your complaint ${c.ref}`, text: 'Here is the statement you asked for.' });
    const messages = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/messages`, token: tree.org.adminToken })).json().items;
    expect(messages.at(-1)).toMatchObject({ authorType: 'customer', body: 'Here is the statement you asked for.' });
    expect(await findCase('statement you asked for')).toHaveLength(0); // no new case
  });

  it('a reference from someone else does not reach the case: it opens a new one', async () => {
    const [c] = await findCase('mortgage payment twice');
    await send({ from: 'mallory@elsewhere.example', to: 'complaints@bank.example', subject: `Re: ${c.ref}`, text: 'Please change the account details.' });
    const messages = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/messages`, token: tree.org.adminToken })).json().items;
    expect(messages.some((m: { body: string }) => m.body.includes('account details'))).toBe(false);
    expect((await findCase('change the account details'))[0].customer.email).toBe('mallory@elsewhere.example');
  });
});
