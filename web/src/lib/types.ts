/** API shapes shared by several features (see docs: API.md). Feature-only shapes live in the feature. */

export const roles = ['admin', 'executive', 'compliance', 'lead', 'agent'] as const;
export type Role = (typeof roles)[number];

export const unitKinds = ['company', 'division', 'region', 'team'] as const;
export type UnitKind = (typeof unitKinds)[number];

export interface Organisation {
  id: string;
  name: string;
  slug: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  unitId: string;
  unitName: string;
  discretionLimit: number | null;
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface Unit {
  id: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  timezone: string;
  country: string | null;
  depth: number;
  leads: { id: string; name: string }[];
  createdAt: string;
}

/** What POST /auth/login and GET /auth/me answer. */
export interface Session {
  user: User;
  organisation: Organisation;
  csrfToken: string;
}

/** A new API token: the only time the secret is ever shown (the server keeps its hash). */
export interface CreatedApiToken {
  id: string;
  name: string;
  token: string;
}
