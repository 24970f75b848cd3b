import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { and, desc, eq, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole, seesWholeOrganisation } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { conductActions, conductAssessments, conductEvidence, conductEvidenceLinks, conductReminders, evidenceStatuses, units, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { isUnitInScope } from '../org/unit.service.js';
import { AppError, forbidden, notFound } from '../server/errors.js';
import { decodeCursor, toPage } from '../server/pagination.js';
import { checkUpload, storedFilePath, writeStoredFile } from '../storage/file-store.js';
import { notifyConduct } from './action.service.js';
import { requireBodyUnit, streams } from './conduct-access.js';
import { getConductSettings } from './conduct-settings.js';

type EvidenceRow = typeof conductEvidence.$inferSelect;
type EvidenceStatus = (typeof evidenceStatuses)[number];

function selectEvidence(db: Db) {
  return db.select({ e: conductEvidence, unitName: units.name, unitPath: units.path, ownerName: users.name }).from(conductEvidence)
    .innerJoin(units, eq(units.id, conductEvidence.unitId)).innerJoin(users, eq(users.id, conductEvidence.ownerId));
}
type JoinedEvidence = Awaited<ReturnType<ReturnType<typeof selectEvidence>['where']>>[number];

async function toViews(db: Db, organisationId: string, rows: JoinedEvidence[]) {
  const links = rows.length === 0 ? [] : await db.select().from(conductEvidenceLinks).where(inOrg(conductEvidenceLinks, organisationId, inArray(conductEvidenceLinks.evidenceId, rows.map((r) => r.e.id))));
  return rows.map(({ e, unitName, ownerName }) => ({
    id: e.id, kind: e.kind, title: e.title, unitId: e.unitId, unitName, ownerId: e.ownerId, ownerName, status: e.status,
    expiresAt: e.expiresAt?.toISOString() ?? null, url: e.url, note: e.note,
    file: e.kind === 'file' ? { filename: e.filename!, contentType: e.contentType!, size: e.size!, sha256: e.sha256!, downloadUrl: `/api/v1/evidence/${e.id}/file` } : null,
    assessmentIds: links.filter((l) => l.evidenceId === e.id && l.assessmentId).map((l) => l.assessmentId!),
    actionIds: links.filter((l) => l.evidenceId === e.id && l.actionId).map((l) => l.actionId!),
    createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString(),
  }));
}
export type EvidenceView = Awaited<ReturnType<typeof toViews>>[number];

/**
 * SQL: evidence the actor may read — its own unit in the actor's subtree, or it supports a cell or
 * an action the actor may read ("authorised like the cell it belongs to").
 */
function readableCondition(actor: Actor) {
  if (seesWholeOrganisation(actor)) return undefined;
  const prefix = `${actor.unitPath}%`;
  return sql`(
    ${conductEvidence.unitId} IN (SELECT u.id FROM ${units} u WHERE u.organisation_id = ${actor.organisationId} AND u.path LIKE ${prefix})
    OR EXISTS (SELECT 1 FROM ${conductEvidenceLinks} l JOIN ${conductAssessments} a ON a.id = l.assessment_id JOIN ${units} u ON u.id = a.unit_id
      WHERE l.organisation_id = ${actor.organisationId} AND l.evidence_id = ${conductEvidence.id} AND u.path LIKE ${prefix})
    OR EXISTS (SELECT 1 FROM ${conductEvidenceLinks} l JOIN ${conductActions} x ON x.id = l.action_id JOIN ${units} u ON u.id = x.unit_id
      WHERE l.organisation_id = ${actor.organisationId} AND l.evidence_id = ${conductEvidence.id} AND (u.path LIKE ${prefix} OR x.delegate_id = ${actor.userId}))
  )`;
}

/** One piece of evidence: another organisation's is a 404; one of this organisation out of the actor's reach a 403. */
async function loadEvidence(db: Db, actor: Actor, id: string): Promise<JoinedEvidence> {
  const [row] = await selectEvidence(db).where(inOrg(conductEvidence, actor.organisationId, eq(conductEvidence.id, id)));
  if (!row) throw notFound('Evidence');
  if (!seesWholeOrganisation(actor)) {
    const [ok] = await db.select({ id: conductEvidence.id }).from(conductEvidence).where(inOrg(conductEvidence, actor.organisationId, eq(conductEvidence.id, id), readableCondition(actor)));
    if (!ok) throw forbidden('This evidence belongs to a unit outside your part of the organisation');
  }
  return row;
}

/** Every id names evidence of the organisation the actor may read (422 for unknown ids, 403 out of reach). */
export async function checkEvidenceReadable(db: Db, actor: Actor, evidenceIds: string[]): Promise<void> {
  const ids = [...new Set(evidenceIds)];
  if (ids.length === 0) return;
  const known = await db.select({ id: conductEvidence.id }).from(conductEvidence).where(inOrg(conductEvidence, actor.organisationId, inArray(conductEvidence.id, ids)));
  const unknown = ids.filter((id) => !known.some((k) => k.id === id));
  if (unknown.length > 0) throw new AppError('unprocessable', 'Some evidence does not exist', [{ path: 'evidenceIds', message: `unknown: ${unknown.join(', ')}` }]);
  const readable = await db.select({ id: conductEvidence.id }).from(conductEvidence).where(inOrg(conductEvidence, actor.organisationId, inArray(conductEvidence.id, ids), readableCondition(actor)));
  if (readable.length !== ids.length) throw forbidden('Some of that evidence is outside your part of the organisation');
}

export async function evidenceForAssessments(db: Db, organisationId: string, assessmentIds: string[]): Promise<Map<string, EvidenceView[]>> {
  const result = new Map<string, EvidenceView[]>();
  if (assessmentIds.length === 0) return result;
  const links = await db.select().from(conductEvidenceLinks).where(inOrg(conductEvidenceLinks, organisationId, inArray(conductEvidenceLinks.assessmentId, assessmentIds)));
  if (links.length === 0) return result;
  const views = await toViews(db, organisationId, await selectEvidence(db).where(inOrg(conductEvidence, organisationId, inArray(conductEvidence.id, links.map((l) => l.evidenceId)))));
  for (const l of links) result.set(l.assessmentId!, [...(result.get(l.assessmentId!) ?? []), views.find((v) => v.id === l.evidenceId)!]);
  return result;
}

export async function getEvidence(ctx: AppContext, actor: Actor, id: string) {
  const row = await loadEvidence(ctx.db, actor, id);
  return (await toViews(ctx.db, actor.organisationId, [row]))[0];
}

interface CommonInput { title: string; unitId: string; expiresAt?: Date | null; assessmentIds?: string[] }

async function linkToCells(tx: Db, actor: Actor, evidenceId: string, assessmentIds: string[], now: Date) {
  if (assessmentIds.length === 0) return;
  const cells = await tx.select({ id: conductAssessments.id, state: conductAssessments.state, unitPath: units.path }).from(conductAssessments).innerJoin(units, eq(units.id, conductAssessments.unitId))
    .where(inOrg(conductAssessments, actor.organisationId, inArray(conductAssessments.id, assessmentIds)));
  const unknown = assessmentIds.filter((id) => !cells.some((c) => c.id === id));
  if (unknown.length > 0) throw new AppError('unprocessable', 'Some assessments do not exist', [{ path: 'assessmentIds', message: `unknown: ${unknown.join(', ')}` }]);
  if (cells.some((c) => !isUnitInScope(actor, { path: c.unitPath }))) throw forbidden('Some of those assessments are outside your part of the organisation');
  if (cells.some((c) => c.state === 'approved')) throw new AppError('conflict', 'An approved assessment is locked: evidence cannot be added to it');
  await tx.insert(conductEvidenceLinks).values(cells.map((c) => ({ id: randomUUID(), organisationId: actor.organisationId, evidenceId, assessmentId: c.id, createdAt: now }))).onConflictDoNothing();
  for (const c of cells) await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(c.id), type: 'assessment.evidence_added', actorId: actor.userId, at: now, data: { evidenceId } });
}

