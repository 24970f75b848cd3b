import type { Role } from '../../lib/types';

/** Who does what with cases, as the API decides it; the UI only hides what would answer 403. */

/** Everyone who works cases; executives read them. */
export const caseWorkerRoles: readonly Role[] = ['admin', 'compliance', 'lead', 'agent'];

/** Importing a file of cases (POST /imports). */
export const caseImportRoles: readonly Role[] = ['admin', 'compliance', 'lead'];

export const canCreateCases = (role: Role): boolean => caseWorkerRoles.includes(role);
