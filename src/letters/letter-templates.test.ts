import { describe, expect, it } from 'vitest';
import { defaultTemplates, renderTemplate } from './letter-templates.js';

const finalResponse = defaultTemplates.find((t) => t.kind === 'final_response')!;

describe('letters', () => {
  it('fill every field and keep the ombudsman wording', () => {
    const out = renderTemplate(finalResponse, {
      'customer.name': 'Ann Lee', 'case.ref': 'C-2026-000001', 'case.receivedDate': '2 March 2026', outcome: 'we uphold your complaint',
      summary: 'We charged you twice.', redress: 'We have refunded £42.50.', 'owner.name': 'Priya Sharma', 'owner.title': 'Complaints Specialist', 'organisation.name': 'Harbour & Vale Bank',
    });
    expect(out.missing).toEqual([]);
    expect(out.body).toContain('Our decision: we uphold your complaint.');
    expect(out.body).toContain('within six months');
    expect(out.body).not.toContain('{{');
  });

  it('name the fields left unfilled', () => {
    const out = renderTemplate(finalResponse, { 'customer.name': 'Ann Lee' });
    expect(out.missing).toEqual(expect.arrayContaining(['case.ref', 'summary', 'outcome']));
    expect(out.missing).not.toContain('redress'); // optional: its line disappears
  });
});
