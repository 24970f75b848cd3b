/**
 * The US CFPB public complaint export (consumerfinance.gov complaint database): its columns and
 * how they map onto a TrustDesk case. Pure functions, unit-tested in cfpb.test.ts.
 */
export const cfpbColumns = [
  'Date received', 'Product', 'Sub-product', 'Issue', 'Sub-issue', 'Consumer complaint narrative',
  'Company public response', 'Company', 'State', 'ZIP code', 'Tags', 'Consumer consent provided?',
  'Submitted via', 'Date sent to company', 'Company response to consumer', 'Timely response?',
  'Consumer disputed?', 'Complaint ID',
] as const;

/** CFPB product names (old and new taxonomy) onto retail-bank product lines. */
export function cfpbProduct(product: string): string {
  const p = product.toLowerCase();
  if (p.includes('credit reporting') || p.includes('credit repair')) return 'Credit file & reporting';
  if (p.includes('debt collection')) return 'Collections & recoveries';
  if (p.includes('credit card') || p.includes('prepaid')) return 'Credit card';
  if (p.includes('mortgage')) return 'Mortgage';
  if (p.includes('checking') || p.includes('savings') || p.includes('bank account')) return 'Current account';
  if (p.includes('money transfer') || p.includes('virtual currency') || p.includes('money service')) return 'Payments & transfers';
  if (p.includes('loan') || p.includes('lease')) return 'Personal loan';
  return product;
}

const categoryRules: [RegExp, string][] = [
  [/fraud|scam|identity theft|unauthori[sz]ed/i, 'Fraud and scams'],
  [/credit report|incorrect information on your report|improper use of your report|investigation|credit reporting|report/i, 'Credit file and reporting'],
  [/debt|collect|struggling to pay|foreclosure|modification|repossess|late/i, 'Arrears related'],
  [/fee|charge|interest|billing|purchase shown|problem with a purchase|payoff|overdraft/i, 'Terms and disputed sums/charges'],
  [/advertis|marketing|getting a (credit card|loan)|applying|sales|offer/i, 'Advising, selling and arranging'],
  [/clos(e|ing)|cancel/i, 'Closure/cancellation'],
  [/managing|opening|dealing with|servicer|customer service|trouble|problem|communication/i, 'General admin/customer service'],
];

/** The CFPB "Issue" onto the FCA-style root-cause taxonomy (first matching rule). */
export function cfpbCategory(issue: string): string {
  for (const [pattern, category] of categoryRules) if (pattern.test(issue)) return category;
  return 'Other';
}

const channels: Record<string, 'web' | 'email' | 'phone' | 'letter' | 'social' | 'api'> = {
  web: 'web', 'web referral': 'web', email: 'email', phone: 'phone', 'postal mail': 'letter', fax: 'letter', referral: 'api',
};

export function cfpbChannel(submittedVia: string): 'web' | 'email' | 'phone' | 'letter' | 'social' | 'api' {
  return channels[submittedVia.trim().toLowerCase()] ?? 'api';
}

/** "Closed with monetary relief" means the firm put something right: upheld, and so on. */
export function cfpbOutcome(response: string): 'upheld' | 'partially_upheld' | 'not_upheld' | 'resolved' | null {
  const r = response.toLowerCase();
  if (r.includes('monetary relief') && !r.includes('non-monetary')) return 'upheld';
  if (r.includes('non-monetary relief')) return 'partially_upheld';
  if (r.includes('explanation')) return 'not_upheld';
  if (r === 'closed') return 'resolved';
  return null;
}

/** "Older American" is a characteristic of vulnerability (FCA FG21/1: age-related needs). */
export function cfpbVulnerable(tags: string): boolean {
  return /older american/i.test(tags);
}