async function insertEvidence(ctx: AppContext, actor: Actor, input: CommonInput, fields: Pick<EvidenceRow, 'kind'> & Partial<EvidenceRow>, id = randomUUID()) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(conductEvidence).values({
      id, organisationId: actor.organisationId, title: input.title, unitId: input.unitId, ownerId: actor.userId, status: 'draft',
      expiresAt: input.expiresAt ?? null, createdAt: now, updatedAt: now, ...fields,
    });
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.evidence(id), type: 'evidence.added', actorId: actor.userId, at: now, data: { kind: fields.kind, title: input.title, unitId: input.unitId, sha256: fields.sha256 ?? null, url: fields.url ?? null } });
    await linkToCells(tx, actor, id, input.assessmentIds ?? [], now);
  });
  return getEvidence(ctx, actor, id);
}

/** A link or a note as evidence. */
export async function addEvidence(ctx: AppContext, actor: Actor, input: CommonInput & { kind: 'link' | 'note'; url?: string; note?: string }) {
  requireRole(actor, 'admin', 'compliance', 'lead', 'agent');
  await requireBodyUnit(ctx.db, actor, input.unitId);
  if (input.kind === 'link' && !input.url) throw new AppError('validation_failed', 'A link needs its address', [{ path: 'url', message: 'required' }]);
  if (input.kind === 'note' && !input.note) throw new AppError('validation_failed', 'A note needs its text', [{ path: 'note', message: 'required' }]);
  return insertEvidence(ctx, actor, input, { kind: input.kind, url: input.kind === 'link' ? input.url! : null, note: input.note ?? null });
}

