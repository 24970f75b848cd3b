import type { Role, UnitKind } from './types';

export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  executive: 'Executive',
  compliance: 'Compliance',
  lead: 'Team lead',
  agent: 'Agent',
};

export const unitKindLabels: Record<UnitKind, string> = {
  company: 'Company',
  division: 'Division',
  region: 'Region',
  team: 'Team',
};

/** Roles the API lets read the organisation structure (units, users); agents get 403. */
export const orgViewerRoles: readonly Role[] = ['admin', 'compliance', 'executive', 'lead'];

/** Only admins change units, users and other people's tokens. */
export const canEditOrganisation = (role: Role): boolean => role === 'admin';

export const hasRole = (role: Role, allowed: readonly Role[] | 'all'): boolean =>
  allowed === 'all' || allowed.includes(role);
