import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Actor } from '../../auth/actor.js';
import { requireRole } from '../../auth/actor.js';
import type { AppContext } from '../../context.js';
import { caseImports, cases, importMappings, units } from '../../db/schema/index.js';
import { inOrg } from '../../db/tenant.js';
import { meetClocks } from '../../clocks/clock.service.js';
import { appendEvent } from '../../history/history.service.js';
import { getSettings } from '../../org/settings.js';
import { AppError, notFound } from '../../server/errors.js';
import { caseStream, insertCases } from '../case.service.js';
import { BUILTIN_CFPB, type ColumnMapping, type ImportRow, readImportFile, type RowError } from './case-import.rows.js';

/** Rows per transaction: short transactions keep the embedded database responsive during an import. */
const BATCH = 200;
const MAX_ERRORS_KEPT = 200;

export interface ImportRequest {
  filename: string;
  csv: string;
  unitId: string;
  /** `cfpb`, the name of a saved mapping, or a mapping given inline. */
  mapping: string | ColumnMapping;
  /** Save an inline mapping under this name for the next file from the same source. */
  saveMappingAs?: string;
}

export type ImportView = ReturnType<typeof toView>;

function toView(row: typeof caseImports.$inferSelect) {
  return {
    id: row.id, filename: row.filename, state: row.state, totalRows: row.totalRows, importedRows: row.importedRows,
    errors: row.errors as RowError[], createdAt: row.createdAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

async function resolveMapping(ctx: AppContext, actor: Actor, mapping: ImportRequest['mapping']): Promise<ColumnMapping | typeof BUILTIN_CFPB> {
  if (typeof mapping !== 'string') return mapping;
  if (mapping === BUILTIN_CFPB) return BUILTIN_CFPB;
  const [saved] = await ctx.db.select().from(importMappings).where(inOrg(importMappings, actor.organisationId, eq(importMappings.name, mapping)));
  if (!saved) throw new AppError('unprocessable', `No saved mapping "${mapping}"`, [{ path: 'mapping', message: 'unknown mapping' }]);
  return saved.columns as ColumnMapping;
}

/**
 * Validates the whole file, then (only if every row is good) imports it in the background.
 * Returns the import record: `invalid` with line-numbered errors, or `importing`.
 */
export async function startImport(ctx: AppContext, actor: Actor, request: ImportRequest, options: { wait?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<ImportView> {
  requireRole(actor, 'admin', 'compliance', 'lead');
  const [unit] = await ctx.db.select().from(units).where(inOrg(units, actor.organisationId, eq(units.id, request.unitId)));
  if (!unit || (actor.role === 'lead' && !unit.path.startsWith(actor.unitPath))) {
    throw new AppError('unprocessable', 'The unit does not exist or is not yours', [{ path: 'unitId', message: 'unknown unit' }]);
  }
  const mapping = await resolveMapping(ctx, actor, request.mapping);
  const settings = await getSettings(ctx.db, actor.organisationId);
  const now = ctx.clock.now();
  const { rows, errors } = readImportFile(request.csv, mapping, { categories: settings.categories, now });
  const id = randomUUID();
  await ctx.db.insert(caseImports).values({
    id, organisationId: actor.organisationId, filename: request.filename,
    mapping: typeof mapping === 'string' ? { builtin: mapping } : mapping,
    state: errors.length > 0 ? 'invalid' : 'importing', totalRows: rows.length + errors.length,
    errors: errors.slice(0, MAX_ERRORS_KEPT), createdBy: actor.userId, createdAt: now, finishedAt: errors.length > 0 ? now : null,
  });
  if (errors.length === 0 && request.saveMappingAs && typeof mapping !== 'string') {
    await ctx.db.insert(importMappings).values({ id: randomUUID(), organisationId: actor.organisationId, name: request.saveMappingAs, columns: mapping, createdAt: now })
      .onConflictDoUpdate({ target: [importMappings.organisationId, importMappings.name], set: { columns: mapping } });
  }
  if (errors.length === 0) {
    const work = importRows(ctx, actor, id, request.unitId, rows, options.onProgress);
    if (options.wait) await work;
    else work.catch(() => undefined);
  }
  return getImport(ctx, actor, id);
}

async function importRows(ctx: AppContext, actor: Actor, importId: string, unitId: string, rows: ImportRow[], onProgress?: (done: number, total: number) => void) {
  let done = 0;
  try {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await ctx.db.transaction(async (tx) => {
        const creator = { system: { organisationId: actor.organisationId, source: `import:${importId}` } };
        const results = await insertCases(tx, ctx, batch.map((row) => ({ creator, input: { ...row.input, unitId }, importId })));
        for (const [k, row] of batch.entries()) {
          const result = results[k];
          if (result instanceof AppError) throw result;
          const created = result.row;
          if (row.resolution) {
            const { at, outcome, summary } = row.resolution;
            await tx.update(cases).set({ status: 'resolved', outcome, resolutionSummary: summary, resolvedAt: at, updatedAt: at })
              .where(inOrg(cases, actor.organisationId, eq(cases.id, created.id)));
            await appendEvent(tx, {
              organisationId: actor.organisationId, stream: caseStream(created.id), type: 'case.resolved', actorId: null, at: ctx.clock.now(),
              data: { outcome, summary, resolvedAt: at.toISOString(), source: 'import' },
            });
            await meetClocks(tx, actor.organisationId, created.id, 'resolution', at);
          }
        }
        done += batch.length;
        await tx.update(caseImports).set({ importedRows: done }).where(inOrg(caseImports, actor.organisationId, eq(caseImports.id, importId)));
      });
      onProgress?.(done, rows.length);
    }
    await ctx.db.update(caseImports).set({ state: 'done', finishedAt: ctx.clock.now() }).where(inOrg(caseImports, actor.organisationId, eq(caseImports.id, importId)));
  } catch (err) {
    await ctx.db.update(caseImports).set({
      state: 'failed', finishedAt: ctx.clock.now(),
      errors: [{ line: rows[done]?.line ?? 0, message: `The import stopped after ${done} rows: ${(err as Error).message}` }],
    }).where(inOrg(caseImports, actor.organisationId, eq(caseImports.id, importId)));
    throw err;
  }
}

export async function getImport(ctx: AppContext, actor: Actor, id: string): Promise<ImportView> {
  requireRole(actor, 'admin', 'compliance', 'lead');
  const [row] = await ctx.db.select().from(caseImports).where(inOrg(caseImports, actor.organisationId, eq(caseImports.id, id)));
  if (!row || (actor.role === 'lead' && row.createdBy !== actor.userId)) throw notFound('Import');
  return toView(row);
}

export async function listImports(ctx: AppContext, actor: Actor) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  const rows = await ctx.db.select().from(caseImports)
    .where(inOrg(caseImports, actor.organisationId, actor.role === 'lead' ? eq(caseImports.createdBy, actor.userId) : undefined))
    .orderBy(desc(caseImports.createdAt)).limit(50);
  return rows.map(toView);
}

export async function listMappings(ctx: AppContext, actor: Actor) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  const saved = await ctx.db.select().from(importMappings).where(inOrg(importMappings, actor.organisationId)).orderBy(importMappings.name);
  return [{ name: BUILTIN_CFPB, builtin: true, columns: null }, ...saved.map((m) => ({ name: m.name, builtin: false, columns: m.columns as ColumnMapping }))];
}
