import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Tenant isolation, the one mechanism: every tenant-owned table has `organisation_id`, and
 * every store query goes through `inOrg`, which puts the caller's organisation first in the
 * WHERE clause (and first in every index, which is also what distributing by tenant needs).
 * test/tenant-isolation.test.ts proves every table is covered.
 */
export const globalTables = new Set(['organisations']);

export function inOrg(
  table: { organisationId: PgColumn },
  organisationId: string,
  ...conditions: (SQL | undefined)[]
): SQL {
  return and(eq(table.organisationId, organisationId), ...conditions) as SQL;
}
