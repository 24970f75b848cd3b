/**
 * Clock policies: named sets of deadlines. The presets encode the rules in PRODUCT.md, each
 * with its source; organisations add their own (clock_policies table).
 */
export type ClockBasis = 'calendar_days' | 'business_days' | 'business_hours';
/** What meets a clock: the first reply the customer can see, or the final response (resolution). */
export type ClockTrigger = 'first_response' | 'resolution';

export interface ClockDefinition {
  name: string;
  label: string;
  basis: ClockBasis;
  amount: number;
  metBy: ClockTrigger;
  /** Waiting on the customer stops this clock (never for regulatory deadlines that do not pause). */
  pausable: boolean;
  /** Fractions of the allowed time at which the owner is warned. */
  warnAt: number[];
  /** A window rather than a promise: passing it is not a breach and escalates nothing. */
  informational?: boolean;
  /** What the customer is told this clock means, in plain words. */
  customerText: string;
}

export interface PolicyDefinition {
  key: string;
  name: string;
  description: string;
  source: string;
  clocks: ClockDefinition[];
  builtin: boolean;
}

const standardWarnings = [0.5, 0.8];

export const presetPolicies: PolicyDefinition[] = [
  {
    key: 'fca-disp', builtin: true,
    name: 'FCA DISP: complaints',
    description: 'Acknowledge promptly; a summary resolution communication is possible if resolved by the close of the third business day after receipt; otherwise a final response within eight weeks.',
    source: 'FCA Handbook DISP 1.6.1R (prompt acknowledgement), DISP 1.5 (complaints resolved by the close of the third business day), DISP 1.6.2R (final response within eight weeks)',
    clocks: [
      { name: 'acknowledge', label: 'Acknowledge', basis: 'business_days', amount: 1, metBy: 'first_response', pausable: false, warnAt: standardWarnings, customerText: 'We will acknowledge your complaint' },
      { name: 'summary_resolution', label: 'Resolve within 3 business days', basis: 'business_days', amount: 3, metBy: 'resolution', pausable: false, warnAt: [], informational: true, customerText: 'We aim to resolve it quickly' },
      { name: 'final_response', label: 'Final response (8 weeks)', basis: 'calendar_days', amount: 56, metBy: 'resolution', pausable: false, warnAt: [0.5, 0.75, 0.9], customerText: 'We will send you our final response' },
    ],
  },
  {
    key: 'fca-psd', builtin: true,
    name: 'FCA DISP: payment services and e-money',
    description: 'Final response within 15 business days; up to 35 business days with a holding reply in exceptional circumstances.',
    source: 'FCA Handbook DISP 1.6.2AR (payment services and electronic money complaints)',
    clocks: [
      { name: 'acknowledge', label: 'Acknowledge', basis: 'business_days', amount: 1, metBy: 'first_response', pausable: false, warnAt: standardWarnings, customerText: 'We will acknowledge your complaint' },
      { name: 'final_response', label: 'Final response (15 business days)', basis: 'business_days', amount: 15, metBy: 'resolution', pausable: false, warnAt: [0.5, 0.8], customerText: 'We will send you our final response' },
    ],
  },
  {
    key: 'cfpb', builtin: true,
    name: 'US CFPB complaint portal',
    description: 'Company response within 15 calendar days; final response within 60 days.',
    source: 'CFPB company portal practice (15-day response, 60-day final response for complaints marked in progress)',
    clocks: [
      { name: 'response', label: 'Respond (15 days)', basis: 'calendar_days', amount: 15, metBy: 'first_response', pausable: false, warnAt: standardWarnings, customerText: 'We will respond to you' },
      { name: 'final_response', label: 'Final response (60 days)', basis: 'calendar_days', amount: 60, metBy: 'resolution', pausable: false, warnAt: [0.5, 0.8], customerText: 'We will send you our final response' },
    ],
  },
  {
    key: 'standard', builtin: true,
    name: 'Standard service levels',
    description: 'Internal service levels for requests: first response within one business day, resolution within ten; waiting on the customer pauses both.',
    source: 'TrustDesk default internal SLA (configurable)',
    clocks: [
      { name: 'first_response', label: 'First response', basis: 'business_days', amount: 1, metBy: 'first_response', pausable: true, warnAt: standardWarnings, customerText: 'We will reply to you' },
      { name: 'resolution', label: 'Resolution (10 business days)', basis: 'business_days', amount: 10, metBy: 'resolution', pausable: true, warnAt: standardWarnings, customerText: 'We aim to resolve your request' },
    ],
  },
  {
    key: 'follow-up', builtin: true,
    name: 'Survey follow-up (closed loop)',
    description: 'A customer who scored us low is contacted within two business days, and the follow-up is closed within ten.',
    source: 'TrustDesk closed-loop practice (configurable)',
    clocks: [
      { name: 'contact', label: 'Contact the customer (2 business days)', basis: 'business_days', amount: 2, metBy: 'first_response', pausable: false, warnAt: [0.5], customerText: 'We will contact you' },
      { name: 'resolution', label: 'Close the follow-up (10 business days)', basis: 'business_days', amount: 10, metBy: 'resolution', pausable: true, warnAt: [0.8], customerText: 'We will put things right' },
    ],
  },
];

export interface PolicyRule {
  match: { kind?: string; product?: string; channel?: string; unitId?: string };
  policy: string;
}

/** First matching rule wins; the defaults send payment complaints to fca-psd, other complaints to fca-disp. */
export const defaultPolicyRules: PolicyRule[] = [
  { match: { kind: 'follow_up' }, policy: 'follow-up' },
  { match: { kind: 'complaint', product: 'Payments & transfers' }, policy: 'fca-psd' },
  { match: { kind: 'complaint' }, policy: 'fca-disp' },
  { match: {}, policy: 'standard' },
];

export function choosePolicy(rules: PolicyRule[], c: { kind: string; product: string | null; channel: string; unitId: string }): string {
  for (const rule of rules) {
    const m = rule.match;
    if ((m.kind === undefined || m.kind === c.kind) && (m.product === undefined || m.product === c.product)
      && (m.channel === undefined || m.channel === c.channel) && (m.unitId === undefined || m.unitId === c.unitId)) return rule.policy;
  }
  return 'standard';
}
