import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { caseChannels, caseKinds, casePriorities } from '../../db/schema/index.js';
import { cfpbCategory, cfpbChannel, cfpbColumns, cfpbOutcome, cfpbProduct, cfpbVulnerable } from './cfpb.js';

/** The case fields a CSV column can fill. */
export const importFields = [
  'subject', 'description', 'customerName', 'customerEmail', 'customerPhone', 'customerRef',
  'receivedAt', 'product', 'category', 'channel', 'kind', 'priority', 'vulnerable',
] as const;
export type ImportField = (typeof importFields)[number];

/** A mapping names, for each case field, the CSV column it comes from. */
export const columnMapping = z.partialRecord(z.enum(importFields), z.string().min(1).max(200))
  .refine((m) => m.subject && m.description && m.customerName, 'subject, description and customerName need a column');
export type ColumnMapping = z.infer<typeof columnMapping>;

export const BUILTIN_CFPB = 'cfpb';

export interface ImportRow {
  line: number;
  input: {
    subject: string; description: string;
    customer: { name: string; email: string | null; phone: string | null; ref: string | null };
    receivedAt: Date; product: string | null; category: string | null;
    channel: (typeof caseChannels)[number]; kind: (typeof caseKinds)[number]; priority: (typeof casePriorities)[number];
    vulnerable: boolean;
  };
  /** Imported history: a complaint that was already answered arrives resolved. */
  resolution?: { outcome: 'upheld' | 'partially_upheld' | 'not_upheld' | 'resolved'; at: Date; summary: string };
}

export interface RowError {
  line: number;
  field?: string;
  message: string;
}

const rowSchema = z.object({
  subject: z.string().trim().min(1, 'is empty').max(300, 'is longer than 300 characters'),
  description: z.string().trim().min(1, 'is empty').max(50_000, 'is longer than 50,000 characters'),
  customerName: z.string().trim().min(1, 'is empty').max(200),
  customerEmail: z.string().trim().email('is not an e-mail address').max(254).nullable(),
  customerPhone: z.string().trim().max(40).nullable(),
  customerRef: z.string().trim().max(100).nullable(),
  receivedAt: z.string().trim().refine((s) => !Number.isNaN(parseDate(s)?.getTime() ?? Number.NaN), 'is not a date (use YYYY-MM-DD or ISO 8601)'),
  product: z.string().trim().max(120).nullable(),
  category: z.string().trim().max(120).nullable(),
  channel: z.enum(caseChannels).nullable(),
  kind: z.enum(caseKinds).nullable(),
  priority: z.enum(casePriorities).nullable(),
  vulnerable: z.enum(['true', 'false', 'yes', 'no', '1', '0', '']).nullable(),
});

