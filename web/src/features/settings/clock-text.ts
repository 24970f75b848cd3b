import type { ClockBasis, ClockDefinition, ClockTrigger } from './settings.api';

export const basisLabels: Record<ClockBasis, { one: string; many: string; option: string }> = {
  calendar_days: { one: 'calendar day', many: 'calendar days', option: 'Calendar days' },
  business_days: { one: 'business day', many: 'business days', option: 'Business days' },
  business_hours: { one: 'business hour', many: 'business hours', option: 'Business hours' },
};

export const metByLabels: Record<ClockTrigger, { sentence: string; option: string }> = {
  first_response: { sentence: 'met by the first response', option: 'First response the customer sees' },
  resolution: { sentence: 'met by the resolution', option: 'Resolution (final response)' },
};

/** "56 calendar days" */
export const formatAllowance = (clock: Pick<ClockDefinition, 'amount' | 'basis'>) => {
  const words = basisLabels[clock.basis] ?? { one: clock.basis, many: clock.basis };
  return `${clock.amount} ${clock.amount === 1 ? words.one : words.many}`;
};

const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

/** "warns at 50%, 75%, 90%" */
export const formatWarnings = (warnAt: number[]) =>
  warnAt.length === 0 ? 'no warnings' : `warns at ${[...warnAt].sort((a, b) => a - b).map(percent).join(', ')}`;

/** Fractions ↔ the percentages people type ("50, 75, 90"). */
export const warnAtToText = (warnAt: number[]) => warnAt.map((fraction) => String(Math.round(fraction * 1000) / 10)).join(', ');

export function parseWarnAt(text: string): { value: number[] } | { error: string } {
  const parts = text
    .split(/[,;\s]+/)
    .map((part) => part.replace(/%$/, '').trim())
    .filter(Boolean);
  const numbers = parts.map(Number);
  if (numbers.some((value) => !Number.isFinite(value) || value <= 0 || value >= 100)) {
    return { error: 'Use percentages between 1 and 99, separated by commas' };
  }
  if (numbers.length > 5) return { error: 'Use at most five warnings' };
  return { value: [...new Set(numbers)].sort((a, b) => a - b).map((value) => value / 100) };
}
