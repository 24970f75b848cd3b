import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const cfpbFile = path.resolve('../shared/data/cfpb-complaints-sample.csv');

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
});
afterAll(() => t?.close());

const casesOf = async () => (await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE organisation_id = $1', [tree.org.id]))[0].n;

async function upload(csv: string, query: string) {
  return t.request({ method: 'POST', url: `/api/v1/imports?${query}`, token: tree.org.adminToken, headers: { 'content-type': 'text/csv' }, payload: csv });
}

async function waitForImport(id: string) {
  for (let i = 0; i < 1800; i++) {
    const view = (await t.request({ method: 'GET', url: `/api/v1/imports/${id}`, token: tree.org.adminToken })).json();
    if (view.state !== 'importing') return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

describe('CSV import', () => {
  it('reports a malformed row with its line number and imports nothing from that file', async () => {
    const csv = [
      'Title,Text,Name,Email,Received',
      'Card blocked,My card was blocked abroad,Ann Lee,ann@example.test,2026-01-10',
      'Fee charged,"An unexpected fee, twice",Bob Roy,not-an-email,2026-01-11',
      'Lost payment,Payment never arrived,Cy Dee,cy@example.test,10/01/2026',
    ].join('\n');
    const columns = encodeURIComponent(JSON.stringify({ subject: 'Title', description: 'Text', customerName: 'Name', customerEmail: 'Email', receivedAt: 'Received' }));
    const before = await casesOf();
    const res = await upload(csv, `unitId=${tree.units.teamA}&columns=${columns}&filename=crm.csv`);
    expect(res.statusCode, res.body).toBe(422);
    const errors = res.json().error.details.errors;
    expect(errors).toEqual([
      { line: 3, field: 'Email', message: 'is not an e-mail address' },
      { line: 4, field: 'Received', message: expect.stringContaining('is not a date') },
    ]);
    expect(await casesOf()).toBe(before);
  });

  it('reports broken CSV (an unclosed quote) with its line', async () => {
    const res = await upload('Title,Text,Name\nA,"unclosed,Ann\nB,ok,Bob\n', `unitId=${tree.units.teamA}&columns=${encodeURIComponent(JSON.stringify({ subject: 'Title', description: 'Text', customerName: 'Name' }))}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors[0].message).toContain('not valid CSV');
  });

  it('imports a good file with a saved mapping, routed and with history', async () => {
    const csv = 'Title,Text,Name\nCard blocked,"My card was blocked abroad, twice",Ann Lee\nFee,Unexpected fee,Bob Roy\n';
    const columns = encodeURIComponent(JSON.stringify({ subject: 'Title', description: 'Text', customerName: 'Name' }));
    const res = await upload(csv, `unitId=${tree.units.teamB}&columns=${columns}&saveMappingAs=crm`);
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitForImport(res.json().id);
    expect(done).toMatchObject({ state: 'done', totalRows: 2, importedRows: 2 });
    const mappings = (await t.request({ method: 'GET', url: '/api/v1/import-mappings', token: tree.org.adminToken })).json().items;
    expect(mappings.map((m: { name: string }) => m.name)).toEqual(['cfpb', 'crm']);
    const again = await upload(csv, `unitId=${tree.units.teamB}&mapping=crm`);
    expect(again.statusCode).toBe(202);
    await waitForImport(again.json().id);
    const found = (await t.request({ method: 'GET', url: '/api/v1/cases?q=blocked%20abroad', token: tree.org.adminToken })).json().items;
    expect(found).toHaveLength(2);
    expect(found[0].ownerId).toBe(tree.users.agentB.id);
  });

  it.skipIf(!fs.existsSync(cfpbFile))('imports the real CFPB sample with the built-in mapping', { timeout: 180_000 }, async () => {
    const csv = fs.readFileSync(cfpbFile, 'utf8');
    const before = await casesOf();
    const res = await upload(csv, `unitId=${tree.units.teamA}&mapping=cfpb&filename=cfpb.csv`);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(202);
    const done = await waitForImport(res.json().id);
    expect(done).toMatchObject({ state: 'done', totalRows: 2062, importedRows: 2062 });
    expect(await casesOf()).toBe(before + 2062);
    const [resolved] = await t.database.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE organisation_id = $1 AND customer_ref LIKE 'CFPB-%' AND status = 'resolved'", [tree.org.id]);
    expect(resolved.n).toBe(2062 - 6 - 5); // "In progress" and "Untimely response" stay open
    const older = (await t.request({ method: 'GET', url: '/api/v1/cases?vulnerable=true&limit=500', token: tree.org.adminToken })).json().items;
    expect(older.length).toBe(81 + 29);
  });
});
