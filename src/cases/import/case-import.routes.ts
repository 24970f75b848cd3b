import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { idParam } from '../../org/org.schemas.js';
import { actorOf } from '../../server/authenticate.js';
import { AppError } from '../../server/errors.js';
import { columnMapping, importFields } from './case-import.rows.js';
import { getImport, listImports, listMappings, startImport } from './case-import.service.js';

const importView = z.object({
  id: z.string(), filename: z.string(), state: z.string(), totalRows: z.number(), importedRows: z.number(),
  errors: z.array(z.object({ line: z.number(), field: z.string().optional(), message: z.string() })),
  createdAt: z.string(), finishedAt: z.string().nullable(),
});

const importQuery = z.object({
  unitId: z.string().uuid(),
  mapping: z.string().min(1).max(100).default('cfpb'),
  /** An inline mapping as JSON, e.g. {"subject":"Title","description":"Text","customerName":"Name"}. */
  columns: z.string().max(5000).optional(),
  saveMappingAs: z.string().trim().min(1).max(100).optional(),
  filename: z.string().max(255).default('upload.csv'),
});

/** Imports are files: up to 50 MB of CSV (the CFPB sample of 2,062 complaints is 3 MB). */
const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

export const caseImportRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.post('/imports', {
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      summary: 'Import cases from a CSV file (body: text/csv). Every row is checked first; one bad row and nothing is imported', tags: ['cases'],
      querystring: importQuery, body: z.string().min(1, 'the file is empty'), response: { 202: importView },
      description: `Fields a mapping can fill: ${importFields.join(', ')}. The built-in mapping "cfpb" reads the US CFPB complaint export.`,
    },
  }, async (req, reply) => {
    const { columns, mapping, ...rest } = req.query;
    let inline;
    if (columns) {
      const parsed = columnMapping.safeParse(safeJson(columns));
      if (!parsed.success) throw new AppError('validation_failed', `columns: ${parsed.error.issues.map((i) => i.message).join('; ')}`, [{ path: 'querystring.columns', message: 'not a valid mapping' }]);
      inline = parsed.data;
    }
    const result = await startImport(ctx, actorOf(req), { ...rest, csv: req.body, mapping: inline ?? mapping });
    if (result.state === 'invalid') {
      throw new AppError('unprocessable', `${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} in the file; nothing was imported`, result);
    }
    return reply.status(202).send(result);
  });

  app.get('/imports', {
    schema: { summary: 'Recent imports', tags: ['cases'], response: { 200: z.object({ items: z.array(importView), nextCursor: z.null() }) } },
  }, async (req) => ({ items: await listImports(ctx, actorOf(req)), nextCursor: null }));

  app.get('/imports/:id', {
    schema: { summary: 'One import and its progress', tags: ['cases'], params: idParam, response: { 200: importView } },
  }, async (req) => getImport(ctx, actorOf(req), req.params.id));

  app.get('/import-mappings', {
    schema: { summary: 'Column mappings: the built-in CFPB one and those saved per source', tags: ['cases'], response: { 200: z.object({ items: z.array(z.object({ name: z.string(), builtin: z.boolean(), columns: z.record(z.string(), z.string()).nullable() })) }) } },
  }, async (req) => ({ items: await listMappings(ctx, actorOf(req)) }));
};

function safeJson(s: string): unknown {
  try { return JSON.parse(s); } catch { return undefined; }
}
