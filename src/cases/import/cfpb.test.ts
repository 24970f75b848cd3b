import { describe, expect, it } from 'vitest';
import { cfpbCategory, cfpbChannel, cfpbOutcome, cfpbProduct, cfpbVulnerable } from './cfpb.js';

describe('CFPB mapping', () => {
  it('maps products old and new', () => {
    expect(cfpbProduct('Credit reporting, credit repair services, or other personal consumer reports')).toBe('Credit file & reporting');
    expect(cfpbProduct('Credit reporting or other personal consumer reports')).toBe('Credit file & reporting');
    expect(cfpbProduct('Checking or savings account')).toBe('Current account');
    expect(cfpbProduct('Vehicle loan or lease')).toBe('Personal loan');
  });

  it('maps issues to root causes', () => {
    expect(cfpbCategory('Incorrect information on your report')).toBe('Credit file and reporting');
    expect(cfpbCategory("Cont'd attempts collect debt not owed")).toBe('Arrears related');
    expect(cfpbCategory('Fees or interest')).toBe('Terms and disputed sums/charges');
    expect(cfpbCategory('Fraud or scam')).toBe('Fraud and scams');
  });

  it('maps channel, outcome and vulnerability', () => {
    expect(cfpbChannel('Postal mail')).toBe('letter');
    expect(cfpbOutcome('Closed with monetary relief')).toBe('upheld');
    expect(cfpbOutcome('Closed with non-monetary relief')).toBe('partially_upheld');
    expect(cfpbOutcome('Closed with explanation')).toBe('not_upheld');
    expect(cfpbOutcome('In progress')).toBeNull();
    expect(cfpbVulnerable('Older American, Servicemember')).toBe(true);
  });
});
