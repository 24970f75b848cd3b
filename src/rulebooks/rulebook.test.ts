import { describe, expect, it } from 'vitest';
import { formatMoney, rulebookForCountry } from './rulebook.js';

describe('rulebookForCountry', () => {
  it('sends every UK nation to the FCA, Ireland to the Central Bank, the US to the CFPB', () => {
    for (const c of ['GB', 'GB-ENG', 'GB-SCT', 'GB-NIR', 'GB-WLS']) expect(rulebookForCountry(c).key).toBe('uk-fca');
    expect(rulebookForCountry('IE').key).toBe('ie-cbi');
    expect(rulebookForCountry('IE').ombudsman.shortName).toBe('FSPO');
    expect(rulebookForCountry('IE').currency).toBe('EUR');
    expect(rulebookForCountry('US-NY').key).toBe('us-cfpb');
    expect(rulebookForCountry(null).key).toBe('uk-fca');
  });
  it('formats money in the rulebook currency', () => {
    expect(formatMoney(35, 'GBP')).toBe('£35.00');
    expect(formatMoney(35, 'EUR')).toBe('€35.00');
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
  });
});
