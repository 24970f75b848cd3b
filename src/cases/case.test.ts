import { describe, expect, it } from 'vitest';
import { canMove, detectComplaint, formatCaseRef, retentionUntil } from './case.js';

describe('case rules', () => {
  it('formats human-readable references', () => {
    expect(formatCaseRef(2026, 123)).toBe('C-2026-000123');
  });

  it('allows only sensible status moves', () => {
    expect(canMove('open', 'waiting_customer')).toBe(true);
    expect(canMove('closed', 'resolved')).toBe(false);
    expect(canMove('resolved', 'open')).toBe(true);
  });

  it('keeps records three years, five for configured products, from receipt', () => {
    const settings = { retentionYears: 3, longRetentionYears: 5, longRetentionProducts: ['Mortgage'] };
    expect(retentionUntil(new Date('2026-02-10T10:00:00Z'), 'Current account', settings)).toBe('2029-02-10');
    expect(retentionUntil(new Date('2026-02-10T10:00:00Z'), 'Mortgage', settings)).toBe('2031-02-10');
  });

  it('flags dissatisfaction and says why', () => {
    const s = detectComplaint('I was charged twice and nobody replied for weeks. This is unacceptable.');
    expect(s.likely).toBe(true);
    expect(s.reasons.map((r) => r.reason)).toEqual(expect.arrayContaining(['expresses dissatisfaction', 'asks for money back or compensation']));
    expect(detectComplaint('Please send me a copy of my statement for March.').likely).toBe(false);
  });
});
