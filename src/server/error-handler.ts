import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, rootCauseMessage } from '../db/errors.js';
import { AppError, errorBody } from './errors.js';

/** Fastify's own 4xx errors, mapped onto the API's error codes. */
function codeForStatus(status: number, fastifyCode?: string): string {
  if (fastifyCode?.startsWith('FST_CSRF')) return 'csrf_invalid';
  switch (status) {
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 405: return 'method_not_allowed';
    case 406: return 'not_acceptable';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    case 429: return 'rate_limited';
    default: return 'bad_request';
  }
}

/** Turns every error into the `{error: {code, message, details}}` body; never a 5xx for bad input. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.code === 'account_locked' || err.code === 'rate_limited') reply.header('retry-after', '60');
      if (err.code === 'unavailable' || err.code === 'insufficient_storage') reply.header('retry-after', '30');
      return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const details = err.validation.map((v) => ({
        // Body fields are named as the client sent them ("lesson.rootCause"); other parts keep their prefix.
        path: [...(where === 'body' ? [] : [where]), ...v.instancePath.split('/').filter(Boolean)].join('.') || where,
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send(errorBody('validation_failed', `The request ${where} is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details));
    }
    // The database restarting or unreachable: a clean, retryable 503 (nothing was changed: the
    // transaction did not commit), not a 500 that looks like a bug.
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ cause: rootCauseMessage(err) }, 'database unavailable');
      return reply.status(503).header('retry-after', '5').send(errorBody('unavailable', 'The database is unavailable; try again shortly'));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(errorBody(codeForStatus(status, err.code), err.message));
    }
    req.log.error({ err }, 'unhandled error');
    if (status === 503) return reply.status(503).send(errorBody('unavailable', 'A dependency is unavailable; try again shortly'));
    return reply.status(500).send(errorBody('internal_error', 'Something went wrong on our side; it has been logged'));
  });
}
