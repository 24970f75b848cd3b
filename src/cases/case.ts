/** Pure case rules: no I/O, unit-tested alone (case.test.ts). */
import type { CaseStatus } from '../db/schema/index.js';

export function formatCaseRef(year: number, n: number): string {
  return `C-${year}-${String(n).padStart(6, '0')}`;
}

/** Which status may follow which. Resolution and reopening have their own actions. */
const transitions: Record<CaseStatus, CaseStatus[]> = {
  open: ['waiting_customer', 'resolved'],
  waiting_customer: ['open', 'resolved'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

export function canMove(from: CaseStatus, to: CaseStatus): boolean {
  return transitions[from].includes(to);
}

export function isActive(status: CaseStatus): boolean {
  return status === 'open' || status === 'waiting_customer';
}

export interface RetentionSettings {
  retentionYears: number;
  longRetentionYears: number;
  longRetentionProducts: string[];
}

/** Records are kept a set number of years from receipt (longer for configured products). */
export function retentionUntil(receivedAt: Date, product: string | null | undefined, settings: RetentionSettings): string {
  const years = product && settings.longRetentionProducts.includes(product) ? settings.longRetentionYears : settings.retentionYears;
  const until = new Date(receivedAt);
  until.setUTCFullYear(until.getUTCFullYear() + years);
  return until.toISOString().slice(0, 10);
}

/**
 * Complaint detection, explainable on purpose: a request whose text expresses dissatisfaction
 * is likely a complaint (the FCA's definition is "any expression of dissatisfaction"). Each rule
 * that matches is named so the agent can see why the prompt appeared.
 */
const signals: { reason: string; pattern: RegExp; weight: number }[] = [
  { reason: 'says it is a complaint', pattern: /\b(complain(t|ts|ing|ed)?|formal complaint)\b/i, weight: 3 },
  { reason: 'mentions the ombudsman or a regulator', pattern: /\b(ombudsman|fos|fca|cfpb|regulator|trading standards)\b/i, weight: 3 },
  { reason: 'expresses dissatisfaction', pattern: /\b(unacceptable|disgust(ed|ing)|appall(ed|ing)|outrage(d|ous)|furious|angry|upset|frustrat(ed|ing)|disappoint(ed|ing)|not happy|unhappy|dissatisfied|fed up|terrible|awful|horrible|worst)\b/i, weight: 2 },
  { reason: 'says something was unfair or wrong', pattern: /\b(unfair(ly)?|wrong(ly)?|mis-?sold|misled|mislead(ing)?|lied|error|mistake|incorrect(ly)?|unauthori[sz]ed|fraud(ulent)?|harass(ed|ment|ing))\b/i, weight: 2 },
  { reason: 'asks for money back or compensation', pattern: /\b(refund|compensat(e|ion)|reimburse(ment)?|money back|charged twice|double charged|overcharged)\b/i, weight: 2 },
  { reason: 'asks for escalation', pattern: /\b(manager|supervisor|escalat(e|ion)|speak to someone senior)\b/i, weight: 1 },
  { reason: 'says a promise was broken or nothing happened', pattern: /\b(still (not|no|waiting|haven't)|never (received|got|heard)|no response|ignored|nobody (called|replied)|for weeks|for months)\b/i, weight: 1 },
];

export interface ComplaintSignals {
  likely: boolean;
  score: number;
  reasons: { reason: string; match: string }[];
}

export const COMPLAINT_THRESHOLD = 2;

export function detectComplaint(text: string): ComplaintSignals {
  const reasons: ComplaintSignals['reasons'] = [];
  let score = 0;
  for (const s of signals) {
    const m = s.pattern.exec(text);
    if (m) {
      reasons.push({ reason: s.reason, match: m[0] });
      score += s.weight;
    }
  }
  return { likely: score >= COMPLAINT_THRESHOLD, score, reasons };
}
