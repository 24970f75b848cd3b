import { getTableColumns, getTableName, sql, type Column, type SQL } from 'drizzle-orm';
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
  const { columns, keys } = rowColumns(table, rows[0]);
  const list = sql.join(keys.map((k) => sql.identifier(columns[k].name)), sql`, `);
  const json = JSON.stringify(rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const k of keys) out[columns[k].name] = (r as Record<string, unknown>)[k];
    return out;
  }));
  return sql`INSERT INTO ${sql.identifier(getTableName(table))} (${list})
    SELECT ${list} FROM jsonb_populate_recordset(NULL::${sql.identifier(getTableName(table))}, ${json}::jsonb)`;
}

/** The table's columns and the keys the rows give (those of the first row that are columns and not undefined). */
function rowColumns(table: PgTable, first: object) {
  const columns = getTableColumns(table) as Record<string, Column>;
  const keys = Object.keys(first).filter((k) => columns[k] && (first as Record<string, unknown>)[k] !== undefined);
  return { columns, keys };
}

/**
 * The same rows as `COPY <table> (<columns>) FROM STDIN` and its data in COPY's text format (PostgreSQL's
 * fastest way in: no statement to plan, no JSON to parse). Values are written as the driver would
 * send them (dates as ISO text, jsonb as JSON), then COPY's escapes; undefined for no rows.
 */
export function copyRowsText<T extends PgTable>(table: T, rows: T['$inferInsert'][]): { statement: string; data: string } | undefined {
  if (rows.length === 0) return undefined;
  const { columns, keys } = rowColumns(table, rows[0]);
  const targets = keys.map((k) => columns[k]);
  // Fields and separators in one array, joined once: no intermediate strings to collect.
  const parts: string[] = new Array(rows.length * keys.length * 2);
  let p = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    for (let c = 0; c < keys.length; c++) {
      parts[p++] = copyField(targets[c], row[keys[c]]);
      parts[p++] = c === keys.length - 1 ? '\n' : '\t';
    }
  }
  const list = targets.map((c) => `"${c.name}"`).join(', ');
  return { statement: `COPY "${getTableName(table)}" (${list}) FROM STDIN`, data: parts.join('') };
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyField(column: Column, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (column.dataType === 'json') text = JSON.stringify(value);
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean') return value ? 't' : 'f';
  else if (typeof value === 'number') return String(value);
  else if (value instanceof Date) return isoText(value);
  else text = String(column.mapToDriverValue(value));
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]) : text;
}

/** Bulk rows share many instants (a day's few arrival times, their deadlines): each is formatted once. */
const isoCache = new Map<number, string>();
function isoText(date: Date): string {
  const t = date.getTime();
  let text = isoCache.get(t);
  if (text === undefined) {
    text = date.toISOString();
    if (isoCache.size > 100_000) isoCache.clear();
    isoCache.set(t, text);
  }
  return text;
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
