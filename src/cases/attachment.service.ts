import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { caseAttachments } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { AppError, notFound } from '../server/errors.js';
import { canNoteCase } from './case.access.js';
import { caseStream, loadCase } from './case.service.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** What may be attached: documents and images people send in complaints. Checked against the file's own bytes. */
const allowedTypes: Record<string, string> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/plain': 'txt', 'text/csv': 'csv',
};

/** The real type of the bytes: a magic number for binary formats; for text, valid UTF-8 without NUL bytes. */
export async function detectType(bytes: Buffer, declared: string): Promise<string | undefined> {
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed) return sniffed.mime;
  const isText = !bytes.includes(0) && Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
  if (isText && (declared === 'text/csv' || declared === 'text/plain')) return declared;
  return isText ? 'text/plain' : undefined;
}

function storagePath(uploadsDir: string, organisationId: string, id: string) {
  return path.join(uploadsDir, organisationId, id);
}

/** A full disk or quota: the upload is refused with 507 and nothing of it is left behind. */
const storageFullCodes = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Writes the whole file or nothing: a failed write removes what it wrote; a full disk is a clear 507. */
async function writeWhole(ctx: AppContext, target: string, bytes: Buffer) {
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, bytes, { flag: 'wx' });
    ctx.ops?.storage.succeeded();
  } catch (err) {
    await fs.rm(target, { force: true }).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code ?? '';
    ctx.ops?.storage.failed(err as Error);
    if (storageFullCodes.has(code)) throw new AppError('insufficient_storage', 'There is no room to store this file right now; nothing was saved. Try again later.');
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new AppError('unavailable', 'File storage is not writable right now; nothing was saved. Try again later.');
    throw err;
  }
}

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
  if (file.bytes.length === 0) throw new AppError('validation_failed', 'The file is empty', [{ path: 'file', message: 'empty' }]);
  if (file.bytes.length > MAX_ATTACHMENT_BYTES) throw new AppError('payload_too_large', `Attachments can be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
  const actual = await detectType(file.bytes, file.declaredType);
  if (!actual || !allowedTypes[actual]) {
    throw new AppError('unsupported_media_type', `This kind of file cannot be attached; allowed: ${[...new Set(Object.values(allowedTypes))].join(', ')}`);
  }
  if (file.declaredType !== actual && !(actual === 'text/plain' && file.declaredType.startsWith('text/'))) {
    throw new AppError('unsupported_media_type', `The file says it is ${file.declaredType} but its content is ${actual}`);
  }
  const id = randomUUID();
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const target = storagePath(ctx.config.uploadsDir, organisationId, id);
  // Written before the row: a row never points at a missing file (an orphan file is harmless).
  await writeWhole(ctx, target, file.bytes);
  const now = ctx.clock.now();
  const filename = path.basename(file.filename).replace(/[^\w.\- ()]/g, '_').slice(0, 200) || `attachment.${allowedTypes[actual]}`;
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
  const bytes = await fs.readFile(storagePath(ctx.config.uploadsDir, actor.organisationId, a.id));
  return { filename: a.filename, contentType: a.contentType, bytes };
}
