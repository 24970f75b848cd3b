import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export interface ReceivedFile {
  filename: string;
  declaredType: string;
  bytes: Buffer;
  /** The form's other fields, sent before the file part. */
  fields: MultipartFile['fields'];
}

/**
 * The one file of a multipart/form-data upload, read whole. A body that is not multipart is a 415,
 * one without a file a 400, one too large a 413; a malformed body (no boundary, cut short) is a
 * 400 too — the multipart parser throws plain errors for those, which would otherwise be 500s.
 */
export async function receiveFile(req: FastifyRequest, maxBytes: number): Promise<ReceivedFile> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data with a "file" field');
  try {
    const part = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!part) throw new AppError('validation_failed', 'No file in the request', [{ path: 'file', message: 'required' }]);
    const bytes = await part.toBuffer();
    return { filename: part.filename, declaredType: part.mimetype, bytes, fields: part.fields };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) throw new AppError('payload_too_large', `The file can be at most ${maxBytes / 1024 / 1024} MB`);
    if (status && status < 500) throw err;
    throw new AppError('validation_failed', `The multipart body could not be read: ${(err as Error).message}`, [{ path: 'body', message: 'malformed multipart/form-data' }]);
  }
}