/** YYYY-MM-DD (taken as midday UTC, so the day survives any timezone) or a full ISO timestamp. */
export function parseDate(s: string): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return new Date(`${s}T12:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) return new Date(s);
  return undefined;
}

interface Parsed {
  header: string[];
  records: { line: number; values: Record<string, string> }[];
}

function parseCsv(text: string): Parsed | RowError {
  try {
    const rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    if (rows.length === 0) return { line: 1, message: 'The file is empty' };
    const header = rows[0].record.map((h) => h.trim());
    // info.lines is the line on which the record ends; a record's start is the line after the previous one's end.
    const records = rows.slice(1).map((r, i) => ({
      line: rows[i].info.lines + 1,
      values: Object.fromEntries(header.map((h, j) => [h, r.record[j] ?? ''])),
    }));
    return { header, records };
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return { line: e.lines ?? 1, message: `The file is not valid CSV: ${e.message.replace(/^Invalid Record Length: /, '')}` };
  }
}

function mapCfpb(line: number, v: Record<string, string>, now: Date): ImportRow | RowError[] {
  const received = parseDate(v['Date received']);
  if (!received) return [{ line, field: 'Date received', message: 'is not a date (YYYY-MM-DD)' }];
  const narrative = v['Consumer complaint narrative'].trim();
  if (!narrative) return [{ line, field: 'Consumer complaint narrative', message: 'is empty' }];
  const issue = v.Issue.trim() || 'Complaint';
  const subject = (v['Sub-issue'] ? `${issue} — ${v['Sub-issue'].trim()}` : issue).slice(0, 300);
  const outcome = cfpbOutcome(v['Company response to consumer'] ?? '');
  const sent = parseDate(v['Date sent to company']) ?? received;
  const answeredAt = new Date(Math.min(sent.getTime() + 14 * 86_400_000, now.getTime()));
  return {
    line,
    input: {
      subject, description: narrative,
      customer: { name: `CFPB consumer ${v['Complaint ID']}`, email: null, phone: null, ref: `CFPB-${v['Complaint ID']}` },
      receivedAt: received, product: cfpbProduct(v.Product), category: cfpbCategory(issue), channel: cfpbChannel(v['Submitted via'] ?? ''),
      kind: 'complaint', priority: 'normal', vulnerable: cfpbVulnerable(v.Tags ?? ''),
    },
    ...(outcome ? { resolution: { outcome, at: answeredAt, summary: `Imported from the CFPB export: ${v['Company response to consumer']}` } } : {}),
  };
}

function mapColumns(line: number, v: Record<string, string>, mapping: ColumnMapping, now: Date): ImportRow | RowError[] {
  const raw = Object.fromEntries(importFields.map((f) => {
    const column = mapping[f];
    const value = column ? (v[column] ?? '').trim() : '';
    return [f, value === '' && !['subject', 'description', 'customerName', 'receivedAt'].includes(f) ? null : value];
  }));
  if (!mapping.receivedAt) raw.receivedAt = now.toISOString();
  const parsed = rowSchema.safeParse(raw);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({ line, field: mapping[i.path[0] as ImportField] ?? String(i.path[0]), message: i.message }));
  }
  const r = parsed.data;
  return {
    line,
    input: {
      subject: r.subject, description: r.description,
      customer: { name: r.customerName, email: r.customerEmail, phone: r.customerPhone, ref: r.customerRef },
      receivedAt: parseDate(r.receivedAt)!, product: r.product, category: r.category, channel: r.channel ?? 'api',
      kind: r.kind ?? 'complaint', priority: r.priority ?? 'normal', vulnerable: ['true', 'yes', '1'].includes(r.vulnerable ?? ''),
    },
  };
}

/**
 * Reads a whole file and checks every row before anything is written: either every row is
 * good, or the errors are returned with their line numbers (the header is line 1).
 */
export function readImportFile(text: string, mapping: ColumnMapping | typeof BUILTIN_CFPB, context: { categories: string[]; now: Date }): { rows: ImportRow[]; errors: RowError[] } {
  const parsed = parseCsv(text);
  if ('message' in parsed) return { rows: [], errors: [parsed] };
  const needed = mapping === BUILTIN_CFPB ? ['Date received', 'Product', 'Issue', 'Consumer complaint narrative', 'Complaint ID'] : Object.values(mapping);
  const missing = needed.filter((c) => !parsed.header.includes(c));
  if (missing.length > 0) {
    const expected = mapping === BUILTIN_CFPB ? ` (the CFPB export has: ${cfpbColumns.join(', ')})` : '';
    return { rows: [], errors: [{ line: 1, message: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}${expected}` }] };
  }
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  for (const { line, values } of parsed.records) {
    const result = mapping === BUILTIN_CFPB ? mapCfpb(line, values, context.now) : mapColumns(line, values, mapping, context.now);
    if (Array.isArray(result)) {
      errors.push(...result);
      continue;
    }
    if (result.input.receivedAt.getTime() > context.now.getTime() + 86_400_000) errors.push({ line, field: 'receivedAt', message: 'is in the future' });
    else if (result.input.category && !context.categories.includes(result.input.category)) errors.push({ line, field: 'category', message: `"${result.input.category}" is not in the category list` });
    else rows.push(result);
  }
  if (parsed.records.length === 0) errors.push({ line: 2, message: 'The file has a header but no rows' });
  return { rows, errors };
}