/** A file as evidence: checked (size, type by content, virus-scan hook), hashed, stored under the uploads directory. */
export async function addEvidenceFile(ctx: AppContext, actor: Actor, input: CommonInput, file: { filename: string; declaredType: string; bytes: Buffer }) {
  requireRole(actor, 'admin', 'compliance', 'lead', 'agent');
  await requireBodyUnit(ctx.db, actor, input.unitId);
  const checked = await checkUpload(ctx.config, file, 'Evidence files');
  const id = randomUUID();
  await writeStoredFile(storedFilePath(ctx.config, 'evidence', actor.organisationId, id), file.bytes, ctx.ops?.storage);
  return insertEvidence(ctx, actor, input, { kind: 'file', filename: checked.filename, contentType: checked.contentType, size: file.bytes.length, sha256: checked.sha256 }, id);
}

export async function readEvidenceFile(ctx: AppContext, actor: Actor, id: string) {
  const { e } = await loadEvidence(ctx.db, actor, id);
  if (e.kind !== 'file') throw new AppError('not_found', 'This evidence is a link or a note, not a file');
  const bytes = await fs.readFile(storedFilePath(ctx.config, 'evidence', actor.organisationId, e.id));
  return { filename: e.filename!, contentType: e.contentType!, bytes };
}

const evidenceCursor = z.tuple([z.string(), z.string()]);

export async function listEvidence(ctx: AppContext, actor: Actor, filter: { unitId?: string; status?: EvidenceStatus; assessmentId?: string; actionId?: string; limit: number; cursor?: string }) {
  const after = decodeCursor(filter.cursor, evidenceCursor);
  const rows = await selectEvidence(ctx.db).where(inOrg(conductEvidence, actor.organisationId, readableCondition(actor),
    filter.unitId ? eq(conductEvidence.unitId, filter.unitId) : undefined,
    filter.status ? eq(conductEvidence.status, filter.status) : undefined,
    filter.assessmentId ? sql`EXISTS (SELECT 1 FROM ${conductEvidenceLinks} l WHERE l.organisation_id = ${actor.organisationId} AND l.evidence_id = ${conductEvidence.id} AND l.assessment_id = ${filter.assessmentId})` : undefined,
    filter.actionId ? sql`EXISTS (SELECT 1 FROM ${conductEvidenceLinks} l WHERE l.organisation_id = ${actor.organisationId} AND l.evidence_id = ${conductEvidence.id} AND l.action_id = ${filter.actionId})` : undefined,
    after ? or(lt(conductEvidence.createdAt, new Date(after[0])), and(eq(conductEvidence.createdAt, new Date(after[0])), lt(conductEvidence.id, after[1]))) : undefined))
    .orderBy(desc(conductEvidence.createdAt), desc(conductEvidence.id)).limit(filter.limit + 1);
  const views = await toViews(ctx.db, actor.organisationId, rows);
  return toPage(views, filter.limit, (v) => v, (v) => [v.createdAt, v.id]);
}

