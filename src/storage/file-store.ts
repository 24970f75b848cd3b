import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Config } from '../config.js';
import { AppError } from '../server/errors.js';

/**
 * Uploaded files (case attachments, conduct evidence) live on disk under the uploads directory:
 * TRUSTDESK_UPLOADS_DIR, else the embedded database's data directory, else (memory:// or
 * PostgreSQL without a data directory of its own) ./.tmp. Rows keep the SHA-256, so a file
 * changed on disk is detectable.
 */
export function uploadsRoot(config: Pick<Config, 'dataDir' | 'uploadsDir'>): string {
  if (config.uploadsDir) return config.uploadsDir;
  return config.dataDir.startsWith('memory://') ? path.join(process.cwd(), '.tmp') : config.dataDir;
}

export function storedFilePath(config: Pick<Config, 'dataDir' | 'uploadsDir'>, area: 'attachments' | 'evidence', organisationId: string, id: string): string {
  return path.join(uploadsRoot(config), area, organisationId, id);
}

/** What may be uploaded: documents and images. Checked against the file's own bytes. */
export const allowedUploadTypes: Record<string, string> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/plain': 'txt', 'text/csv': 'csv',
};

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The real type of the bytes: a magic number for binary formats; for text, valid UTF-8 without NUL bytes. */
export async function detectType(bytes: Buffer, declared: string): Promise<string | undefined> {
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed) return sniffed.mime;
  const isText = !bytes.includes(0) && Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
  if (isText && (declared === 'text/csv' || declared === 'text/plain')) return declared;
  return isText ? 'text/plain' : undefined;
}

export interface CheckedUpload { contentType: string; extension: string; sha256: string; filename: string }

/** Size, type (by content) and the virus-scan hook; throws the 4xx the client should see. */
export async function checkUpload(config: Pick<Config, 'scanCommand'>, file: { filename: string; declaredType: string; bytes: Buffer }, what = 'Attachments'): Promise<CheckedUpload> {
  if (file.bytes.length === 0) throw new AppError('validation_failed', 'The file is empty', [{ path: 'file', message: 'empty' }]);
  if (file.bytes.length > MAX_UPLOAD_BYTES) throw new AppError('payload_too_large', `${what} can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  const actual = await detectType(file.bytes, file.declaredType);
  if (!actual || !allowedUploadTypes[actual]) {
    throw new AppError('unsupported_media_type', `This kind of file cannot be uploaded; allowed: ${[...new Set(Object.values(allowedUploadTypes))].join(', ')}`);
  }
  if (file.declaredType !== actual && !(actual === 'text/plain' && file.declaredType.startsWith('text/'))) {
    throw new AppError('unsupported_media_type', `The file says it is ${file.declaredType} but its content is ${actual}`);
  }
  await scanForViruses(config, file.bytes);
  const filename = path.basename(file.filename).replace(/[^\w.\- ()]/g, '_').slice(0, 200) || `upload.${allowedUploadTypes[actual]}`;
  return { contentType: actual, extension: allowedUploadTypes[actual], sha256: createHash('sha256').update(file.bytes).digest('hex'), filename };
}

/**
 * The virus-scan hook: with TRUSTDESK_SCAN_COMMAND set (e.g. `clamdscan --no-summary -`), each
 * upload is piped to that command; exit 0 is clean, 1 is infected (refused), anything else means
 * the scanner is unavailable (503: nothing unscanned is stored).
 */
export async function scanForViruses(config: Pick<Config, 'scanCommand'>, bytes: Buffer): Promise<void> {
  if (!config.scanCommand) return;
  const [cmd, ...args] = config.scanCommand.split(/\s+/).filter(Boolean);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => resolve(null));
    child.on('close', (c) => resolve(c));
    child.stdin.on('error', () => undefined);
    child.stdin.end(bytes);
  });
  if (code === 1) throw new AppError('unprocessable', 'The file did not pass the virus scan', [{ path: 'file', message: 'infected' }]);
  if (code !== 0) throw new AppError('unavailable', 'The virus scanner is not available; try again later');
}

/** A full disk or quota: the upload is refused with 507 and nothing of it is left behind. */
const storageFullCodes = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Told of every write, so the health check can say when storage fails. */
export interface StorageMonitor { succeeded(): void; failed(err: Error): void }

/**
 * Written before the row that points at it: a row never points at a missing file (an orphan file
 * is harmless). The whole file or nothing: a failed write removes what it wrote; a full disk is a
 * clear 507, a read-only one a 503.
 */
export async function writeStoredFile(target: string, bytes: Buffer, monitor?: StorageMonitor): Promise<void> {
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, bytes, { flag: 'wx' });
    monitor?.succeeded();
  } catch (err) {
    await fs.rm(target, { force: true }).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code ?? '';
    monitor?.failed(err as Error);
    if (storageFullCodes.has(code)) throw new AppError('insufficient_storage', 'There is no room to store this file right now; nothing was saved. Try again later.');
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new AppError('unavailable', 'File storage is not writable right now; nothing was saved. Try again later.');
    throw err;
  }
}
