import { api, apiRequest, type Page } from '../../lib/api';

/** Shapes of the clock-policy, calendar and ladder endpoints (see /api/docs, tags "clocks", "escalations"). */

export type ClockBasis = 'calendar_days' | 'business_days' | 'business_hours';
export type ClockTrigger = 'first_response' | 'resolution';

export interface ClockDefinition {
  /** Machine name, e.g. `final_response`: lower-case letters, digits and _. */
  name: string;
  label: string;
  basis: ClockBasis;
  amount: number;
  metBy: ClockTrigger;
  pausable: boolean;
  /** Fractions of the allowed time (0 < x < 1) at which the owner is warned. */
  warnAt: number[];
  /** A window, not a promise: passing it escalates nothing. */
  informational?: boolean;
  customerText: string;
}

export interface ClockPolicy {
  key: string;
  name: string;
  description: string;
  source: string;
  /** Presets ship with TrustDesk and cannot be changed; copy one instead. */
  builtin: boolean;
  clocks: ClockDefinition[];
}

export type PolicyInput = Omit<ClockPolicy, 'builtin'>;

export interface CalendarSettings {
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  opens: string;
  closes: string;
  /** Organisation closure days, YYYY-MM-DD (public holidays come from each unit's country). */
  closures: string[];
}

export interface PolicyRule {
  match: { kind?: string; product?: string; channel?: string; unitId?: string };
  policy: string;
}

export interface ClockSettings {
  calendar: CalendarSettings;
  policyRules: PolicyRule[];
}

export const policiesQueryKey = ['policies'] as const;
export const clockSettingsQueryKey = ['settings', 'clocks'] as const;

export const fetchPolicies = (signal?: AbortSignal) => api.get<Page<ClockPolicy>>('/api/v1/policies', undefined, signal);

export const createPolicy = (input: PolicyInput) => api.post<ClockPolicy>('/api/v1/policies', input);

export const updatePolicy = (key: string, input: PolicyInput) =>
  apiRequest<ClockPolicy>(`/api/v1/policies/${encodeURIComponent(key)}`, { method: 'PUT', body: input });

export const fetchClockSettings = (signal?: AbortSignal) => api.get<ClockSettings>('/api/v1/settings/clocks', undefined, signal);

export const updateClockSettings = (patch: Partial<ClockSettings>) => api.patch<ClockSettings>('/api/v1/settings/clocks', patch);

/* Escalation ladders */

export const ladderRoles = ['unit_lead', 'parent_lead', 'compliance', 'admin'] as const;
export type LadderRole = (typeof ladderRoles)[number];

export interface LadderRung {
  userId: string | null;
  role: LadderRole | null;
  label: string;
}

export interface Ladder {
  unitId: string;
  /** This unit's own rungs; empty when it uses its parent's ladder or the default. */
  rungs: LadderRung[];
  /** Who an escalation from this unit actually reaches, in order. */
  effective: { userId: string; name: string; label: string; discretionLimit: number | null }[];
}

export type LadderRungInput = { userId: string; label: string } | { role: LadderRole; label: string };

export const ladderQueryKey = (unitId: string) => ['ladder', unitId] as const;

export const fetchLadder = (unitId: string, signal?: AbortSignal) =>
  api.get<Ladder>(`/api/v1/units/${encodeURIComponent(unitId)}/ladder`, undefined, signal);

export const saveLadder = (unitId: string, rungs: LadderRungInput[]) =>
  apiRequest<Ladder>(`/api/v1/units/${encodeURIComponent(unitId)}/ladder`, { method: 'PUT', body: { rungs } });

/* Notification e-mails */

export type EmailPreference = 'immediate' | 'daily_digest' | 'off';

export const saveEmailPreference = (email: EmailPreference) =>
  apiRequest<{ email: EmailPreference }>('/api/v1/notifications/preferences', { method: 'PUT', body: { email } });