export async function updateEvidence(ctx: AppContext, actor: Actor, id: string, patch: { title?: string; note?: string; url?: string; expiresAt?: Date | null; status?: 'approved' | 'draft' }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { e, unitPath } = await loadEvidence(tx, actor, id);
    if (patch.status !== undefined) requireRole(actor, 'admin', 'compliance');
    else if (e.ownerId !== actor.userId && !['admin', 'compliance'].includes(actor.role) && !(actor.role === 'lead' && isUnitInScope(actor, { path: unitPath }))) throw forbidden('Only the owner, a lead of the unit or compliance edits evidence');
    if (patch.url !== undefined && e.kind !== 'link') throw new AppError('unprocessable', 'Only a link has an address', [{ path: 'url', message: 'not a link' }]);
    const expired = e.status === 'expired' && patch.expiresAt !== undefined && (patch.expiresAt === null || patch.expiresAt.getTime() > now.getTime());
    await tx.update(conductEvidence).set({ ...patch, ...(expired && !patch.status ? { status: 'draft' as const } : {}), updatedAt: now }).where(inOrg(conductEvidence, actor.organisationId, eq(conductEvidence.id, id)));
    if (patch.expiresAt !== undefined) await tx.delete(conductReminders).where(inOrg(conductReminders, actor.organisationId, eq(conductReminders.subjectId, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.evidence(id), type: patch.status === 'approved' ? 'evidence.approved' : 'evidence.updated', actorId: actor.userId, at: now, data: { ...patch, expiresAt: patch.expiresAt === undefined ? undefined : patch.expiresAt?.toISOString() ?? null } });
  });
  return getEvidence(ctx, actor, id);
}

const DAY = 86_400_000;

/**
 * Evidence expiry (once a minute): reminders to the owner before the date (each once, by its
 * unique key), then the status turns to expired. Claimed with SKIP LOCKED.
 */
export async function sweepEvidenceExpiry(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const horizon = new Date(now.getTime() + 366 * DAY);
  return ctx.db.transaction(async (tx) => {
    const rows = await tx.select().from(conductEvidence)
      .where(and(ne(conductEvidence.status, 'expired'), sql`${conductEvidence.expiresAt} IS NOT NULL`, lte(conductEvidence.expiresAt, horizon)))
      .limit(500).for('update', { skipLocked: true });
    let touched = 0;
    const days = new Map<string, number[]>();
    // The pages show evidence on the cells it supports: the notice links to one of them.
    const linkFor = async (e: EvidenceRow) => {
      const [l] = await tx.select({ assessmentId: conductEvidenceLinks.assessmentId }).from(conductEvidenceLinks)
        .where(inOrg(conductEvidenceLinks, e.organisationId, eq(conductEvidenceLinks.evidenceId, e.id), sql`${conductEvidenceLinks.assessmentId} IS NOT NULL`)).limit(1);
      return l ? `/conduct/assessments/${l.assessmentId}` : '/conduct/assessments';
    };
    for (const e of rows) {
      const expiresAt = e.expiresAt!;
      if (expiresAt.getTime() <= now.getTime()) {
        await tx.update(conductEvidence).set({ status: 'expired', updatedAt: now }).where(inOrg(conductEvidence, e.organisationId, eq(conductEvidence.id, e.id)));
        await appendEvent(tx, { organisationId: e.organisationId, stream: streams.evidence(e.id), type: 'evidence.expired', actorId: null, at: now, data: { expiresAt: expiresAt.toISOString() } });
        await notifyConduct(tx, ctx, e.organisationId, [e.ownerId], 'conduct_evidence_expired', `Evidence expired: ${e.title}`, 'Upload a current version and link it to the assessments it supports.', await linkFor(e));
        touched++;
        continue;
      }
      let offsets = days.get(e.organisationId);
      if (!offsets) days.set(e.organisationId, offsets = (await getConductSettings(tx, e.organisationId)).evidenceExpiryReminderDays);
      const due = offsets.filter((d) => now.getTime() >= expiresAt.getTime() - d * DAY).sort((a, b) => a - b);
      if (due.length === 0) continue;
      const key = `expiry-${due[0]}`;
      const inserted = await tx.insert(conductReminders).values(due.map((d) => ({ id: randomUUID(), organisationId: e.organisationId, subjectId: e.id, key: `expiry-${d}`, sentAt: now })))
        .onConflictDoNothing().returning({ key: conductReminders.key });
      if (inserted.some((r) => r.key === key)) {
        await notifyConduct(tx, ctx, e.organisationId, [e.ownerId], 'conduct_evidence_expiring', `Evidence expires ${expiresAt.toISOString().slice(0, 10)}: ${e.title}`,
          'Renew it before it expires, or the assessments it supports lose their evidence.', await linkFor(e));
        touched++;
      }
    }
    return touched;
  });
}

