import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { caseAttachments } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { AppError, notFound } from '../server/errors.js';
import { checkUpload, MAX_UPLOAD_BYTES, storedFilePath, writeStoredFile } from '../storage/file-store.js';
import { canNoteCase } from './case.access.js';
import { caseStream, loadCase } from './case.service.js';

export const MAX_ATTACHMENT_BYTES = MAX_UPLOAD_BYTES;

export interface IncomingFile {
  filename: string;
  declaredType: string;
  bytes: Buffer;
  visibleToCustomer: boolean;
}

export async function addAttachment(ctx: AppContext, actor: Actor, caseId: string, file: IncomingFile) {
  const { facts } = await loadCase(ctx.db, actor, caseId);
  if (!canNoteCase(actor, facts)) throw new AppError('forbidden', 'You can read this case but not add to it');
  const stored = await storeAttachment(ctx, { organisationId: actor.organisationId, caseId, uploadedBy: actor.userId }, file);
  return (await listAttachments(ctx, actor, caseId)).find((a) => a.id === stored.id)!;
}

/** Checks and stores a file for a case, for staff or (uploadedBy null) the customer. */
export async function storeAttachment(ctx: AppContext, owner: { organisationId: string; caseId: string; uploadedBy: string | null }, file: IncomingFile) {
  const { organisationId, caseId } = owner;
  const checked = await checkUpload(ctx.config, file);
  const { contentType: actual, sha256, filename } = checked;
  const id = randomUUID();
  const target = storedFilePath(ctx.config, 'attachments', organisationId, id);
  await writeStoredFile(target, file.bytes, ctx.ops?.storage);
  const now = ctx.clock.now();
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(caseAttachments).values({
        id, organisationId, caseId, filename, contentType: actual, size: file.bytes.length, sha256,
        visibleToCustomer: file.visibleToCustomer, uploadedBy: owner.uploadedBy, createdAt: now,
      });
      await appendEvent(tx, { organisationId, stream: caseStream(caseId), type: 'attachment.added', actorId: owner.uploadedBy, at: now, data: { attachmentId: id, filename, size: file.bytes.length, sha256, from: owner.uploadedBy ? 'staff' : 'customer' } });
    });
  } catch (err) {
    // No row, no file: a refused upload leaves nothing behind. If the connection dropped, the
    // commit may still have happened, so the file stays (an orphan file is harmless, a missing one is not).
    if (!isDatabaseUnavailable(err)) await fs.rm(target, { force: true }).catch(() => undefined);
    throw err;
  }
  return { id, filename, contentType: actual, size: file.bytes.length, sha256, createdAt: now.toISOString() };
}

export async function listAttachments(ctx: AppContext, actor: Actor, caseId: string) {
  await loadCase(ctx.db, actor, caseId);
  const rows = await ctx.db.select().from(caseAttachments).where(inOrg(caseAttachments, actor.organisationId, eq(caseAttachments.caseId, caseId))).orderBy(caseAttachments.createdAt);
  return rows.map((a) => ({
    id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256, visibleToCustomer: a.visibleToCustomer,
    uploadedBy: a.uploadedBy, createdAt: a.createdAt.toISOString(),
  }));
}

/** Downloads are authorised like the case they belong to. */
export async function readAttachment(ctx: AppContext, actor: Actor, id: string) {
  const [a] = await ctx.db.select().from(caseAttachments).where(inOrg(caseAttachments, actor.organisationId, eq(caseAttachments.id, id)));
  if (!a) throw notFound('Attachment');
  await loadCase(ctx.db, actor, a.caseId);
  const bytes = await fs.readFile(storedFilePath(ctx.config, 'attachments', actor.organisationId, a.id));
  return { filename: a.filename, contentType: a.contentType, bytes };
}
