import type { Database } from '../../src/db/client.js';

async function tableNames(database: Database): Promise<string[]> {
  const rows = await database.query<{ relname: string }>("SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname");
  return rows.map((r) => r.relname);
}

/** Row counts of every table in the public schema. */
export async function tableCounts(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(database)) {
    const [{ n }] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = n;
  }
  return counts;
}

/**
 * Row counts and a checksum of the contents of every table: a request that was refused must
 * leave both exactly as they were. The checksum is an md5 over each row's text, in a stable order.
 */
export async function tableChecksums(database: Database): Promise<Record<string, { rows: number; md5: string }>> {
  const result: Record<string, { rows: number; md5: string }> = {};
  for (const name of await tableNames(database)) {
    const [row] = await database.query<{ rows: number; md5: string }>(
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS md5 FROM "${name}" t`,
    );
    result[name] = row;
  }
  return result;
}
