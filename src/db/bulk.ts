import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/**
 * Inserts many rows in one statement with one parameter: the rows as a JSON array, unpacked by
 * the server with `jsonb_populate_recordset`. Building a multi-row VALUES list costs the query
 * builder and the server's parser time per value; this costs one JSON.stringify. Columns are the
 * keys of the first row (every row must have the same keys); the others take their defaults.
 */
export async function insertRows<T extends PgTable>(tx: Db, table: T, rows: T['$inferInsert'][]): Promise<void> {
  const statement = insertRowsSql(table, rows);
  if (statement) await tx.execute(statement);
}

/** The statement `insertRows` runs, to be combined with others by `runTogether`; undefined for no rows. */
export function insertRowsSql<T extends PgTable>(table: T, rows: T['$inferInsert'][]): SQL | undefined {
  if (rows.length === 0) return undefined;
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(rows[0]).filter((k) => columns[k] && (rows[0] as Record<string, unknown>)[k] !== undefined);
  const list = sql.join(keys.map((k) => sql.identifier(columns[k].name)), sql`, `);
  const json = JSON.stringify(rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const k of keys) out[columns[k].name] = (r as Record<string, unknown>)[k];
    return out;
  }));
  return sql`INSERT INTO ${sql.identifier(getTableName(table))} (${list})
    SELECT ${list} FROM jsonb_populate_recordset(NULL::${sql.identifier(getTableName(table))}, ${json}::jsonb)`;
}

/**
 * Runs several INSERT statements as one (data-modifying WITH clauses): one round trip instead of
 * one each. The inserts must not depend on each other's rows.
 */
export async function runTogether(tx: Db, statements: (SQL | undefined)[]): Promise<void> {
  const present = statements.filter((s): s is SQL => s !== undefined);
  if (present.length === 0) return;
  const last = present[present.length - 1];
  const withs = present.slice(0, -1).map((s, i) => sql`${sql.raw(`w${i}`)} AS (${s})`);
  await tx.execute(withs.length > 0 ? sql`WITH ${sql.join(withs, sql`, `)} ${last}` : last);
}
